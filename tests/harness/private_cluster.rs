//! A Redis Cluster of a test's own: three masters and three replicas, each a private
//! `redis-server` on a free loopback port, joined by `redis-cli --cluster create`. A test
//! can fail a master over to its replica, or kill a master with SIGKILL and wait until
//! its replica took over.

use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use tempfile::TempDir;

use crate::harness::private_redis::PrivateRedis;

/// How long the cluster may take to agree on its slots after a change.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(30);

/// Six cluster nodes, stopped on drop.
#[derive(Debug)]
pub struct PrivateCluster {
    nodes: Vec<PrivateRedis>,
    _dir: TempDir,
}

impl PrivateCluster {
    /// Starts six nodes, creates the cluster (one replica per master) and waits until
    /// every node reports `cluster_state:ok`.
    pub fn started() -> PrivateCluster {
        let dir = tempfile::Builder::new()
            .prefix("onboard-cluster-")
            .tempdir()
            .expect("tempdir");
        let mut nodes: Vec<PrivateRedis> = Vec::new();
        while nodes.len() < 6 {
            let port = node_port();
            if nodes.iter().any(|other| other.port() == port) {
                continue;
            }
            let config = dir.path().join(format!("nodes-{port}.conf"));
            let mut node = PrivateRedis::unstarted_on(
                port,
                vec![
                    "--cluster-enabled".into(),
                    "yes".into(),
                    "--cluster-config-file".into(),
                    config.display().to_string(),
                    "--cluster-node-timeout".into(),
                    "1000".into(),
                    // A replica writes the master's snapshot to its directory; it must
                    // not land where the next test's nodes would load it.
                    "--dir".into(),
                    dir.path().display().to_string(),
                    "--dbfilename".into(),
                    format!("dump-{port}.rdb"),
                ],
            );
            node.start();
            nodes.push(node);
        }
        let addresses: Vec<String> = nodes
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port()))
            .collect();
        let created = Command::new("redis-cli")
            .args(["--cluster", "create"])
            .args(&addresses)
            .args(["--cluster-replicas", "1", "--cluster-yes"])
            .output()
            .expect("run redis-cli --cluster create");
        assert!(
            created.status.success(),
            "redis-cli --cluster create: {}",
            String::from_utf8_lossy(&created.stdout)
        );
        let cluster = PrivateCluster { nodes, _dir: dir };
        cluster.wait_settled();
        cluster
    }

    /// The seed URLs, comma-separated, as `--redis-url` takes a cluster.
    pub fn urls(&self) -> String {
        let urls: Vec<String> = self.nodes.iter().map(PrivateRedis::url).collect();
        urls.join(",")
    }

    /// Makes a replica take over from its master with `CLUSTER FAILOVER` (no data lost),
    /// and waits until the cluster agrees.
    pub fn fail_over(&self) {
        let replica = self
            .running()
            .find(|node| role(node).as_deref() == Some("slave"))
            .expect("a replica");
        let mut connection = replica.connection().expect("connect to the replica");
        redis::cmd("CLUSTER")
            .arg("FAILOVER")
            .query::<()>(&mut connection)
            .expect("CLUSTER FAILOVER");
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        while role(replica).as_deref() != Some("master") {
            assert!(Instant::now() < deadline, "the failover did not happen");
            std::thread::sleep(Duration::from_millis(50));
        }
        self.wait_settled();
    }

    /// Kills one master with SIGKILL and waits until its replica took its slots over.
    pub fn kill_a_master(&mut self) {
        let master = self
            .nodes
            .iter()
            .position(|node| node.is_running() && role(node).as_deref() == Some("master"))
            .expect("a master");
        self.nodes[master].stop();
        self.wait_settled();
    }

    fn running(&self) -> impl Iterator<Item = &PrivateRedis> {
        self.nodes.iter().filter(|node| node.is_running())
    }

    /// Waits until every running node reports `cluster_state:ok` and three masters.
    fn wait_settled(&self) {
        let deadline = Instant::now() + SETTLE_TIMEOUT;
        loop {
            let ok = self.running().all(|node| {
                cluster_info(node).is_some_and(|info| info.contains("cluster_state:ok"))
            });
            let masters = self
                .running()
                .filter(|node| role(node).as_deref() == Some("master"))
                .count();
            if ok && masters == 3 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the cluster did not settle: {masters} masters"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

/// A loopback port that is free, and whose cluster bus port (the port + 10000) is free
/// and valid too: ephemeral ports are too high for that, so one is drawn from below.
fn node_port() -> u16 {
    loop {
        let port = rand::random_range(20_000..40_000);
        let free = |port: u16| TcpListener::bind(("127.0.0.1", port)).is_ok();
        if free(port) && free(port + 10_000) {
            return port;
        }
    }
}

/// `master` or `slave`, as the node says of itself.
fn role(node: &PrivateRedis) -> Option<String> {
    let mut connection = node.connection().ok()?;
    let reply: Vec<redis::Value> = redis::cmd("ROLE").query(&mut connection).ok()?;
    match reply.first()? {
        redis::Value::BulkString(bytes) => Some(String::from_utf8_lossy(bytes).into_owned()),
        redis::Value::SimpleString(text) => Some(text.clone()),
        _ => None,
    }
}

fn cluster_info(node: &PrivateRedis) -> Option<String> {
    let mut connection = node.connection().ok()?;
    redis::cmd("CLUSTER")
        .arg("INFO")
        .query(&mut connection)
        .ok()
}
