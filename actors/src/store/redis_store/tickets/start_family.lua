-- Starts a ticket family anew, replacing any earlier one of the same user and app.
-- KEYS: family hash (a/ae: authorization key hash and expiry, r/re: refresh key hash and
--       expiry, x: '1' once revoked, u:<hash>: refresh keys already rotated away)
-- ARGV: authorization hash, its expiry, refresh hash, its expiry, keep-until instant,
--       apply-by instant (all Unix ms)
-- Returns -1 when it arrived too late (nothing written), 1 when written.
if too_late(ARGV[6]) then
  return -1
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'a', ARGV[1], 'ae', ARGV[2], 'r', ARGV[3], 're', ARGV[4])
redis.call('PEXPIREAT', KEYS[1], ARGV[5])
return 1
