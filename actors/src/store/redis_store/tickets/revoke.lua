-- Revokes a ticket family when the presented refresh key is one of its own (the current
-- one or one already rotated away).
-- KEYS: family hash (see start_family.lua)
-- ARGV: presented refresh hash
-- Returns 1 when the family is revoked, 0 when the key is not one of its own.
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
if redis.call('HGET', KEYS[1], 'r') ~= ARGV[1]
    and redis.call('HEXISTS', KEYS[1], 'u:' .. ARGV[1]) == 0 then
  return 0
end
redis.call('HSET', KEYS[1], 'x', '1')
redis.call('HDEL', KEYS[1], 'a', 'ae')
return 1
