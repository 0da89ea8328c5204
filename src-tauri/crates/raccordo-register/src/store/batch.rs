//! Many new records in one transaction, with the work split over two threads.
//!
//! Half of creating a record needs no register: tidying it, turning it into columns,
//! its own checks, the journal's JSON, the search text (measured: 1.2 s of the 10 s
//! that storing the 100k register took). [`Register::write_many`] runs the caller's
//! code on a second thread, where each [`Batch::create`] does that half; the calling
//! thread, which holds the transaction, receives the prepared records in order and
//! does the rest exactly as [`Writer::create`] does: the same checks, refused the
//! same way, and the whole batch rolled back on the first refusal.

use super::writer::Prepared;
use super::{Register, Writer};
use crate::error::{Error, ErrorCode, Result};
use crate::model::Record;
use std::sync::mpsc::{SyncSender, sync_channel};
use uuid::Uuid;

/// Records travel in chunks: one at a time, the two threads woke each other for every
/// record (measured: 320,000 context switches and 2.4 s more system time on the 100k
/// register, slower than one thread).
const CHUNK: usize = 256;
/// Chunks waiting for the writer: enough to keep both threads busy, few enough that a
/// refused write stops the producer soon.
const QUEUE: usize = 4;

type Chunk = Vec<Box<dyn Pending>>;

/// A record prepared on the producer's thread, written on the writer's.
trait Pending: Send {
    fn write(self: Box<Self>, w: &mut Writer) -> Result<()>;
}

impl<T: Record + Send> Pending for Prepared<T> {
    fn write(self: Box<Self>, w: &mut Writer) -> Result<()> {
        w.create_prepared(*self).map(drop)
    }
}

/// Where the code given to [`Register::write_many`] sends its new records.
pub struct Batch {
    queue: SyncSender<Chunk>,
    chunk: Chunk,
}

impl Batch {
    /// Prepares a new record and queues it for the writer; returns its id. An error
    /// here means the record could not be turned into columns, or that the writer has
    /// already refused an earlier record (its error is what `write_many` returns).
    pub fn create<T: Record + Send + 'static>(&mut self, rec: T) -> Result<Uuid> {
        let id = rec.id();
        self.chunk.push(Box::new(Prepared::new(rec)?));
        if self.chunk.len() == CHUNK {
            self.send()?;
        }
        Ok(id)
    }

    fn send(&mut self) -> Result<()> {
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
        self.queue.send(chunk).map_err(|_| {
            Error::new(ErrorCode::Storage, "Scrittura interrotta: un record precedente è stato rifiutato.")
        })
    }
}

impl Register {
    /// Runs `f` on a second thread to create many records, written here in the order
    /// `f` creates them, in one transaction: all of them land, or none.
    pub fn write_many<R: Send>(&mut self, f: impl FnOnce(&mut Batch) -> Result<R> + Send) -> Result<R> {
        self.conn.pragma_update(None, "cache_size", super::BULK_CACHE_KIB)?;
        let out = self.write_pipelined(f);
        self.conn.pragma_update(None, "cache_size", super::SESSION_CACHE_KIB)?;
        out
    }

    fn write_pipelined<R: Send>(&mut self, f: impl FnOnce(&mut Batch) -> Result<R> + Send) -> Result<R> {
        self.write(|w| {
            let (queue, pending) = sync_channel::<Chunk>(QUEUE);
            std::thread::scope(|s| {
                let producer = s.spawn(move || {
                    let mut batch = Batch { queue, chunk: Vec::with_capacity(CHUNK) };
                    let out = f(&mut batch)?;
                    batch.send()?;
                    Ok(out)
                });
                // Ends when the producer is done (its Batch is dropped) or the writer refuses.
                let written = pending.iter().flatten().try_for_each(|p| p.write(w));
                // A producer blocked on a full queue now gets an error and stops.
                drop(pending);
                let produced = producer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                // The writer's refusal is the cause; the producer's error only follows it.
                written.and(produced)
            })
        })
    }
}
