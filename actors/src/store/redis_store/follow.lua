-- Prepended to the scripts that write a saga (insert, commit).
-- Once the saga hash and journal are written, its timer, active/paused-set membership and
-- index rows follow the transition. `id` is the saga id; `timers`, `active` and `paused`
-- its partition's keys; `timer_op` (keep|set|clear), `timer_at` and `membership`
-- (active|paused|idle) as the caller sent them. The index changes are KEYS[first_key..]
-- (index hashes of the saga's partition), each with two ARGV from ARGV[first_arg]: op
-- (add|remove) and member.
local function follow(id, timers, active, paused, timer_op, timer_at, membership, first_key, first_arg)
  if timer_op == 'set' then
    redis.call('ZADD', timers, timer_at, id)
  elseif timer_op == 'clear' then
    redis.call('ZREM', timers, id)
  end
  if membership == 'active' then
    redis.call('SADD', active, id)
  else
    redis.call('SREM', active, id)
  end
  if membership == 'paused' then
    redis.call('SADD', paused, id)
  else
    redis.call('SREM', paused, id)
  end
  for i = first_key, #KEYS do
    local op = first_arg + 2 * (i - first_key)
    if ARGV[op] == 'add' then
      redis.call('HSET', KEYS[i], ARGV[op + 1], id)
    else
      redis.call('HDEL', KEYS[i], ARGV[op + 1])
    end
  end
end
