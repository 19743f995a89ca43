-- Applies one saga transition atomically, guarded by the version the writer read.
-- KEYS: saga hash, journal list, partition timers zset, partition active set
-- ARGV: id, expected version, meta JSON, sealed state, journal entry,
--       timer op (keep|set|clear), timer at_ms, active flag (1|0), apply-by instant (Unix ms)
-- Returns -1 when it arrived too late, 0 when the saga does not exist, 1 on a version
-- mismatch (nothing written in these cases), 2 when the transition was applied.
if too_late(ARGV[9]) then
  return -1
end
local version = redis.call('HGET', KEYS[1], 'v')
if not version then
  return 0
end
-- Compared as decimal strings so that versions beyond 2^53 stay exact.
if version ~= ARGV[2] then
  return 1
end
local id = ARGV[1]
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'm', ARGV[3], 's', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[5])
if ARGV[6] == 'set' then
  redis.call('ZADD', KEYS[3], ARGV[7], id)
elseif ARGV[6] == 'clear' then
  redis.call('ZREM', KEYS[3], id)
end
if ARGV[8] == '1' then
  redis.call('SADD', KEYS[4], id)
else
  redis.call('SREM', KEYS[4], id)
end
return 2
