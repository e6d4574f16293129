-- Harbor Homes leasing office (seed 004, Loriaa-like): availability and tours in
-- office hours, leads qualified from what callers say, after-hours calls routed to
-- voicemail or, for a maintenance emergency, to the 24/7 maintenance line, and no
-- outbound calls in quiet hours.
local text = require("text")
local calls = require("calls")
local clock = require("clock")

-- Whole words: a caller asking about a fireplace is not reporting a fire.
local EMERGENCY = text.phrases {
  "fire", "flood*", "gas leak", "smell gas", "smells like gas", "no heat", "heat is out",
  "break-in", "broken into", "sparks", "burst pipe",
}
local LEAD = text.phrases {
  "tour*", "move in", "moving in", "move-in", "apartment*", "bedroom*", "studio", "availability",
  "available", "rent", "lease", "leasing",
}
local CATEGORIES = text.categories {
  { "maintenance", { "leak*", "repair*", "broken", "maintenance", "no heat", "flood*", "gas", "fire" } },
  { "tour", { "tour*", "visit", "see the apartment", "come by" } },
  { "availability", { "available", "availability", "vacanc*", "bedroom*", "studio", "price*", "rent" } },
  { "pets", { "pet", "pets", "dog", "dogs", "cat", "cats" } },
}
local POSITIVE = text.phrases { "thank*", "great", "perfect", "wonderful" }
local NEGATIVE = text.phrases { "terrible", "awful", "angry", "upset", "ridiculous" }
local NUMBER_WORDS = { one = 1, two = 2, three = 3, four = 4, five = 5 }
-- Outbound calls only in these hours of the office's zone (settings.outbound_hours).
local DEFAULT_OUTBOUND_HOURS = "09:00-20:00"
local BAD_SLOT = "I need the tour date as YYYY-MM-DD and the time as HH:MM (24-hour)."

-- A copy of `args` with `changes` laid over it (a rewrite keeps what the model sent).
local function with(args, changes)
  local out = {}
  for k, v in pairs(args) do out[k] = v end
  for k, v in pairs(changes) do out[k] = v end
  return out
end

function prompt(call)
  local properties = sb.config("properties") or {}
  local lines = {
    "You are the leasing assistant of Harbor Homes (" .. table.concat(properties, ", ") .. ").",
    "Help callers find an apartment: check availability, book tours, and note what they need",
    "(move-in date, bedrooms, budget) with qualify_lead.",
    sb.config("pets_allowed") and "Pets are welcome." or "Pets are not allowed.",
    "Office hours: " .. sb.hours().describe .. ".",
    "For fire, flooding, a gas smell or no heat, transfer the caller to emergency maintenance at once.",
  }
  return calls.prompt(call, lines, {
    caller = "The caller is %s.",
    closed = "The office is closed until %s: tours can still be booked for office hours.",
  })
end

local function route_schedule_tour(args)
  local date, time = clock.date(args.date), clock.time(args.time)
  if not (date and time) then return { action = "deny", message = BAD_SLOT } end
  -- The slot on the office's clock: passed, or outside office hours?
  local at = clock.local_to_epoch(date, time)
  if date < clock.today() or at < sb.now() then
    return { action = "deny", message = "That time has passed. Which day would you like to come by?" }
  end
  if not sb.is_open(nil, nil, at) then
    return { action = "deny", message = "Tours run during office hours: " .. sb.hours().describe .. "." }
  end
  if date ~= args.date or time ~= args.time then
    return { action = "rewrite", args = with(args, { date = date, time = time }) }
  end
  return nil
end

local function route_check_availability(args)
  if args.date == nil then  -- "what do you have?" means today
    return { action = "rewrite", args = with(args, { date = clock.today() }) }
  end
  local date = clock.date(args.date)
  if not date then return { action = "deny", message = "Which date? I need it as YYYY-MM-DD." } end
  if date < clock.today() then return { action = "deny", message = "That date has passed." } end
  if date ~= args.date then return { action = "rewrite", args = with(args, { date = date }) } end
  return nil
end

local function route_qualify_lead(args)
  -- The tool wants numbers and ISO dates; models send "$2,100", "2" and "2026-1-5".
  local changes, changed = {}, false
  if type(args.budget) == "string" then
    changes.budget = tonumber((string.gsub(args.budget, "[^%d%.]", "")))
    changed = changes.budget ~= nil
  end
  if type(args.bedrooms) == "string" then
    changes.bedrooms = math.tointeger(tonumber(args.bedrooms)) or NUMBER_WORDS[text.lower(args.bedrooms)]
    changed = changed or changes.bedrooms ~= nil
  end
  local move_in = clock.date(args.move_in_date)
  if move_in and move_in ~= args.move_in_date then
    changes.move_in_date, changed = move_in, true
  end
  if changed then return { action = "rewrite", args = with(args, changes) } end
  return nil
end

function route_tool(call, name, args)
  if name == "schedule_tour" then return route_schedule_tour(args) end
  if name == "check_availability" then return route_check_availability(args) end
  if name == "qualify_lead" then return route_qualify_lead(args) end
  return nil
end

function on_event(call, event)
  local words = calls.customer_words(event)
  if not words then return end
  local emergency = text.find_any(words, EMERGENCY)
  if emergency then
    sb.tag("maintenance-emergency")
    sb.escalate("maintenance emergency (" .. emergency .. ")")
  elseif not calls.has_tag(call, "lead") and text.find_any(words, LEAD) then
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
  local hours = sb.config("outbound_hours") or DEFAULT_OUTBOUND_HOURS
  if not sb.is_open(hours) then
    local now = sb.local_time()
    return { refuse = string.format("quiet hours: it is %02d:%02d in %s; calls go out %s",
                                    now.hour, now.minute, now.zone, hours) }
  end
  local campaign = (request.metadata and request.metadata.campaign) or "leasing-follow-up"
  return { metadata = { campaign = campaign } }
end

-- Lead details from what the caller said (lower case): bedrooms, budget, move-in.
local function bedrooms_in(said)
  if string.find(said, "%f[%w]studio%f[%W]") then return 0 end
  for n in string.gmatch(said, "(%w+)[%s%-]*bed") do
    local count = math.tointeger(tonumber(n)) or NUMBER_WORDS[n]
    if count then return count end
  end
  return nil
end

local function budget_in(said)
  local amount = string.match(said, "%$%s*(%d[%d,]*)") or string.match(said, "(%d[%d,]*)%s*dollars")
  return amount and tonumber((string.gsub(amount, ",", ""))) or nil
end

local function move_in_in(said)
  local when = string.match(said, "mov[ei]n?g?[%s%-]in%f[%W]%s*([^%.,;!%?]*)")
  if not when then return nil end
  when = text.trim(string.gsub(string.gsub(when, "%s+and%s.*$", ""), "^on%s+", ""))
  if when == "" then return nil end
  return string.sub(when, 1, 40)
end

function classify(call, transcript)
  local said = calls.customer_text(transcript)
  local sentiment, score = calls.sentiment(said, POSITIVE, NEGATIVE)
  local result = {
    category = text.first_category(said, CATEGORIES, "general"),
    resolution = calls.resolution(call),
    sentiment = sentiment,
    sentiment_score = score,
    -- For the leasing team (analytics.detail).
    bedrooms = bedrooms_in(said),
    budget = budget_in(said),
    move_in = move_in_in(said),
  }
  result.lead = calls.has_tag(call, "lead") or result.bedrooms ~= nil or result.budget ~= nil
    or result.move_in ~= nil
  return result
end
