-- Deletes the links whose token lapsed unused at or before the cutoff, the earliest first.
-- A link the wallet exchanged (it has a virtual account) is only taken off the zset.
-- KEYS: the zset of lapsing links (score: token expiry, Unix ms).
-- ARGV: cutoff (Unix ms), limit, the key base (`<prefix>:{lnk}`).
-- Returns how many links were deleted.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local deleted = 0
for _, id in ipairs(due) do
  local link = ARGV[3] .. ':link:' .. id
  if redis.call('HEXISTS', link, 'v') == 0 then
    deleted = deleted + redis.call('DEL', link)
  end
  redis.call('ZREM', KEYS[1], id)
end
return deleted
