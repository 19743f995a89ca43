-- Prepended to every script that writes on behalf of a caller.
-- A write carries the instant (Unix milliseconds) at which its caller stops waiting for
-- it. One that reaches Redis later (held up in the network or behind a paused server) is
-- refused, so that nothing is ever done for a request that was already answered with an
-- error. The instant is compared with the Redis server's clock.
local function too_late(apply_by_ms)
  local now = redis.call('TIME')
  local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
  return now_ms > tonumber(apply_by_ms)
end
