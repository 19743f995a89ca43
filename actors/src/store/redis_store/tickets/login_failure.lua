-- Counts a failed login of one username and locks it out from the threshold on.
-- KEYS: failures hash (n: consecutive failures, until: end of the lockout, Unix ms)
-- ARGV: now (Unix ms), threshold, first lockout (ms), longest lockout (ms), how long the
--       count outlives this failure (ms)
-- Returns the consecutive failures so far.
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local threshold = tonumber(ARGV[2])
if n >= threshold then
  local lock = tonumber(ARGV[3]) * 2 ^ math.min(n - threshold, 32)
  lock = math.min(lock, tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'until', string.format('%d', tonumber(ARGV[1]) + lock))
end
redis.call('PEXPIRE', KEYS[1], math.max(tonumber(ARGV[5]), 1))
return n
