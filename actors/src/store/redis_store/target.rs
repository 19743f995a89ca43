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
    /// How many URLs were given: 1 for a server, the seed nodes of a Redis Cluster else.
    pub seed_nodes: usize,
}

impl RedisTarget {
    /// Reads the target of `url` (of its first node when several comma-separated URLs
    /// name a cluster); fails as connecting would on an invalid URL.
    pub fn of_url(url: &str) -> Result<RedisTarget, StoreError> {
        let nodes: Vec<&str> = url.split(',').map(str::trim).collect();
        let mut targets = nodes
            .iter()
            .map(|node| RedisTarget::of_node(node, nodes.len()));
        let first = targets.next().expect("split yields at least one part")?;
        targets.try_for_each(|node| node.map(drop))?;
        Ok(first)
    }

    fn of_node(url: &str, seed_nodes: usize) -> Result<RedisTarget, StoreError> {
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
            seed_nodes,
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
                seed_nodes: 1,
            }
        );
        assert!(!format!("{target:?}").contains("secretpw"));
    }

    #[test]
    fn several_urls_name_a_cluster_by_its_first_node_and_each_must_be_valid() {
        let target = RedisTarget::of_url("redis://a:7000, redis://b:7001,redis://c:7002").unwrap();
        assert_eq!(
            (target.host.as_str(), target.port, target.seed_nodes),
            ("a", Some(7000), 3)
        );
        assert!(RedisTarget::of_url("redis://a:7000,nonsense").is_err());
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
