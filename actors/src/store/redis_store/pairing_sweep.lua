-- Prepended to the pairing scripts. A live code is a member `<code>:<owner>` of two
-- sorted sets of its grid cell: `cell:<rc>`, the GEO set (scored by place), and
-- `codes:<rc>` (scored by the code's number, to find one code's members at once); and
-- `<rc>|<member>` of the expiry zset, scored by its expiry. Each script first drops up to
-- `limit` codes that expired, from the cells too, so that members of codes nobody claims
-- never pile up. Keys outside KEYS all carry the hash tag of KEYS: one Cluster slot.
local function now_ms()
  local now = redis.call('TIME')
  return tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
end

-- Drops `member` of cell `cell` (name `<rc>`) from the cell's two sets and the expiry zset.
local function drop(expiry_key, prefix, cell, member)
  redis.call('ZREM', prefix .. 'cell:' .. cell, member)
  redis.call('ZREM', prefix .. 'codes:' .. cell, member)
  redis.call('ZREM', expiry_key, cell .. '|' .. member)
end

local function sweep(expiry_key, prefix, now, limit)
  local expired = redis.call('ZRANGEBYSCORE', expiry_key, '-inf', now, 'LIMIT', 0, limit)
  for _, entry in ipairs(expired) do
    local bar = string.find(entry, '|', 1, true)
    drop(expiry_key, prefix, string.sub(entry, 1, bar - 1), string.sub(entry, bar + 1))
  end
end

-- Keeps `key` at least `ttl_ms` longer, so a cell nobody visits again vanishes whole.
local function keep_for(key, ttl_ms)
  if redis.call('PTTL', key) < ttl_ms then
    redis.call('PEXPIRE', key, ttl_ms)
  end
end

-- The great-circle distance in metres, on the sphere Redis GEO uses.
local function distance_m(lon1, lat1, lon2, lat2)
  local rad = math.pi / 180
  local u = math.sin((lat2 - lat1) * rad / 2)
  local v = math.sin((lon2 - lon1) * rad / 2)
  local a = u * u + math.cos(lat1 * rad) * math.cos(lat2 * rad) * v * v
  return 2 * 6372797.560856 * math.asin(math.min(1, math.sqrt(a)))
end

-- The members of `cell` holding the code numbered `code` within `reach` metres of the point.
local function holders(prefix, cell, code, lon, lat, reach)
  local found = {}
  local members = redis.call('ZRANGEBYSCORE', prefix .. 'codes:' .. cell, code, code)
  if #members == 0 then
    return found
  end
  local places = redis.call('GEOPOS', prefix .. 'cell:' .. cell, unpack(members))
  for i, member in ipairs(members) do
    local place = places[i]
    if place and distance_m(lon, lat, tonumber(place[1]), tonumber(place[2])) <= reach then
      table.insert(found, member)
    end
  end
  return found
end
