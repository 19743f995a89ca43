-- A stand-in for one saga transition (modelled on actors' commit.lua), for the
-- redis-benchmark ceiling: version check, state write, journal append, timer, index.
-- KEYS: saga hash, journal list, timers zset, active set
-- ARGV: id, expected version ('*' skips the check), meta, sealed state, journal entry, timer at_ms
local version = redis.call('HGET', KEYS[1], 'v')
if version and ARGV[2] ~= '*' and version ~= ARGV[2] then
  return 1
end
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'm', ARGV[3], 's', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[5])
redis.call('ZADD', KEYS[3], ARGV[6], ARGV[1])
redis.call('SADD', KEYS[4], ARGV[1])
return 2
