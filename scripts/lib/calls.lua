-- Small facts about a call that several organisations' scripts need.
local text = require("text")

local M = {}

function M.has_tag(call, tag)
  for _, t in ipairs(call.tags or {}) do
    if t == tag then return true end
  end
  return false
end

-- Everything the customer said, lower-cased, one string (classify's transcript).
function M.customer_text(transcript)
  local parts = {}
  for _, line in ipairs(transcript or {}) do
    if line.role == "customer" then parts[#parts + 1] = text.lower(line.text) end
  end
  return table.concat(parts, " ")
end

-- How the call ended, in the words the dashboards use.
function M.resolution(call)
  if call.phase == "escalation" or call.status == "transferred" then return "escalated" end
  if call.status == "completed" then return "resolved" end
  if call.status == "missed" or call.status == "failed" then return "unanswered" end
  return "open"
end

-- Sentiment from how many `positive` and `negative` phrase sets (text.phrases)
-- `said` mentions: a label and a score from -1 to 1 (the dashboards average it).
function M.sentiment(said, positive, negative)
  local p, n = text.count_any(said, positive), text.count_any(said, negative)
  if p + n == 0 then return "neutral", 0 end
  local score = (p - n) / (p + n)
  if score > 0 then return "positive", score end
  if score < 0 then return "negative", score end
  return "neutral", 0
end

-- "Tuesday 9:00 AM" when the org's hours say it is closed now, else nil.
function M.closed_until()
  local h = sb.hours()
  if h.open then return nil end
  return h.next_open_local or "later"
end

-- A system prompt from `lines`, with what every org adds: who is calling
-- (`opts.caller`, a format for the customer's name) and, while closed,
-- `opts.closed` (a format for the next opening).
function M.prompt(call, lines, opts)
  if opts.caller and call.customer.name then
    lines[#lines + 1] = string.format(opts.caller, call.customer.name)
  end
  local reopens = M.closed_until()
  if opts.closed and reopens then lines[#lines + 1] = string.format(opts.closed, reopens) end
  return table.concat(lines, " ")
end

-- What every org's on_event does first: the call moves to intake when it connects.
-- Returns the customer's words when `event` is a line of theirs, else nil.
function M.customer_words(event)
  if event.kind == "status" and event.status == "in_progress" then sb.set_phase("intake") end
  if event.kind == "transcript" and event.role == "customer" then return event.text end
  return nil
end

return M
