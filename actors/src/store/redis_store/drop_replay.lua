-- Deletes an idempotency record if its response is about the saga named (a key used again
-- later for another request no longer is).
-- KEYS: idempotency record hash
-- ARGV: saga id
-- Returns 1 when it deleted the record, else 0.
if redis.call('HGET', KEYS[1], 'sg') == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
