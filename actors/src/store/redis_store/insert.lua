-- Creates a saga with version 1 in one atomic step, unless the id is taken.
-- KEYS: saga hash, journal list, partition timers zset, partition active set, partition all zset
-- ARGV: id, meta JSON, sealed state, journal entry, timer op (keep|set|clear), timer at_ms,
--       active flag (1|0), created_at_ms, apply-by instant (Unix ms)
-- Returns -1 when it arrived too late, 0 when the saga already existed (nothing written
-- in either case), 1 when it was created.
if too_late(ARGV[9]) then
  return -1
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
local id = ARGV[1]
redis.call('HSET', KEYS[1], 'v', 1, 'm', ARGV[2], 's', ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
if ARGV[5] == 'set' then
  redis.call('ZADD', KEYS[3], ARGV[6], id)
elseif ARGV[5] == 'clear' then
  redis.call('ZREM', KEYS[3], id)
end
if ARGV[7] == '1' then
  redis.call('SADD', KEYS[4], id)
else
  redis.call('SREM', KEYS[4], id)
end
redis.call('ZADD', KEYS[5], ARGV[8], id)
return 1
