-- Prepended to the scripts that take, keep or drop a saga's lease. A saga hash holds its
-- lease as `lo` (owner replica), `lt` (fencing token, raised whenever the owner changes)
-- and `lx` (expiry, Unix ms on this server's clock); the partition's `leases` zset holds
-- each leased saga by expiry, so that a sweep finds the expired ones.
local function now_ms()
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end

-- Takes or extends the lease of `id` for `replica` unless another replica holds a live
-- one: answers the fencing token, or 0. A lease of `replica` with more than half its time
-- left is left as it is (the renewals keep it), so that most commits write nothing here.
local function take_lease(saga, leases, id, replica, ttl_ms)
  local lease = redis.call('HMGET', saga, 'lo', 'lt', 'lx')
  local now = now_ms()
  if lease[1] == replica and tonumber(lease[3]) - now > tonumber(ttl_ms) / 2 then
    return tonumber(lease[2])
  end
  if lease[1] and lease[1] ~= replica and tonumber(lease[3]) >= now then
    return 0
  end
  local token = tonumber(lease[2] or '0')
  if lease[1] ~= replica then
    token = redis.call('HINCRBY', saga, 'lt', 1)
  end
  local expiry = now + tonumber(ttl_ms)
  redis.call('HSET', saga, 'lo', replica, 'lx', expiry)
  redis.call('ZADD', leases, expiry, id)
  return token
end

-- Whether `replica` holds the live lease of `saga` under `token`.
local function holds_lease(saga, replica, token)
  local lease = redis.call('HMGET', saga, 'lo', 'lt', 'lx')
  return lease[1] == replica and lease[2] == token and tonumber(lease[3]) >= now_ms()
end

-- Drops the lease of `id` if `replica` holds it or it has expired.
local function drop_lease(saga, leases, id, replica)
  local lease = redis.call('HMGET', saga, 'lo', 'lx')
  if lease[1] and (lease[1] == replica or tonumber(lease[2]) < now_ms()) then
    redis.call('HDEL', saga, 'lo', 'lx')
    redis.call('ZREM', leases, id)
  end
end
