-- Revokes a wallet's virtual account and frees its (account, merchant) pair; enters it in
-- the zset of revoked accounts (by revocation), which retention reads.
-- KEYS: the virtual account hash.
-- ARGV: apply-by instant (Unix ms), key base (`<prefix>:{lnk}`), wallet, now (Unix ms),
--   virtual account id.
-- Returns -1 when too late (nothing done), 0 when the wallet has no such virtual account,
-- 1 when revoked (now or already).
if too_late(ARGV[1]) then
  return -1
end
local f = redis.call('HMGET', KEYS[1], 'w', 'm', 'k', 'r')
if f[1] ~= ARGV[3] then
  return 0
end
if not f[4] then
  redis.call('HSET', KEYS[1], 'r', ARGV[4])
  local pair = ARGV[2] .. ':pair:' .. f[3] .. ':' .. f[2]
  if redis.call('GET', pair) == ARGV[5] then
    redis.call('DEL', pair)
  end
  redis.call('ZADD', ARGV[2] .. ':revoked', ARGV[4], ARGV[5])
end
return 1
