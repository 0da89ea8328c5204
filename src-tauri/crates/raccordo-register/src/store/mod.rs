//! Floor 5: the register as its users hold it. [`Register`] opens the file (with the
//! migrations' steps), keeps the settings and runs every write as one transaction
//! through a [`Writer`], which checks the records (`model`), stores them (`db`) and
//! journals them (`audit`, `changelog`, `search`).

mod batch;
mod combine;
mod merge;
mod outgoing;
mod peer;
mod steps;
mod writer;

pub use batch::Batch;
pub use combine::Combined;
pub use merge::{Applied, Resolution};
pub use outgoing::{Outgoing, Released};
pub use peer::{Peer, Pulled};
pub use writer::{SETTINGS, SETTINGS_KIND, Writer};

use crate::audit::Actor;
use crate::db::meta::{FORMAT, get_meta, site_in};
use crate::db::{Reader, checkpoint, schema, share};
use crate::error::{Error, ErrorCode, FieldCode, Result, Violations};
use crate::hlc::{Clock, Stamp};
use crate::kind::Kind;
use crate::model::{Administration, Record};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};
use serde::Serialize;
use sha2::Digest;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Page cache of an ordinary session, in KiB (SQLite's negative `cache_size`). Reading
/// and single edits do as well with 16 MiB as with 64 on the 100k register (measured
/// in the window: same times, 11 MB less memory).
pub(crate) const SESSION_CACHE_KIB: i64 = -16_384;
/// Page cache while `write_many` runs: the indexes of a 100k register being filled
/// stay in memory.
pub(crate) const BULK_CACHE_KIB: i64 = -65_536;

/// How long a write waits for another writer of the same file before it says so.
/// Writes of a person take milliseconds; a bulk load or a large sync batch may hold
/// the lock for seconds.
pub const BUSY_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// The installation's settings, kept in the register file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settings {
    /// This installation, as sync will know it.
    pub site_id: Uuid,
    /// The administration this installation belongs to.
    pub office_id: Option<Uuid>,
    /// Who is working, as the history records it.
    pub user_name: String,
}

pub struct Register {
    conn: Connection,
    path: PathBuf,
    site: Uuid,
    clock: Clock,
    actor: Actor,
    /// Last, so that it is dropped after `conn`: its connection closes the file.
    checkpointer: checkpoint::Checkpointer,
}

impl Register {
    /// Opens a register file, creating it if it does not exist, and brings it up to
    /// the current schema. A file from a newer Raccordo, or not a register at all, is
    /// refused before anything is written to it.
    pub fn open(path: impl AsRef<Path>) -> Result<Register> {
        Self::open_at_schema(path.as_ref(), schema::LATEST)
    }

    /// Opens, migrating only up to `target`: for tests of files written by older versions.
    ///
    /// Every step that writes is one transaction: the first migration together with
    /// the file's identity (`format`, `site_id`), each later migration, the directory
    /// (a migration too). A kill at any point leaves a file that opens and completes.
    #[doc(hidden)]
    pub fn open_at_schema(path: &Path, target: u32) -> Result<Register> {
        share::refuse_network_share(path)?;
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
        conn.busy_timeout(BUSY_WAIT)?;
        let version = schema::version(&conn).map_err(|_| not_a_register(path))?;
        // Checked before any pragma: a newer file is left byte for byte as it was.
        schema::refuse_newer(version)?;
        let mut half_made = false;
        if existed {
            let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            // A SQLite file of another program may have no `meta` table: that is an answer too.
            let format: Option<String> = if version > 0 { get_meta(&conn, "format").unwrap_or(None) } else { None };
            half_made = version > 0 && format.is_none() && left_half_made(&conn);
            if (version == 0 && tables > 0) || (version > 0 && format.as_deref() != Some(FORMAT) && !half_made) {
                return Err(not_a_register(path));
            }
        }
        if !existed {
            // Measured on storing the 100k register: 8 KiB pages were 8% faster than
            // 4 KiB, and 16 KiB 5% faster than 8. Files made earlier keep their size.
            conn.pragma_update(None, "page_size", 16_384)?;
        }
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        // Every kind has its own statements (insert, exists, children…): a cache of
        // 16 would re-prepare them on every write.
        conn.set_prepared_statement_cache_capacity(512);
        conn.pragma_update(None, "cache_size", SESSION_CACHE_KIB)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Checkpoints run on their own thread after each commit (see `checkpoint`);
        // the writer's own is only the bound on the log's size.
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::WAL_BOUND / page_size)?;
        if half_made {
            // An earlier version committed its first migrations before the file's
            // identity, and a crash in between left this: give it one now.
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            crate::db::meta::identify(&tx)?;
            tx.commit()?;
        }
        schema::migrate_to(&mut conn, target, steps::run)?;

        let site = site_in(&conn).map_err(|_| not_a_register(path))?;
        let hlc_last = get_meta(&conn, "hlc_last")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let actor = actor_in(&conn)?;
        let reg = Register {
            conn,
            path: path.to_owned(),
            site,
            clock: Clock::starting_after(Stamp(hlc_last)),
            actor,
            checkpointer: checkpoint::Checkpointer::start(path)?,
        };
        // A migration may have left a long log behind.
        reg.checkpointer.nudge();
        Ok(reg)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn reader(&self) -> Reader<'_> {
        Reader::new(&self.conn)
    }

    /// The raw connection, for read-only queries in other crates (reports, benches).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// Runs `f` in one transaction: all of its writes land, or none.
    ///
    /// Other connections and processes may write the same file (the window and
    /// `raccordo-cli`, background sync): the transaction takes the write lock at once
    /// (`IMMEDIATE`, waiting at most [`BUSY_WAIT`] for another writer, then
    /// [`ErrorCode::Busy`]), and the journal's head and the clock are read inside it,
    /// never remembered from an earlier transaction.
    pub fn write<R>(&mut self, f: impl FnOnce(&mut Writer) -> Result<R>) -> Result<R> {
        self.write_or_discard(f, |_| true).map(|(out, _)| out)
    }

    /// Runs `f` in one transaction as [`Register::write`] does, and keeps what it wrote
    /// only if `keep`, shown its result, says so (the second value says whether it
    /// did): a dry run of an import, or a file with refused rows, leaves the register as
    /// it was, while the report says what each row would have become.
    pub fn write_or_discard<R>(
        &mut self,
        f: impl FnOnce(&mut Writer) -> Result<R>,
        keep: impl FnOnce(&R) -> bool,
    ) -> Result<(R, bool)> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        let mut w = Writer::begin(&tx, self.site, &self.actor, self.clock)?;
        let out = f(&mut w)?;
        if !keep(&out) {
            drop(w);
            tx.rollback()?;
            return Ok((out, false));
        }
        let clock = w.finish()?;
        tx.commit()?;
        self.checkpointer.nudge();
        self.clock = clock;
        Ok((out, true))
    }

    pub fn create<T: Record>(&mut self, rec: T) -> Result<T> {
        self.write(|w| w.create(rec))
    }

    pub fn update<T: Record>(&mut self, rec: T) -> Result<T> {
        self.write(|w| w.update(rec))
    }

    pub fn delete(&mut self, kind: Kind, id: Uuid) -> Result<usize> {
        self.write(|w| w.delete(kind, id))
    }

    /// Makes this file a new installation, with a site id of its own: for a copy of a
    /// register (a restored backup, a file carried to another PC), which must never
    /// sync as the original, whose clock and changes it no longer follows. Returns
    /// the new site id. What the file holds, its journal included, stays as it is.
    pub fn become_new_site(&mut self) -> Result<Uuid> {
        let site = crate::ids::new_id();
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        crate::db::meta::set_meta(&tx, "site_id", &site.to_string())?;
        tx.commit()?;
        self.site = site;
        Ok(site)
    }

    pub fn settings(&self) -> Settings {
        Settings { site_id: self.site, office_id: self.actor.office_id, user_name: self.actor.user.clone() }
    }

    /// Sets the office this installation belongs to and the user's name. Checked:
    /// the office must be an administration of the register, the name not empty.
    pub fn set_settings(&mut self, office_id: Option<Uuid>, user_name: &str) -> Result<Settings> {
        let user_name = user_name.trim();
        let mut v = Violations::default();
        if user_name.is_empty() {
            v.add("user_name", FieldCode::Required, "Nome dell'utente: campo obbligatorio.");
        } else if user_name.chars().count() > 200 || user_name.contains(['\n', '\r']) {
            v.add("user_name", FieldCode::TooLong, "Nome dell'utente: una riga, al massimo 200 caratteri.");
        }
        if let Some(o) = office_id
            && self.reader().get::<Administration>(o)?.is_none()
        {
            v.add("office_id", FieldCode::LinkMissing, "Ufficio: scegli un ente presente nel registro.");
        }
        v.into_result("Impostazioni")?;
        let actor = Actor { user: user_name.to_owned(), office_id };
        self.write(|w| w.record_settings(&actor.settings()))?;
        self.actor = actor;
        Ok(self.settings())
    }

    /// The trusted list (an ETSI TS 119 612 XML file) the signers of signed files are
    /// checked against: kept by SHA-256 like an attachment, named in the settings.
    /// The caller has checked it (`raccordo-documents::trust`); the register only keeps it.
    pub fn set_trusted_list(&mut self, xml: &[u8]) -> Result<String> {
        let sha256 = crate::audit::hex(&sha2::Sha256::digest(xml));
        self.write(|w| {
            w.keep_bytes(&sha256, xml)?;
            w.record_settings(&[("trusted_list_sha256", Some(sha256.clone()))])
        })?;
        Ok(sha256)
    }

    /// The trusted list imported with [`Register::set_trusted_list`], if any.
    pub fn trusted_list(&self) -> Result<Option<Vec<u8>>> {
        match self.meta("trusted_list_sha256")? {
            Some(sha) => self.reader().blob(&sha),
            None => Ok(None),
        }
    }

    /// The name the history records for this session only (command line `--user`).
    pub fn act_as(&mut self, user_name: &str) {
        self.actor.user = user_name.trim().to_owned();
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        get_meta(&self.conn, key)
    }

    /// The directory snapshot this register holds (`directory::SNAPSHOT`), if loaded.
    pub fn directory_snapshot(&self) -> Result<Option<String>> {
        self.meta("directory")
    }
}

/// A file that an earlier version left after its first migrations and before its
/// identity: our tables, nothing in `meta`, nothing in the journal.
fn left_half_made(conn: &Connection) -> bool {
    let empty = |table: &str| {
        conn.query_row(&format!("SELECT count(*) = 0 FROM {table}"), [], |r| r.get::<_, bool>(0)).unwrap_or(false)
    };
    empty("meta") && empty("journal")
}

/// Who writes as the settings say (the user's name, the office).
pub(crate) fn actor_in(conn: &Connection) -> Result<Actor> {
    let office_id = get_meta(conn, "office_id")?.and_then(|s| Uuid::parse_str(&s).ok());
    let user = get_meta(conn, "user_name")?.unwrap_or_else(default_user);
    Ok(Actor { user, office_id })
}

fn default_user() -> String {
    std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "utente".into())
}

fn not_a_register(path: &Path) -> Error {
    Error::new(
        ErrorCode::NotARegister,
        format!("{}: non è un registro di Raccordo, o è danneggiato. Il file non è stato modificato.", path.display()),
    )
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    let why = match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::CannotOpen) => {
            "il file non si può aprire né creare (la cartella non esiste o mancano i permessi)".to_owned()
        }
        Some(rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied) => {
            "mancano i permessi di scrittura".to_owned()
        }
        _ => e.to_string(),
    };
    Error::new(ErrorCode::Storage, format!("Impossibile aprire {}: {why}.", path.display()))
}
