-- The finished sagas of one partition due for deletion, oldest first, each with the keys
-- of the idempotency records about it. Reads only.
-- KEYS: partition finished zset
-- ARGV: cut-off (Unix ms), limit, the partition's key prefix (`<prefix>:{pNN}:`)
-- Returns {id, finished instant, {record keys}} per saga.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0,
  ARGV[2])
local out = {}
for i = 1, #due, 2 do
  local replays = redis.call('SMEMBERS', ARGV[3] .. 'idem_of:' .. due[i])
  table.insert(out, {due[i], due[i + 1], replays})
end
return out
