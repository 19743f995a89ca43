-- Presents a refresh key to its family: rotates both keys when it is the current one,
-- revokes the family when it was already rotated away. One script, so of two concurrent
-- rotations with one key exactly one rotates and the other finds the key used.
-- KEYS: family hash (see start_family.lua)
-- ARGV: presented refresh hash, new authorization hash, its expiry, new refresh hash, its
--       expiry, now, keep-until instant, apply-by instant (all Unix ms)
-- Returns -1 when it arrived too late (nothing done), 0 invalid, 1 rotated, 2 reused
-- (the family is now revoked), 3 expired.
if too_late(ARGV[8]) then
  return -1
end
if redis.call('EXISTS', KEYS[1]) == 0 then
  return 0
end
local used = 'u:' .. ARGV[1]
if redis.call('HEXISTS', KEYS[1], used) == 1 then
  redis.call('HSET', KEYS[1], 'x', '1')
  redis.call('HDEL', KEYS[1], 'a', 'ae')
  return 2
end
local family = redis.call('HMGET', KEYS[1], 'r', 're', 'x')
if family[3] == '1' or family[1] ~= ARGV[1] then
  return 0
end
if tonumber(family[2]) <= tonumber(ARGV[6]) then
  return 3
end
redis.call('HSET', KEYS[1], used, '1', 'a', ARGV[2], 'ae', ARGV[3], 'r', ARGV[4], 're', ARGV[5])
redis.call('PEXPIREAT', KEYS[1], ARGV[7])
return 1
