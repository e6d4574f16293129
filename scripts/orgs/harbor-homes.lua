-- Harbor Homes leasing office (seed 004, Loriaa-like): availability and tours in
-- office hours, leads qualified from what callers say, after-hours calls routed to
-- voicemail or, for a maintenance emergency, to the 24/7 maintenance line, and no
-- outbound calls in quiet hours.
local text = require("text")
local calls = require("calls")
local clock = require("clock")

local EMERGENCY = { "fire", "flood", "flooding", "gas leak", "smell gas", "no heat", "break-in", "broken into", "sparks" }
local LEAD = { "tour", "move in", "moving", "apartment", "bedroom", "availability", "available", "rent", "lease" }
local CATEGORIES = {
  { "maintenance", { "leak", "repair", "broken", "maintenance", "no heat", "flood", "gas" } },
  { "tour", { "tour", "visit", "see the apartment", "come by" } },
  { "availability", { "available", "availability", "vacancy", "bedroom", "price", "rent" } },
  { "pets", { "pet", "dog", "cat" } },
}
local QUIET_BEFORE, QUIET_AFTER = 9, 20  -- outbound calls only 09:00-20:00, the org's time

function prompt(call)
  local properties = sb.config("properties") or {}
  local lines = {
    "You are the leasing assistant of Harbor Homes (" .. table.concat(properties, ", ") .. ").",
    "Help callers find an apartment: check availability, book tours, and note what they need",
    "(move-in date, bedrooms, budget) with qualify_lead.",
    sb.config("pets_allowed") and "Pets are welcome." or "Pets are not allowed.",
    "Office hours: " .. sb.hours().describe .. ".",
  }
  return calls.prompt(call, lines, {
    closed = "The office is closed until %s: tours can still be booked for office hours.",
  })
end

function route_tool(call, name, args)
  if name == "schedule_tour" then
    if args.date and args.date < clock.today() then
      return { action = "deny", message = "That date has passed. Which day would you like to come by?" }
    end
    -- A tour needs the office open at the slot itself, on the office's clock.
    local at = clock.local_to_epoch(args.date, args.time)
    if at and not sb.is_open(nil, nil, at) then
      return { action = "deny", message = "Tours run during office hours: " .. sb.hours().describe .. "." }
    end
  elseif name == "check_availability" and not args.date then
    return { action = "rewrite", args = { date = clock.today(), unit_type = args.unit_type } }
  elseif name == "qualify_lead" and type(args.budget) == "string" then
    -- "$2,100" -> 2100: the tool wants a number.
    local digits = string.gsub(args.budget, "[^%d%.]", "")
    local budget = tonumber(digits)
    if budget then
      local fixed = {}
      for k, v in pairs(args) do fixed[k] = v end
      fixed.budget = budget
      return { action = "rewrite", args = fixed }
    end
  end
  return nil
end

function on_event(call, event)
  local words = calls.customer_words(event)
  if not words then return end
  local emergency = text.find_any(words, EMERGENCY)
  if emergency then
    sb.tag("maintenance-emergency")
    sb.escalate("maintenance emergency (" .. emergency .. ")")
  elseif text.find_any(words, LEAD) then
    sb.tag("lead")
  end
end

function transfer_target(call, reason)
  if calls.has_tag(call, "maintenance-emergency") or text.find_any(reason, EMERGENCY) then
    return { number = sb.config("maintenance_line"), message = "I'm connecting you with our emergency maintenance team now." }
  end
  local reopens = calls.closed_until()
  if reopens then
    return { number = sb.config("voicemail_line"), message = "The office is closed until " .. reopens .. ". Please leave a message." }
  end
  return { number = sb.config("leasing_line"), message = "Let me connect you with a leasing agent." }
end

function route_outbound(request)
  local now = sb.local_time()
  if now.hour < QUIET_BEFORE or now.hour >= QUIET_AFTER then
    return { refuse = string.format("quiet hours: it is %02d:%02d in %s; calls go out 09:00-20:00",
                                    now.hour, now.minute, now.zone) }
  end
  local campaign = (request.metadata and request.metadata.campaign) or "leasing-follow-up"
  return { metadata = { campaign = campaign } }
end

function classify(call, transcript)
  local said = calls.customer_text(transcript)
  local result = {
    category = text.first_category(said, CATEGORIES, "general"),
    resolution = calls.resolution(call),
    sentiment = text.find_any(said, { "thank", "great", "perfect" }) and "positive" or "neutral",
  }
  -- Lead qualification: what the caller told us, for the leasing team.
  local bedrooms = string.match(said, "(%d+)%s*bed")
  if bedrooms then result.bedrooms = tonumber(bedrooms) end
  local budget = string.match(said, "%$%s*([%d,]+)")
  if budget then result.budget = tonumber((string.gsub(budget, ",", ""))) end
  result.lead = calls.has_tag(call, "lead") or bedrooms ~= nil
  return result
end
