//! Group commit: handlers change the in-memory state under its mutex and hand
//! the records to persist to one writer thread, which stores everything queued
//! so far in one redb transaction. A handler answers only once its writes (and
//! every earlier write it may have observed) are on disk.

use std::sync::mpsc;
use std::thread;

use redb::Database;
use tokio::sync::watch;

use crate::error::{ApiError, SandboxError};
use crate::persistence::{self, Write};

/// The most requests' writes stored in one transaction, to bound its size.
const MAX_BATCH: usize = 1024;

/// The sending side, kept inside the state mutex: appending under the lock
/// gives writes the same order as the state changes they record.
#[derive(Debug)]
pub(crate) struct Journal {
    sender: Option<mpsc::Sender<Batch>>,
    writer: Option<thread::JoinHandle<()>>,
    last_seq: u64,
}

/// How far the writer got; handlers wait on it.
#[derive(Debug, Clone)]
pub(crate) struct Commits {
    receiver: watch::Receiver<Committed>,
}

#[derive(Debug, Clone, Copy)]
struct Committed {
    up_to: u64,
    failed: bool,
}

#[derive(Debug)]
struct Batch {
    seq: u64,
    writes: Vec<Write>,
}

impl Journal {
    /// Starts the writer thread, which owns the database from now on.
    pub(crate) fn start(database: Database) -> Result<(Journal, Commits), SandboxError> {
        let (sender, batches) = mpsc::channel();
        let (committed, receiver) = watch::channel(Committed {
            up_to: 0,
            failed: false,
        });
        let writer = thread::Builder::new()
            .name("sandbox-writer".into())
            .spawn(move || write_batches(&database, &batches, &committed))
            .map_err(SandboxError::Writer)?;
        let journal = Journal {
            sender: Some(sender),
            writer: Some(writer),
            last_seq: 0,
        };
        Ok((journal, Commits { receiver }))
    }

    /// Queues writes and returns the sequence number to wait for.
    pub(crate) fn append(&mut self, writes: Vec<Write>) -> u64 {
        if writes.is_empty() {
            return self.last_seq;
        }
        self.last_seq += 1;
        let batch = Batch {
            seq: self.last_seq,
            writes,
        };
        if let Some(sender) = &self.sender {
            // A send fails only once the writer stopped after a failed commit;
            // it has then marked the journal failed, so waiters get an error.
            let _ = sender.send(batch);
        }
        self.last_seq
    }

    /// The latest queued sequence number: a read waits for it so that it never
    /// shows state that a crash could still lose.
    pub(crate) fn last_seq(&self) -> u64 {
        self.last_seq
    }
}

impl Drop for Journal {
    /// Flushes what is queued and closes the database, so that the file can be
    /// opened again as soon as the sandbox is dropped.
    fn drop(&mut self) {
        drop(self.sender.take());
        if let Some(writer) = self.writer.take() {
            if writer.join().is_err() {
                tracing::error!("sandbox writer thread panicked");
            }
        }
    }
}

impl Commits {
    /// Waits until every write up to `seq` is on disk.
    pub(crate) async fn wait(&self, seq: u64) -> Result<(), ApiError> {
        let mut receiver = self.receiver.clone();
        let durable = receiver
            .wait_for(|committed| committed.failed || committed.up_to >= seq)
            .await
            .map(|committed| !committed.failed)
            .unwrap_or(false);
        if durable {
            Ok(())
        } else {
            Err(ApiError::Storage)
        }
    }
}

fn write_batches(
    database: &Database,
    batches: &mpsc::Receiver<Batch>,
    committed: &watch::Sender<Committed>,
) {
    while let Ok(first) = batches.recv() {
        let mut pending = vec![first];
        while pending.len() < MAX_BATCH {
            match batches.try_recv() {
                Ok(batch) => pending.push(batch),
                Err(_) => break,
            }
        }
        let up_to = pending.last().map_or(0, |batch| batch.seq);
        let writes = pending.iter().flat_map(|batch| &batch.writes);
        if let Err(error) = persistence::commit(database, writes) {
            // The memory now holds changes the disk lacks: refuse to go on.
            tracing::error!(%error, "sandbox commit failed; the sandbox stops answering");
            committed.send_replace(Committed {
                up_to,
                failed: true,
            });
            return;
        }
        committed.send_replace(Committed {
            up_to,
            failed: false,
        });
    }
}
