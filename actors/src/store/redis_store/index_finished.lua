-- Enters finished sagas of one partition in its finished zset, each only while its hash
-- exists (a purge may have deleted it since it was read) and only if it is not there yet.
-- KEYS: partition finished zset
-- ARGV: the partition's key prefix (`<prefix>:{pNN}:`), then per saga its id and the
--       instant it finished
-- Returns how many it entered.
local entered = 0
for i = 2, #ARGV, 2 do
  if redis.call('EXISTS', ARGV[1] .. 'saga:' .. ARGV[i]) == 1 then
    entered = entered + redis.call('ZADD', KEYS[1], 'NX', ARGV[i + 1], ARGV[i])
  end
end
return entered
