-- Phrase matching for what callers say. Phrases match whole words, case-insensitively
-- ("fire" is not in "fireplace"); a phrase ending in "*" matches a word's beginning
-- ("frustrat*": frustrated, frustrating). Build a set once, when the script loads, with
-- text.phrases{...}: matching then costs one string.find per phrase and never reads
-- the caller's words as a Lua pattern.
local M = {}

-- Lower case, with the typographic apostrophe speech-to-text often writes made plain,
-- so "Can’t breathe" matches "can't breathe".
function M.lower(s)
  return (string.gsub(string.lower(s or ""), "\u{2019}", "'"))
end

local function escape(s)
  return (string.gsub(s, "[%^%$%(%)%%%.%[%]%*%+%-%?]", "%%%0"))
end

-- A phrase set from a list of lower-case phrases.
function M.phrases(list)
  local set = { phrases = {}, patterns = {} }
  for i, phrase in ipairs(list) do
    local prefix = string.sub(phrase, -1) == "*"
    local body = prefix and string.sub(phrase, 1, -2) or phrase
    local pattern = escape(body)
    -- Word edges only where the phrase itself starts / ends with a letter or digit.
    if string.find(body, "^%w") then pattern = "%f[%w]" .. pattern end
    if not prefix and string.find(body, "%w$") then pattern = pattern .. "%f[%W]" end
    set.phrases[i], set.patterns[i] = body, pattern
  end
  return set
end

local function check(set, fn)
  if type(set) ~= "table" or not set.patterns then
    error("text." .. fn .. ": expects a set from text.phrases{...}", 3)
  end
end

-- The first phrase of `set` that `text` contains (without its "*"), or nil.
function M.find_any(text, set)
  check(set, "find_any")
  local t = M.lower(text)
  if t == "" then return nil end
  for i, pattern in ipairs(set.patterns) do
    if string.find(t, pattern) then return set.phrases[i] end
  end
  return nil
end

-- How many phrases of `set` `text` contains.
function M.count_any(text, set)
  check(set, "count_any")
  local t, n = M.lower(text), 0
  for _, pattern in ipairs(set.patterns) do
    if string.find(t, pattern) then n = n + 1 end
  end
  return n
end

-- Categories from { {name, {phrases...}}, ... }, compiled once.
function M.categories(list)
  local out = {}
  for i, c in ipairs(list) do out[i] = { name = c[1], set = M.phrases(c[2]) } end
  return out
end

-- The first category (from text.categories) whose phrases `text` mentions, else `default`.
function M.first_category(text, categories, default)
  for _, c in ipairs(categories) do
    if M.find_any(text, c.set) then return c.name end
  end
  return default
end

function M.trim(s)
  return (string.gsub(s or "", "^%s*(.-)%s*$", "%1"))
end

return M
