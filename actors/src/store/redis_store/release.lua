-- Gives up a replica's lease of a saga, if it still holds it under that token.
-- KEYS: saga hash, partition leases zset
-- ARGV: id, replica, token
if holds_lease(KEYS[1], ARGV[2], ARGV[3]) then
  redis.call('HDEL', KEYS[1], 'lo', 'lx')
  redis.call('ZREM', KEYS[2], ARGV[1])
end
return 1
