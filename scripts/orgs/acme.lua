-- Acme support desk (seed 000, SupportIQ-like): the knowledge base answers first, a
-- frustrated caller is escalated to a person, transfers go by reason and by the
-- desk's hours, and every call is classified for the dashboard.
local text = require("text")
local calls = require("calls")

-- Said by a caller who wants out of the bot: tag, escalate, and the transfer goes to
-- the escalation line.
local FRUSTRATION = text.phrases {
  "ridiculous", "frustrat*", "third time", "waste of time", "useless", "unacceptable",
  "real person", "a human", "speak to someone", "talk to someone", "manager", "supervisor",
}
-- A complaint once is support's daily work; the same caller complaining again is
-- treated as frustration (the first one is remembered as the call's "complaint" tag,
-- since module state is per thread and not per call).
local COMPLAINT = text.phrases {
  "still not", "still doesn't", "still does not", "still broken", "still fails", "doesn't work",
  "does not work", "didn't work", "did not work", "not fixed", "happened again", "calling again",
  "called before", "complain*",
}
local BILLING_REASON = text.phrases { "billing", "bill", "refund*", "invoice*", "payment*", "charge*" }
local CATEGORIES = text.categories {
  { "billing", { "invoice*", "charge*", "refund*", "bill", "billing", "payment*", "credit card" } },
  { "technical", { "error*", "crash*", "not working", "broken", "can't log in", "log in", "login", "password", "outage" } },
  { "account", { "my account", "email address", "username", "profile", "close my account" } },
}
local NEGATIVE = text.phrases { "angry", "upset", "terrible", "awful", "frustrat*", "ridiculous", "useless", "unacceptable" }
local POSITIVE = text.phrases { "thank*", "great", "perfect", "awesome", "helpful", "solved", "that works" }
-- Functions that belong to other organisations' assistants.
local NOT_OURS = { schedule_tour = true, check_availability = true, qualify_lead = true }
local MAX_QUERY = 200

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
  if name == "search_knowledge_base" and type(args.query) == "string" then
    -- Models sometimes send the whole sentence with padding; the index wants the words.
    local query = string.sub(text.trim(args.query), 1, MAX_QUERY)
    if query ~= args.query then return { action = "rewrite", args = { query = query } } end
  end
  return nil
end

function on_event(call, event)
  local words = calls.customer_words(event)
  if not words or calls.has_tag(call, "frustrated") then return end
  local said = text.find_any(words, FRUSTRATION)
  if said then
    sb.tag("frustrated")
    sb.escalate('caller frustrated ("' .. said .. '")')
  elseif text.find_any(words, COMPLAINT) then
    if calls.has_tag(call, "complaint") then
      sb.tag("frustrated")
      sb.escalate("caller complained again")
    else
      sb.tag("complaint")
    end
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
  if text.find_any(reason, BILLING_REASON) then
    return { skill = "billing", message = "Let me connect you with billing." }  -- orgs[].agents, in turn
  end
  return nil  -- answers.transfer_number
end

function classify(call, transcript)
  local said = calls.customer_text(transcript)
  local sentiment, score = calls.sentiment(said, POSITIVE, NEGATIVE)
  if calls.has_tag(call, "frustrated") and score >= 0 then
    -- A caller who asked to escape the bot is not a happy one, whatever "thanks" came last.
    sentiment, score = "negative", -0.5
  end
  return {
    category = text.first_category(said, CATEGORIES, "general"),
    resolution = calls.resolution(call),
    sentiment = sentiment,
    sentiment_score = score,
    turns = #transcript,
  }
end
