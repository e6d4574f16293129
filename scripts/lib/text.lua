-- Phrase matching for what callers say: lower-cased, plain finds (no Lua patterns), so
-- a caller's "?" or "%" can never break a match.
local M = {}

function M.lower(s)
  return string.lower(s or "")
end

-- The first phrase of `phrases` that `text` contains, or nil.
function M.find_any(text, phrases)
  local t = string.lower(text or "")
  for _, phrase in ipairs(phrases) do
    if string.find(t, phrase, 1, true) then return phrase end
  end
  return nil
end

-- How many of `phrases` `text` contains.
function M.count_any(text, phrases)
  local t, n = string.lower(text or ""), 0
  for _, phrase in ipairs(phrases) do
    if string.find(t, phrase, 1, true) then n = n + 1 end
  end
  return n
end

-- The first of `categories` ({ {name, {phrases...}}, ... }) whose phrases `text`
-- mentions, else `default`.
function M.first_category(text, categories, default)
  for _, c in ipairs(categories) do
    if M.find_any(text, c[2]) then return c[1] end
  end
  return default
end

function M.trim(s)
  return (string.gsub(s or "", "^%s*(.-)%s*$", "%1"))
end

return M
