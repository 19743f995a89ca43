//! The connection to Redis: one server (a reconnecting multiplexed connection) or a Redis
//! Cluster (the redis crate's cluster client, which follows `MOVED` and `ASK` and learns
//! the new topology after a failover). Several comma-separated URLs select the cluster.

use std::time::Duration;

use futures::future::try_join_all;
use redis::aio::{ConnectionLike, ConnectionManager, ConnectionManagerConfig};
use redis::cluster::ClusterClientBuilder;
use redis::cluster_async::ClusterConnection;
use redis::cluster_routing::{RoutingInfo, SingleNodeRoutingInfo};
use redis::{AsyncConnectionConfig, Cmd, FromRedisValue, Pipeline, RedisFuture, Value};

use crate::store::StoreError;

/// The longest pause between two reconnection attempts, so that the store is used again
/// within about a second of coming back.
const RECONNECT_MAX_DELAY_MS: u64 = 1_000;

/// A handle on Redis; clones share the underlying connections.
#[derive(Clone)]
pub(super) enum Connection {
    /// One server.
    Single(ConnectionManager),
    /// A Redis Cluster.
    Cluster(ClusterConnection),
}

impl Connection {
    /// Connects to `urls`: one URL is a server, several (comma-separated) are the seed
    /// nodes of a cluster. Each connection attempt and reply is bounded by `timeout`.
    pub(super) async fn open(urls: &str, timeout: Duration) -> Result<Connection, StoreError> {
        let nodes: Vec<&str> = urls.split(',').map(str::trim).collect();
        if let [url] = nodes.as_slice() {
            return single(url, timeout).await.map(Connection::Single);
        }
        let client = ClusterClientBuilder::new(nodes)
            .connection_timeout(timeout)
            .response_timeout(timeout)
            .build()?;
        Ok(Connection::Cluster(client.get_async_connection().await?))
    }

    /// Whether this is a Redis Cluster, where one MULTI or script must stay in one slot.
    pub(super) fn is_cluster(&self) -> bool {
        matches!(self, Connection::Cluster(_))
    }

    /// Runs commands that may touch different hash slots and answers their replies in
    /// order: one pipeline (one round trip) on a single server, and concurrent commands
    /// on a cluster, where a pipeline must stay within one slot.
    pub(super) async fn each<T: FromRedisValue>(
        &self,
        cmds: Vec<Cmd>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Connection::Single(con) => {
                let mut pipe = redis::pipe();
                for cmd in cmds {
                    pipe.add_command(cmd);
                }
                Ok(pipe.query_async(&mut con.clone()).await?)
            }
            Connection::Cluster(con) => {
                let replies = cmds.into_iter().map(|cmd| {
                    let mut con = con.clone();
                    async move { cmd.query_async::<T>(&mut con).await }
                });
                Ok(try_join_all(replies).await?)
            }
        }
    }
}

/// Where a walk over the keyspace stands: the node (always 0 on one server; on a cluster
/// an index into its primaries, ordered by address) and the node's SCAN cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ScanPosition {
    pub(super) node: usize,
    pub(super) cursor: u64,
}

impl ScanPosition {
    /// The position a page `cursor` names (`node:cursor`); `None` is the start.
    pub(super) fn parse(cursor: Option<&str>) -> Result<ScanPosition, StoreError> {
        let Some(cursor) = cursor else {
            return Ok(ScanPosition { node: 0, cursor: 0 });
        };
        let parsed = cursor
            .split_once(':')
            .and_then(|(node, at)| Some((node.parse().ok()?, at.parse().ok()?)));
        let (node, at) =
            parsed.ok_or_else(|| StoreError::Corrupt(format!("not a page cursor: {cursor}")))?;
        Ok(ScanPosition { node, cursor: at })
    }

    /// The cursor of a page that starts here.
    pub(super) fn to_cursor(self) -> String {
        format!("{}:{}", self.node, self.cursor)
    }
}

impl Connection {
    /// One SCAN step over the keys matching `pattern`, and where the next one starts
    /// (`None` once every node was walked). SCAN is per node, so a cluster is walked one
    /// primary after the other.
    pub(super) async fn scan(
        &self,
        at: ScanPosition,
        pattern: &str,
        count: usize,
    ) -> Result<(Vec<String>, Option<ScanPosition>), StoreError> {
        let mut cmd = redis::cmd("SCAN");
        cmd.arg(at.cursor)
            .arg("MATCH")
            .arg(pattern)
            .arg("COUNT")
            .arg(count);
        let (reply, nodes) = match self {
            Connection::Single(con) => (cmd.query_async(&mut con.clone()).await?, 1),
            Connection::Cluster(con) => {
                let primaries = primaries(con).await?;
                let Some((host, port)) = primaries.get(at.node).cloned() else {
                    return Ok((Vec::new(), None));
                };
                let routing =
                    RoutingInfo::SingleNode(SingleNodeRoutingInfo::ByAddress { host, port });
                (
                    con.clone().route_command(&cmd, routing).await?,
                    primaries.len(),
                )
            }
        };
        let (cursor, keys): (u64, Vec<String>) = redis::from_redis_value(&reply)?;
        let next = match cursor {
            0 if at.node + 1 < nodes => Some(ScanPosition {
                node: at.node + 1,
                cursor: 0,
            }),
            0 => None,
            cursor => Some(ScanPosition {
                node: at.node,
                cursor,
            }),
        };
        Ok((keys, next))
    }
}

/// The primaries of a cluster (host, port), ordered, from `CLUSTER SLOTS`: each entry is
/// a slot range, its primary, then its replicas.
async fn primaries(con: &ClusterConnection) -> Result<Vec<(String, u16)>, StoreError> {
    let reply: Value = redis::cmd("CLUSTER")
        .arg("SLOTS")
        .query_async(&mut con.clone())
        .await?;
    let corrupt = || StoreError::Corrupt("CLUSTER SLOTS answered an unexpected shape".into());
    let Value::Array(ranges) = reply else {
        return Err(corrupt());
    };
    let mut nodes = Vec::new();
    for range in ranges {
        let Value::Array(parts) = range else {
            return Err(corrupt());
        };
        let Some(Value::Array(primary)) = parts.get(2) else {
            return Err(corrupt());
        };
        let (host, port): (String, u16) = match primary.as_slice() {
            [host, port, ..] => (
                redis::from_redis_value(host)?,
                redis::from_redis_value(port)?,
            ),
            _ => return Err(corrupt()),
        };
        nodes.push((host, port));
    }
    nodes.sort();
    nodes.dedup();
    Ok(nodes)
}

/// A reconnecting connection to one server, after one plain attempt: the manager retries
/// internally, which would report a refused connection or a wrong password as a mere
/// time-out.
async fn single(url: &str, timeout: Duration) -> Result<ConnectionManager, StoreError> {
    let client = redis::Client::open(url)?;
    let probe = AsyncConnectionConfig::new()
        .set_connection_timeout(timeout)
        .set_response_timeout(timeout);
    drop(
        client
            .get_multiplexed_async_connection_with_config(&probe)
            .await?,
    );
    let config = ConnectionManagerConfig::new()
        .set_connection_timeout(timeout)
        .set_response_timeout(timeout)
        .set_max_delay(RECONNECT_MAX_DELAY_MS);
    Ok(ConnectionManager::new_with_config(client, config).await?)
}

impl ConnectionLike for Connection {
    fn req_packed_command<'a>(&'a mut self, cmd: &'a Cmd) -> RedisFuture<'a, Value> {
        match self {
            Connection::Single(con) => con.req_packed_command(cmd),
            Connection::Cluster(con) => con.req_packed_command(cmd),
        }
    }

    fn req_packed_commands<'a>(
        &'a mut self,
        pipeline: &'a Pipeline,
        offset: usize,
        count: usize,
    ) -> RedisFuture<'a, Vec<Value>> {
        match self {
            Connection::Single(con) => con.req_packed_commands(pipeline, offset, count),
            Connection::Cluster(con) => con.req_packed_commands(pipeline, offset, count),
        }
    }

    fn get_db(&self) -> i64 {
        match self {
            Connection::Single(con) => con.get_db(),
            Connection::Cluster(con) => con.get_db(),
        }
    }
}
