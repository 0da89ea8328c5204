//! Copying the write-ahead log back into the register file, on a thread of its own.
//!
//! In WAL mode a commit appends pages to `FILE-wal`; a checkpoint later copies them
//! into the file itself. SQLite's automatic checkpoint runs inside the commit that
//! crosses the threshold, so one save in many waited for 128 MiB of copying, and
//! storing the 100k register spent about 10% of its time there (measured: storing it
//! with checkpoints left to the close took 10.3–10.8 s against 12.0). Here, after
//! every commit, a second connection is nudged to run a PASSIVE checkpoint, which
//! neither waits for nor blocks the writer or any reader: the copying happens on the
//! other core while the next write goes on.
//!
//! The writer keeps SQLite's own checkpoint as a bound on the log ([`WAL_BOUND`]):
//! under a long run of writes the background copy may never catch up at a moment the
//! log can restart, and the log must not grow without end.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

/// The log size at which the writer checkpoints by itself.
pub(crate) const WAL_BOUND: i64 = 512 * 1024 * 1024;

pub(crate) struct Checkpointer {
    nudge: Option<SyncSender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Opens the second connection to `path` (already a WAL-mode register) and starts
    /// the thread.
    pub(crate) fn start(path: &Path) -> Result<Checkpointer> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // One pending nudge is enough: a checkpoint copies everything committed so far.
        let (nudge, nudged) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new().name("raccordo-checkpoint".into()).spawn(move || {
            while nudged.recv().is_ok() {
                // A failed checkpoint loses nothing: the pages stay in the log, and the
                // next one (or the writer's own, at WAL_BOUND) copies them.
                let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
            }
            // The register is closing. If this is the last connection, closing it
            // copies what is left and removes the log.
            drop(conn);
        });
        let thread = thread.map_err(|e| {
            Error::new(ErrorCode::Storage, format!("Impossibile avviare la scrittura di fondo del registro: {e}"))
        })?;
        Ok(Checkpointer { nudge: Some(nudge), thread: Some(thread) })
    }

    /// Asks for a checkpoint after a commit; returns at once.
    pub(crate) fn nudge(&self) {
        if let Some(n) = &self.nudge {
            // Full: a checkpoint is already asked for, and will copy this commit too.
            let _ = n.try_send(());
        }
    }
}

impl Drop for Checkpointer {
    /// Waits for the thread: when a register is dropped its file is complete and closed.
    fn drop(&mut self) {
        self.nudge = None;
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
