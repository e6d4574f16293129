-- Dates and times in the organisation's own zone, without os.time (which reads the
-- host's zone, not the org's).
local M = {}

-- Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
local function days_from_civil(y, m, d)
  if m <= 2 then y = y - 1 end
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local mp = (m + 9) % 12
  local doy = (153 * mp + 2) // 5 + d - 1
  local doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
  return era * 146097 + doe - 719468
end

-- "YYYY-MM-DD" from a date the model wrote ("2026-11-5" too), or nil.
function M.date(s)
  if type(s) ~= "string" then return nil end
  local y, m, d = string.match(s, "^%s*(%d%d%d%d)-(%d%d?)-(%d%d?)%s*$")
  if not y then return nil end
  m, d = tonumber(m), tonumber(d)
  if m < 1 or m > 12 or d < 1 or d > 31 then return nil end
  return string.format("%s-%02d-%02d", y, m, d)
end

-- "HH:MM" (24 h) from "9:30", "09:30", "9:30 pm" or "9 am", or nil.
function M.time(s)
  if type(s) ~= "string" then return nil end
  local t = string.lower(s)
  local h, m, rest = string.match(t, "^%s*(%d%d?):(%d%d)%s*(.-)%s*$")
  if not h then
    h, rest = string.match(t, "^%s*(%d%d?)%s*(.-)%s*$")
    m = "0"
  end
  if not h then return nil end
  h, m = tonumber(h), tonumber(m)
  local pm, am = rest == "pm" or rest == "p.m.", rest == "am" or rest == "a.m."
  if pm or am then
    if h < 1 or h > 12 then return nil end
    h = h % 12 + (pm and 12 or 0)
  elseif rest ~= "" then
    return nil
  end
  if h > 23 or m > 59 then return nil end
  return string.format("%02d:%02d", h, m)
end

-- Seconds since the epoch of "YYYY-MM-DD" "HH:MM" on the org's wall clock, or nil
-- when either is not in that form.
function M.local_to_epoch(date, time)
  local y, m, d = string.match(date or "", "^(%d%d%d%d)-(%d%d?)-(%d%d?)$")
  local hh, mm = string.match(time or "00:00", "^(%d%d?):(%d%d)$")
  if not (y and hh) then return nil end
  local wall = days_from_civil(tonumber(y), tonumber(m), tonumber(d)) * 86400 + tonumber(hh) * 3600 + tonumber(mm) * 60
  -- The offset at that instant (asked twice, so a date across a DST change is right).
  local guess = wall - sb.local_time(nil, wall).utc_offset
  return wall - sb.local_time(nil, guess).utc_offset
end

-- Today on the org's wall clock, "YYYY-MM-DD".
function M.today()
  local t = sb.local_time()
  return string.format("%04d-%02d-%02d", t.year, t.month, t.day)
end

return M
