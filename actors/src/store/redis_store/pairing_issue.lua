-- Issues a pairing code.
-- KEYS: expiry zset, the account's record hash, then for every cell within the exclusion
--   distance (the code's own cell first) its GEO set and its code set.
-- ARGV: apply-by instant (Unix ms), owner (`<scope>|<account>`), lon, lat, exclusion
--   distance (m), TTL (ms), record, first candidate, candidate step, key prefix (up to the
--   cell names), sweep limit, random tries before the full search, then the cell names in
--   KEYS' order
-- Returns {-1} when too late (nothing done), {0} when every code is taken (false stands
-- for nil, so that every answer has three elements), and {1, code, expires_at_ms} when
-- issued.
if too_late(ARGV[1]) then
  return {-1, false, false}
end
local account, exclusion = ARGV[2], tonumber(ARGV[5])
local lon, lat = tonumber(ARGV[3]), tonumber(ARGV[4])
local ttl, prefix = tonumber(ARGV[6]), ARGV[10]
local cells = {}
for i = 13, #ARGV do
  table.insert(cells, ARGV[i])
end
local now = now_ms()
sweep(KEYS[1], prefix, now, tonumber(ARGV[11]))

-- An account holds one live code: the new one replaces it.
local old = redis.call('HMGET', KEYS[2], 'cell', 'member')
if old[1] then
  drop(KEYS[1], prefix, old[1], old[2])
  redis.call('DEL', KEYS[2])
end

local function taken(code)
  for _, cell in ipairs(cells) do
    if #holders(prefix, cell, code, lon, lat, exclusion) > 0 then
      return true
    end
  end
  return false
end

-- A few candidates first, each checked by its number alone: cheap at any density.
local candidate, step, code = tonumber(ARGV[8]), tonumber(ARGV[9]), nil
for _ = 1, tonumber(ARGV[12]) do
  if not taken(candidate) then
    code = candidate
    break
  end
  candidate = (candidate + step) % 1000000
end

-- Then the full search: every live code in range, by GEOSEARCH, and the first free one.
if not code then
  local used, count = {}, 0
  for _, cell in ipairs(cells) do
    local members = redis.call('GEOSEARCH', prefix .. 'cell:' .. cell, 'FROMLONLAT', lon, lat,
      'BYRADIUS', exclusion, 'm')
    for _, member in ipairs(members) do
      local number = tonumber(string.sub(member, 1, 6))
      if not used[number] then
        used[number] = true
        count = count + 1
      end
    end
  end
  if count >= 1000000 then
    return {0, false, false}
  end
  for _ = 1, 1000000 do
    if not used[candidate] then
      code = candidate
      break
    end
    candidate = (candidate + step) % 1000000
  end
end

local member = string.format('%06d', code) .. ':' .. account
local own = cells[1]
local expires = now + ttl
redis.call('GEOADD', KEYS[3], lon, lat, member)
redis.call('ZADD', KEYS[4], code, member)
redis.call('ZADD', KEYS[1], expires, own .. '|' .. member)
redis.call('HSET', KEYS[2], 'cell', own, 'member', member, 'record', ARGV[7])
redis.call('PEXPIRE', KEYS[2], ttl)
keep_for(KEYS[3], ttl)
keep_for(KEYS[4], ttl)
keep_for(KEYS[1], ttl)
return {1, string.format('%06d', code), expires}
