-- Extends the leases a replica holds on sagas of one partition.
-- KEYS: partition leases zset, then the saga hash of each lease
-- ARGV: replica, ttl_ms, then per lease its saga id and token
-- Returns the ids whose lease the replica no longer holds.
local lost = {}
local expiry = now_ms() + tonumber(ARGV[2])
for i = 2, #KEYS do
  local id = ARGV[1 + 2 * (i - 1)]
  local token = ARGV[2 + 2 * (i - 1)]
  if holds_lease(KEYS[i], ARGV[1], token) then
    redis.call('HSET', KEYS[i], 'lx', expiry)
    redis.call('ZADD', KEYS[1], expiry, id)
  else
    table.insert(lost, id)
  end
end
return lost
