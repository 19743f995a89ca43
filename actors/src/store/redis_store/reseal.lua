-- Replaces one sealed field of a hash only if it still holds the bytes read.
-- KEYS: the hash (a saga or an account)
-- ARGV: field, bytes read, new bytes
-- Returns 1 when replaced, 0 when the field changed (or the hash went) meanwhile.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
