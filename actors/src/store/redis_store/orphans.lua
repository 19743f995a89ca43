-- The sagas of one partition that need driving but hold no live lease.
-- KEYS: partition active set, partition leases zset
local now = now_ms()
local orphans = {}
for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local expiry = redis.call('ZSCORE', KEYS[2], id)
  if not expiry or tonumber(expiry) < now then
    table.insert(orphans, id)
  end
end
return orphans
