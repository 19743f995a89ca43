//! Reading what the orchestrator stored in Redis under a test's key prefix.

use redis::{Commands, Connection, Value};

/// A synchronous Redis connection scoped to one key prefix.
pub struct RedisProbe {
    connection: Connection,
    prefix: String,
}

impl std::fmt::Debug for RedisProbe {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisProbe")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

impl RedisProbe {
    /// Connects to `url`; panics with a clear message when Redis is not there.
    pub fn connect(url: &str, prefix: &str) -> RedisProbe {
        let client = redis::Client::open(url).unwrap_or_else(|e| panic!("redis url {url}: {e}"));
        let connection = client.get_connection().unwrap_or_else(|e| {
            panic!("cannot connect to Redis at {url} (set ONBOARD_TEST_REDIS_URL): {e}")
        });
        RedisProbe {
            connection,
            prefix: prefix.to_owned(),
        }
    }

    /// The key prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// Every key under `<prefix>:`, sorted.
    pub fn keys(&mut self) -> Vec<String> {
        let pattern = format!("{}:*", self.prefix);
        let mut keys: Vec<String> = self
            .connection
            .scan_match::<_, String>(&pattern)
            .expect("SCAN")
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Keys under the prefix that contain `needle` (e.g. `":saga:"`).
    pub fn keys_containing(&mut self, needle: &str) -> Vec<String> {
        self.keys()
            .into_iter()
            .filter(|k| k.contains(needle))
            .collect()
    }

    /// The field names of the hash `key`.
    pub fn hash_fields(&mut self, key: &str) -> Vec<String> {
        redis::cmd("HKEYS")
            .arg(key)
            .query(&mut self.connection)
            .expect("HKEYS")
    }

    /// Every key under the prefix with its whole value flattened to bytes
    /// (strings, hash fields and values, list/set/zset members, stream entries).
    pub fn dump(&mut self) -> Vec<(String, Vec<u8>)> {
        let keys = self.keys();
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let kind: String = redis::cmd("TYPE")
                .arg(&key)
                .query(&mut self.connection)
                .expect("TYPE");
            let value: Value = match kind.as_str() {
                "string" => redis::cmd("GET").arg(&key).query(&mut self.connection),
                "hash" => redis::cmd("HGETALL").arg(&key).query(&mut self.connection),
                "list" => redis::cmd("LRANGE")
                    .arg(&key)
                    .arg(0)
                    .arg(-1)
                    .query(&mut self.connection),
                "set" => redis::cmd("SMEMBERS").arg(&key).query(&mut self.connection),
                "zset" => redis::cmd("ZRANGE")
                    .arg(&key)
                    .arg(0)
                    .arg(-1)
                    .arg("WITHSCORES")
                    .query(&mut self.connection),
                "stream" => redis::cmd("XRANGE")
                    .arg(&key)
                    .arg("-")
                    .arg("+")
                    .query(&mut self.connection),
                "none" => continue, // expired meanwhile
                other => panic!("key {key} has unexpected type {other}"),
            }
            .unwrap_or_else(|e| panic!("reading {key} ({kind}): {e}"));
            let mut bytes = Vec::new();
            flatten(&value, &mut bytes);
            out.push((key, bytes));
        }
        out
    }

    /// Deletes every key under the prefix.
    pub fn cleanup(&mut self) {
        for key in self.keys() {
            let _: Result<(), _> = self.connection.del(&key);
        }
    }
}

fn flatten(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::BulkString(bytes) => out.extend_from_slice(bytes),
        Value::SimpleString(text) => out.extend_from_slice(text.as_bytes()),
        Value::Array(items) | Value::Set(items) => {
            for item in items {
                flatten(item, out);
                out.push(b'\n');
            }
        }
        Value::Map(pairs) => {
            for (k, v) in pairs {
                flatten(k, out);
                out.push(b'=');
                flatten(v, out);
                out.push(b'\n');
            }
        }
        other => out.extend_from_slice(format!("{other:?}").as_bytes()),
    }
}
