-- Creates a saga with version 1 in one atomic step, unless the id is taken; the creator
-- holds its lease (token 1) when it needs driving.
-- KEYS: saga hash, journal list, partition timers zset, partition active set, partition
--       paused set, partition all zset, partition leases zset, partition finished zset,
--       then one partition index hash per index row
-- ARGV: id, meta JSON, sealed state, journal entry, timer op (keep|set|clear), timer at_ms,
--       membership (active|paused|idle), finished instant ('' unless finished),
--       created_at_ms, apply-by instant (Unix ms), replica, lease ttl_ms, then per index
--       row 'add' and its member
-- Returns -1 when it arrived too late, 0 when the saga already existed (nothing written
-- in either case), 1 when it was created.
if too_late(ARGV[10]) then
  return -1
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'v', 1, 'm', ARGV[2], 's', ARGV[3])
redis.call('RPUSH', KEYS[2], ARGV[4])
redis.call('ZADD', KEYS[6], ARGV[9], ARGV[1])
follow(ARGV[1], KEYS[1], KEYS[3], KEYS[4], KEYS[5], KEYS[8], ARGV[5], ARGV[6], ARGV[7], ARGV[8],
  9, 13)
if ARGV[7] == 'active' then
  take_lease(KEYS[1], KEYS[7], ARGV[1], ARGV[11], ARGV[12])
end
return 1
