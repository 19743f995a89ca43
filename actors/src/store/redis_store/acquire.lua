-- Takes the lease of a saga that exists for a replica, unless another holds a live one.
-- KEYS: saga hash, partition leases zset
-- ARGV: id, replica, ttl_ms
-- Returns the fencing token, or 0.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
return take_lease(KEYS[1], KEYS[2], ARGV[1], ARGV[2], ARGV[3])
