-- Links a link to the virtual account its exchange minted.
-- KEYS: the link hash.
-- ARGV: apply-by instant (Unix ms), merchant, virtual account id, now (Unix ms).
-- Returns -1 when too late (nothing done), 0 when the merchant has no such link, 2 when the
-- virtual account was not minted for it, 1 when linked (now or already).
if too_late(ARGV[1]) then
  return -1
end
local f = redis.call('HMGET', KEYS[1], 'm', 'v', 'l')
if f[1] ~= ARGV[2] then
  return 0
end
if f[2] ~= ARGV[3] then
  return 2
end
if not f[3] then
  redis.call('HSET', KEYS[1], 'l', '1', 'up', ARGV[4])
end
return 1
