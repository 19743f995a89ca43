-- Reads a link with its virtual account's revocation.
-- KEYS: the link hash.
-- ARGV: the key base (`<prefix>:{lnk}`).
-- Returns false when there is no link, else {merchant, sealed user reference, created,
-- updated, token expiry, virtual account id or '', linked '1' or '0', revoked 1 or 0}.
local f = redis.call('HMGET', KEYS[1], 'm', 'u', 'c', 'up', 'x', 'v', 'l')
if not f[1] then
  return false
end
local revoked = 0
if f[6] and redis.call('HEXISTS', ARGV[1] .. ':va:' .. f[6], 'r') == 1 then
  revoked = 1
end
return {f[1], f[2], f[3], f[4], f[5], f[6] or '', f[7] or '0', revoked}
