-- Stores a pending link and its token, and enters the link among those whose token may
-- lapse unused (by the token's expiry).
-- KEYS: the link hash, the token key, the zset of lapsing links.
-- ARGV: apply-by instant (Unix ms), merchant, sealed user reference, created (Unix ms),
--   token expiry (Unix ms), token life (ms), link id.
-- Returns -1 when too late (nothing done), 1 when stored.
if too_late(ARGV[1]) then
  return -1
end
redis.call('HSET', KEYS[1], 'm', ARGV[2], 'u', ARGV[3], 'c', ARGV[4], 'up', ARGV[4], 'x', ARGV[5])
redis.call('SET', KEYS[2], ARGV[7], 'PX', ARGV[6])
redis.call('ZADD', KEYS[3], ARGV[5], ARGV[7])
return 1
