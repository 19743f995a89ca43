-- Prepended to the scripts that write a saga (insert, commit).
-- Once the saga hash and journal are written, its timer, active/paused-set membership,
-- finished-set membership and index rows follow the transition. `id` is the saga id;
-- `saga` its hash; `timers`, `active`, `paused` and `finished` its partition's keys;
-- `timer_op` (keep|set|clear), `timer_at`, `membership` (active|paused|idle) and
-- `finished_at` (the instant the saga finished, '' while it has not) as the caller sent
-- them. The index changes are KEYS[first_key..] (index hashes of the saga's partition),
-- each with two ARGV from ARGV[first_arg]: op (add|remove) and member. The saga hash
-- keeps a field `x:<length of the index key>:<index key><member>` per row it holds, so
-- that deleting the saga finds its rows.
local function follow(id, saga, timers, active, paused, finished, timer_op, timer_at, membership,
                      finished_at, first_key, first_arg)
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
  if finished_at ~= '' then
    redis.call('ZADD', finished, 'NX', finished_at, id)
  end
  for i = first_key, #KEYS do
    local op = first_arg + 2 * (i - first_key)
    local field = 'x:' .. #KEYS[i] .. ':' .. KEYS[i] .. ARGV[op + 1]
    if ARGV[op] == 'add' then
      redis.call('HSET', KEYS[i], ARGV[op + 1], id)
      redis.call('HSET', saga, field, '1')
    else
      redis.call('HDEL', KEYS[i], ARGV[op + 1])
      redis.call('HDEL', saga, field)
    end
  end
end
