//! The register file: opening (with migrations), settings, reading and writing.

mod batch;
mod checkpoint;
mod reader;
pub(crate) mod rows;
pub mod schema;
mod writer;

pub use batch::Batch;
pub use reader::{FromRow, Reader};
pub use rows::Fields;
pub use writer::Writer;

use crate::audit::{self, Actor, Appender};
use crate::error::{Error, ErrorCode, FieldCode, Result, Violations};
use crate::hlc::{Clock, Stamp};
use crate::model::{Administration, Kind};
use rusqlite::{Connection, OpenFlags};
use serde::Serialize;
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// Page cache of an ordinary session, in KiB (SQLite's negative `cache_size`). Reading
/// and single edits do as well with 16 MiB as with 64 on the 100k register (measured
/// in the window: same times, 11 MB less memory).
pub(crate) const SESSION_CACHE_KIB: i64 = -16_384;
/// Page cache while `write_many` runs: the indexes of a 100k register being filled
/// stay in memory.
pub(crate) const BULK_CACHE_KIB: i64 = -65_536;

/// What identifies a Raccordo register among SQLite files.
const FORMAT: &str = "raccordo-register";

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
    audit_seq: i64,
    audit_hash: String,
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
    #[doc(hidden)]
    pub fn open_at_schema(path: &Path, target: u32) -> Result<Register> {
        let existed = path.metadata().map(|m| m.len() > 0).unwrap_or(false);
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| open_error(path, e))?;
        let version = schema::version(&conn).map_err(|_| not_a_register(path))?;
        // Checked before any pragma: a newer file is left byte for byte as it was.
        schema::refuse_newer(version)?;
        if existed {
            let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
            // A SQLite file of another program may have no `meta` table: that is an answer too.
            let format: Option<String> = if version > 0 { get_meta(&conn, "format").unwrap_or(None) } else { None };
            if (version == 0 && tables > 0) || (version > 0 && format.as_deref() != Some(FORMAT)) {
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
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Every kind has its own statements (insert, exists, children…): a cache of
        // 16 would re-prepare them on every write.
        conn.set_prepared_statement_cache_capacity(512);
        conn.pragma_update(None, "cache_size", SESSION_CACHE_KIB)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        // Checkpoints run on their own thread after each commit (see `checkpoint`);
        // the writer's own is only the bound on the log's size.
        let page_size: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
        conn.pragma_update(None, "wal_autocheckpoint", checkpoint::WAL_BOUND / page_size)?;
        schema::migrate_to(&mut conn, target)?;

        if get_meta(&conn, "site_id")?.is_none() {
            let tx = conn.transaction()?;
            set_meta(&tx, "format", FORMAT)?;
            set_meta(&tx, "site_id", &crate::ids::new_id().to_string())?;
            set_meta(&tx, "created_at", &chrono::Utc::now().to_rfc3339())?;
            tx.commit()?;
        }
        let site =
            get_meta(&conn, "site_id")?.and_then(|s| Uuid::parse_str(&s).ok()).ok_or_else(|| not_a_register(path))?;
        let hlc_last = get_meta(&conn, "hlc_last")?.and_then(|s| s.parse().ok()).unwrap_or(0);
        let office_id = get_meta(&conn, "office_id")?.and_then(|s| Uuid::parse_str(&s).ok());
        let user = get_meta(&conn, "user_name")?.unwrap_or_else(default_user);
        let (audit_seq, audit_hash) = audit::head(&conn)?;
        let mut reg = Register {
            conn,
            path: path.to_owned(),
            site,
            clock: Clock::starting_after(Stamp(hlc_last)),
            actor: Actor { user, office_id },
            audit_seq,
            audit_hash,
            checkpointer: checkpoint::Checkpointer::start(path)?,
        };
        if target == schema::LATEST && get_meta(&reg.conn, "directory")?.is_none() {
            crate::directory::install(&mut reg)?;
        }
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
    pub fn write<R>(&mut self, f: impl FnOnce(&mut Writer) -> Result<R>) -> Result<R> {
        let tx = self.conn.transaction()?;
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        let mut w = Writer {
            conn: &tx,
            clock: self.clock,
            audit: Appender {
                site: self.site,
                actor: &self.actor,
                seq: self.audit_seq,
                hash: self.audit_hash.clone(),
                at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            },
            known: Default::default(),
        };
        let out = f(&mut w)?;
        let (clock, seq, hash) = (w.clock, w.audit.seq, w.audit.hash.clone());
        if clock.last() != self.clock.last() {
            set_meta(&tx, "hlc_last", &clock.last().0.to_string())?;
        }
        tx.commit()?;
        self.checkpointer.nudge();
        self.clock = clock;
        self.audit_seq = seq;
        self.audit_hash = hash;
        Ok(out)
    }

    pub fn create<T: crate::model::Record>(&mut self, rec: T) -> Result<T> {
        self.write(|w| w.create(rec))
    }

    pub fn update<T: crate::model::Record>(&mut self, rec: T) -> Result<T> {
        self.write(|w| w.update(rec))
    }

    pub fn delete(&mut self, kind: Kind, id: Uuid) -> Result<usize> {
        self.write(|w| w.delete(kind, id))
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
        if let Some(o) = office_id {
            if self.reader().get::<Administration>(o)?.is_none() {
                v.add("office_id", FieldCode::LinkMissing, "Ufficio: scegli un ente presente nel registro.");
            }
        }
        v.into_result("Impostazioni")?;
        let tx = self.conn.transaction()?;
        set_meta(&tx, "user_name", user_name)?;
        match office_id {
            Some(o) => set_meta(&tx, "office_id", &o.to_string())?,
            None => {
                tx.execute("DELETE FROM meta WHERE key = 'office_id'", [])?;
            }
        }
        tx.commit()?;
        self.actor = Actor { user: user_name.to_owned(), office_id };
        Ok(self.settings())
    }

    /// The name the history records for this session only (command line `--user`).
    pub fn act_as(&mut self, user_name: &str) {
        self.actor.user = user_name.trim().to_owned();
    }

    pub(crate) fn meta(&self, key: &str) -> Result<Option<String>> {
        get_meta(&self.conn, key)
    }

    pub(crate) fn set_meta_now(&self, key: &str, value: &str) -> Result<()> {
        set_meta(&self.conn, key, value)
    }
}

fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Reader::new(conn).query_one("SELECT value FROM meta WHERE key = ?1", [key])
}

fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute((key, value))?;
    Ok(())
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
