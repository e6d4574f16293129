-- Acme support desk (seed 000, SupportIQ-like): the knowledge base answers first, a
-- frustrated caller is escalated to a person, transfers go by reason and by the
-- desk's hours, and every call is classified for the dashboard.
local text = require("text")
local calls = require("calls")

-- Said by a caller who wants out of the bot: tag, escalate, and the transfer goes to
-- the escalation line.
local FRUSTRATION = {
  "ridiculous", "frustrated", "frustrating", "third time", "waste of time", "useless",
  "real person", "a human", "speak to someone", "manager", "supervisor", "this is unacceptable",
}
local CATEGORIES = {
  { "billing", { "invoice", "charge", "charged", "refund", "bill", "payment", "credit card" } },
  { "technical", { "error", "crash", "not working", "broken", "can't log in", "login", "password", "outage" } },
  { "account", { "my account", "email address", "username", "profile", "close my account" } },
}
local NEGATIVE = { "angry", "upset", "terrible", "awful", "frustrat", "ridiculous", "useless", "unacceptable" }
local POSITIVE = { "thank", "great", "perfect", "awesome", "helpful", "solved", "that works" }
-- Functions that belong to other organisations' assistants.
local NOT_OURS = { schedule_tour = true, check_availability = true, qualify_lead = true }

function prompt(call)
  local lines = {
    "You are the Acme support assistant.",
    "Search the knowledge base (search_knowledge_base) before you answer any product question,",
    "and say so when it has no answer instead of guessing.",
    "Never promise refunds or credits: a person on our team decides those.",
  }
  return calls.prompt(call, lines, {
    caller = "The caller is %s.",
    closed = "The support team is offline until %s; offer a callback instead of a transfer.",
  })
end

function route_tool(call, name, args)
  if NOT_OURS[name] then
    return { action = "deny", message = "I can help with Acme products and your account. What do you need?" }
  end
  if name == "search_knowledge_base" then
    -- Models sometimes send the whole sentence with padding; the index wants the words.
    local query = text.trim(args.query)
    if #query > 200 then query = string.sub(query, 1, 200) end
    if query ~= args.query then return { action = "rewrite", args = { query = query } } end
  end
  return nil
end

function on_event(call, event)
  local said = text.find_any(calls.customer_words(event), FRUSTRATION)
  if said then
    sb.tag("frustrated")
    sb.escalate('caller frustrated ("' .. said .. '")')
  end
end

function transfer_target(call, reason)
  local reopens = calls.closed_until()
  if reopens then
    return { error = "Our support team is offline right now. We are back " .. reopens .. "." }
  end
  if calls.has_tag(call, "frustrated") then
    return { number = sb.config("escalation_line"), message = "I'm connecting you with a senior member of our team." }
  end
  if text.find_any(reason, { "billing", "refund", "invoice", "payment" }) then
    return { skill = "billing", message = "Let me connect you with billing." }  -- orgs[].agents, in turn
  end
  return nil  -- answers.transfer_number
end

function classify(call, transcript)
  local said = calls.customer_text(transcript)
  local negative, positive = text.count_any(said, NEGATIVE), text.count_any(said, POSITIVE)
  local sentiment = "neutral"
  if calls.has_tag(call, "frustrated") or negative > positive then
    sentiment = "negative"
  elseif positive > negative then
    sentiment = "positive"
  end
  return {
    category = text.first_category(said, CATEGORIES, "general"),
    resolution = calls.resolution(call),
    sentiment = sentiment,
    turns = #transcript,
  }
end
