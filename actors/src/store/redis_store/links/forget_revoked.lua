-- Forgets the real account of the virtual accounts revoked at or before the cutoff, the
-- earliest first: the sealed account and the account key go, and so does the account's
-- listing entry; the rest of the hash (merchant, wallet, created, revoked) stays.
-- KEYS: the zset of revoked virtual accounts (score: revocation, Unix ms).
-- ARGV: cutoff (Unix ms), limit, the key base (`<prefix>:{lnk}`).
-- Returns how many were forgotten.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
local forgotten = 0
for _, id in ipairs(due) do
  local virtual = ARGV[3] .. ':va:' .. id
  local account_key = redis.call('HGET', virtual, 'k')
  if account_key then
    redis.call('ZREM', ARGV[3] .. ':acct:' .. account_key, id)
  end
  if redis.call('HDEL', virtual, 'a', 'k') > 0 then
    forgotten = forgotten + 1
  end
  redis.call('ZREM', KEYS[1], id)
end
return forgotten
