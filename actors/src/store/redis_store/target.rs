//! Where a Redis URL points, in a form fit for logs: a URL may carry a password, this
//! never does.

use redis::ConnectionAddr;

use crate::store::StoreError;

/// The server and database of a Redis URL, without its credentials, so that start-up and
/// connection logs can say where the store is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisTarget {
    /// Host name or address; the socket path for a Unix socket.
    pub host: String,
    /// TCP port; none for a Unix socket.
    pub port: Option<u16>,
    /// Database number.
    pub db: i64,
}

impl RedisTarget {
    /// Reads the target of `url`; fails as connecting would on an invalid URL.
    pub fn of_url(url: &str) -> Result<RedisTarget, StoreError> {
        let client = redis::Client::open(url)?;
        let info = client.get_connection_info();
        let (host, port) = match &info.addr {
            ConnectionAddr::Tcp(host, port) => (host.clone(), Some(*port)),
            ConnectionAddr::TcpTls { host, port, .. } => (host.clone(), Some(*port)),
            ConnectionAddr::Unix(path) => (path.display().to_string(), None),
        };
        Ok(RedisTarget {
            host,
            port,
            db: info.redis.db,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_keeps_host_port_and_db_and_drops_the_credentials() {
        let target = RedisTarget::of_url("redis://user:secretpw@cache.internal:6380/3").unwrap();
        assert_eq!(
            target,
            RedisTarget {
                host: "cache.internal".into(),
                port: Some(6380),
                db: 3,
            }
        );
        assert!(!format!("{target:?}").contains("secretpw"));
    }

    #[test]
    fn a_unix_socket_has_a_path_and_no_port() {
        let target = RedisTarget::of_url("redis+unix:///run/redis.sock?db=2").unwrap();
        assert_eq!(
            (target.host.as_str(), target.port, target.db),
            ("/run/redis.sock", None, 2)
        );
    }
}
