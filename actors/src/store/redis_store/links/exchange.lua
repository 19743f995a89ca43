-- Spends a link token: the link's merchant gets its active virtual account for the
-- payment account, or the candidate becomes it; the link no longer lapses.
-- KEYS: the token key.
-- ARGV: apply-by instant (Unix ms), key base (`<prefix>:{lnk}`), now (Unix ms), candidate
--   id, candidate's sealed account, account key, wallet, created (Unix ms).
-- Returns {-1, false, false} when too late (nothing done), {0, false, false} when no live
-- token has this hash, {1, virtual account id, merchant} when spent.
if too_late(ARGV[1]) then
  return {-1, false, false}
end
local base, now, account_key = ARGV[2], tonumber(ARGV[3]), ARGV[6]
local link_id = redis.call('GET', KEYS[1])
if not link_id then
  return {0, false, false}
end
local link = base .. ':link:' .. link_id
local f = redis.call('HMGET', link, 'm', 'x', 'v')
if not f[1] or f[3] or tonumber(f[2]) <= now then
  redis.call('DEL', KEYS[1])
  return {0, false, false}
end
local merchant = f[1]
local pair = base .. ':pair:' .. account_key .. ':' .. merchant
local virtual = redis.call('GET', pair)
if not virtual then
  virtual = ARGV[4]
  redis.call('HSET', base .. ':va:' .. virtual, 'm', merchant, 'w', ARGV[7], 'a', ARGV[5],
    'k', account_key, 'c', ARGV[8])
  redis.call('SET', pair, virtual)
  redis.call('ZADD', base .. ':acct:' .. account_key, ARGV[8], virtual)
end
redis.call('HSET', link, 'v', virtual, 'up', ARGV[3])
redis.call('ZREM', base .. ':lapsing', link_id)
redis.call('DEL', KEYS[1])
return {1, virtual, merchant}
