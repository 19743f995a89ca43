-- Claims an API idempotency key, or reports the record that holds it.
-- KEYS: idempotency hash
-- ARGV: request fingerprint, in-flight TTL in milliseconds, apply-by instant (Unix ms)
-- Returns {-1, '', ''} when it arrived too late (nothing claimed), {0, '', ''} when
-- claimed, {1, fingerprint, ''} when another request is in flight, {2, fingerprint,
-- response} when a request with the key completed.
if too_late(ARGV[3]) then
  return {-1, '', ''}
end
local record = redis.call('HMGET', KEYS[1], 'st', 'fp', 'rs')
if record[1] == 'in_flight' then
  return {1, record[2] or '', ''}
elseif record[1] == 'completed' then
  return {2, record[2] or '', record[3] or ''}
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'st', 'in_flight', 'fp', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {0, '', ''}
