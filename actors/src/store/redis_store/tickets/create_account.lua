-- Creates an account unless its username is taken.
-- KEYS: account hash
-- ARGV: user id, sealed username, password hash, apply-by instant (Unix ms)
-- Returns -1 when it arrived too late, 0 when the username is taken (nothing written in
-- either case), 1 when the account was created.
if too_late(ARGV[4]) then
  return -1
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('HSET', KEYS[1], 'id', ARGV[1], 'un', ARGV[2], 'pw', ARGV[3])
return 1
