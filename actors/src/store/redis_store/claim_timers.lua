-- Claims the due timers of one partition: each is pushed to `hold_until`, so that no
-- other replica delivers it meanwhile; the delivery's commit then re-arms or clears it,
-- and a delivery that never happened fires again at `hold_until`.
-- KEYS: partition timers zset
-- ARGV: now_ms, limit, hold_until_ms
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, ARGV[2])
for i = 1, #due, 2 do
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], due[i])
end
return due
