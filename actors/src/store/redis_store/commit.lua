-- Applies one saga transition atomically, guarded by the version the writer read and,
-- for a drive commit, by the writer's lease.
-- KEYS: saga hash, journal list, partition timers zset, partition active set, partition
--       paused set, partition leases zset, partition finished zset, then one partition
--       index hash per index change
-- ARGV: id, expected version, meta JSON, sealed state, journal entry,
--       timer op (keep|set|clear), timer at_ms, membership (active|paused|idle), finished
--       instant ('' unless finished), apply-by instant (Unix ms), replica, fencing token
--       ('' for an event any replica may apply), lease ttl_ms, then per index change its
--       op (add|remove) and member
-- Returns {code, token}: code -1 when it arrived too late, 0 when the saga does not
-- exist, 1 on a version mismatch, 3 when the writer's lease is lost (nothing written in
-- these cases), 2 when the transition was applied; token is the writer's fencing token
-- when it holds the lease after the commit, else 0.
if too_late(ARGV[10]) then
  return {-1, 0}
end
local version = redis.call('HGET', KEYS[1], 'v')
if not version then
  return {0, 0}
end
-- Compared as decimal strings so that versions beyond 2^53 stay exact.
if version ~= ARGV[2] then
  return {1, 0}
end
if ARGV[12] ~= '' and not holds_lease(KEYS[1], ARGV[11], ARGV[12]) then
  return {3, 0}
end
redis.call('HINCRBY', KEYS[1], 'v', 1)
redis.call('HSET', KEYS[1], 'm', ARGV[3], 's', ARGV[4])
redis.call('RPUSH', KEYS[2], ARGV[5])
follow(ARGV[1], KEYS[1], KEYS[3], KEYS[4], KEYS[5], KEYS[7], ARGV[6], ARGV[7], ARGV[8], ARGV[9],
  8, 14)
if ARGV[8] == 'active' then
  return {2, take_lease(KEYS[1], KEYS[6], ARGV[1], ARGV[11], ARGV[13])}
end
drop_lease(KEYS[1], KEYS[6], ARGV[1], ARGV[11])
return {2, 0}
