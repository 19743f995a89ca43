-- Claims a pairing code.
-- KEYS: expiry zset, then for every cell within reach of the claimant its GEO set and its
--   code set.
-- ARGV: apply-by instant (Unix ms), code number, claimant (`<scope>|<account>`), lon, lat,
--   reach (m), key prefix (up to the cell names), sweep limit, the claimant's scope with
--   its `|`, then the cell names in KEYS' order
-- Returns {-1, false} when too late (nothing done), {0, false} when no live code of
-- another account is in reach, {1, record} when claimed (the code is gone).
if too_late(ARGV[1]) then
  return {-1, false}
end
local code, claimant, prefix = tonumber(ARGV[2]), ARGV[3], ARGV[7]
local lon, lat, reach = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local scope = ARGV[9]
sweep(KEYS[1], prefix, now_ms(), tonumber(ARGV[8]))
for i = 10, #ARGV do
  local cell = ARGV[i]
  for _, member in ipairs(holders(prefix, cell, code, lon, lat, reach)) do
    local account = string.sub(member, 8)
    if account == claimant or string.sub(account, 1, #scope) ~= scope then
      return {0, false}
    end
    local record_key = prefix .. 'acct:' .. account
    local record = redis.call('HMGET', record_key, 'member', 'record')
    -- A member whose record lapsed is an expired code the sweep has not reached: it goes.
    drop(KEYS[1], prefix, cell, member)
    if record[1] == member then
      redis.call('DEL', record_key)
      return {1, record[2]}
    end
  end
end
return {0, false}
