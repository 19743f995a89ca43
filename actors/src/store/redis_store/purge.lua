-- Deletes finished sagas of one partition with every record of them: the saga hash (state,
-- meta, lease), journal, idempotency-record set, index rows, and their memberships of the
-- partition's sets. A saga is deleted only while it is still in the finished set at or
-- before the cut-off, so that of several replicas purging at once one deletes (and
-- counts) it and the others skip it.
-- KEYS: partition finished zset, timers zset, active set, paused set, all zset, leases zset
-- ARGV: cut-off (Unix ms), the partition's key prefix (`<prefix>:{pNN}:`), then saga ids
-- Returns how many sagas it deleted.
local cutoff, prefix, purged = tonumber(ARGV[1]), ARGV[2], 0
for i = 3, #ARGV do
  local id = ARGV[i]
  local at = redis.call('ZSCORE', KEYS[1], id)
  if at and tonumber(at) <= cutoff then
    local saga = prefix .. 'saga:' .. id
    -- Fields `x:<key length>:<index key><member>` name the saga's index rows.
    for _, field in ipairs(redis.call('HKEYS', saga)) do
      if string.sub(field, 1, 2) == 'x:' then
        local colon = string.find(field, ':', 3, true)
        local length = tonumber(string.sub(field, 3, colon - 1))
        local index = string.sub(field, colon + 1, colon + length)
        local member = string.sub(field, colon + length + 1)
        if redis.call('HGET', index, member) == id then
          redis.call('HDEL', index, member)
        end
      end
    end
    redis.call('DEL', saga, prefix .. 'journal:' .. id, prefix .. 'idem_of:' .. id)
    redis.call('ZREM', KEYS[1], id)
    redis.call('ZREM', KEYS[2], id)
    redis.call('SREM', KEYS[3], id)
    redis.call('SREM', KEYS[4], id)
    redis.call('ZREM', KEYS[5], id)
    redis.call('ZREM', KEYS[6], id)
    purged = purged + 1
  end
end
return purged
