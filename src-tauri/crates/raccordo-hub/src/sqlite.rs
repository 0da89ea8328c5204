//! [`HubStore`] on one SQLite file (`DIR/hub.sqlite`, WAL). One writing connection
//! behind a mutex (every write is a short transaction, and SQLite serialises writers
//! anyway), and a few reading ones beside it, so that pulls, credentials and files are
//! read while a push writes (WAL readers see the last commit, never half a batch).

use crate::scopes::{self, Admission, Reading};
use crate::store::*;
use raccordo_register::db::rows::text_uuid;
use raccordo_sync::protocol::{Cursor, Refusal, sha256_hex};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::path::Path;
use std::sync::Mutex;
use uuid::Uuid;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS office (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    added_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS enrolment_code (
    code_sha256 TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES office(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT,
    used_by TEXT
) STRICT;
-- `acked_seq`: the log up to there is applied in the installation's register (`purge`).
CREATE TABLE IF NOT EXISTS installation (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES office(id),
    site TEXT NOT NULL UNIQUE,
    secret_sha256 TEXT NOT NULL,
    enrolled_at TEXT NOT NULL,
    last_contact TEXT,
    site_clock INTEGER NOT NULL DEFAULT 0,
    conflicts INTEGER NOT NULL DEFAULT 0,
    acked_seq INTEGER NOT NULL DEFAULT 0
) STRICT;
-- The log: every change received, once, in the order received, and between them the
-- notes that an office gained (`share`) or lost (`unshare`) a group; `link` chains it.
-- `grp` is the group of the change's record (`scopes`). A purged entry (`purge`) keeps
-- its place, digest and link, with op 'purged' and no body.
CREATE TABLE IF NOT EXISTS change (
    seq INTEGER PRIMARY KEY,
    site TEXT,
    hlc INTEGER,
    kind TEXT NOT NULL,
    record_id TEXT,
    op TEXT NOT NULL,
    grp TEXT NOT NULL,
    for_office TEXT,
    digest TEXT NOT NULL,
    link TEXT NOT NULL,
    from_installation TEXT,
    received_at TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (site, hlc)
) STRICT;
CREATE INDEX IF NOT EXISTS change_kind ON change(kind);
CREATE INDEX IF NOT EXISTS change_grp ON change(grp, seq);
";

/// The page cache of the hub's writing connection, in KiB, and of each reading one.
const CACHE_KIB: i64 = 64 * 1024;
const READER_CACHE_KIB: i64 = 16 * 1024;

/// Reading connections kept open: the hub's request threads beyond these open one
/// for the request and close it after.
const READERS: usize = 4;

/// The format of the hub's own file, apart from the register schema it serves.
const STORE_FORMAT: &str = "raccordo-hub-3";

/// From the format before: `raccordo-hub-2` had no purge (nothing acknowledged yet, so
/// nothing is purged until each installation has pulled once more).
const FROM_FORMAT_2: &str = "
ALTER TABLE installation ADD COLUMN acked_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE rec ADD COLUMN purged INTEGER NOT NULL DEFAULT 0;
UPDATE meta SET value = 'raccordo-hub-3' WHERE key = 'format';
";

pub struct SqliteStore {
    conn: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    path: std::path::PathBuf,
}

fn internal(e: impl std::fmt::Display) -> HubError {
    HubError::internal(e)
}

const INSTALLATION_COLUMNS: &str = "i.id, i.office_id, i.site, i.secret_sha256, i.enrolled_at, i.last_contact, \
                                    i.site_clock, i.conflicts, o.revoked_at IS NOT NULL";

fn installation_row(r: &rusqlite::Row) -> rusqlite::Result<Installation> {
    Ok(Installation {
        id: text_uuid(r, 0)?,
        office_id: text_uuid(r, 1)?,
        site: text_uuid(r, 2)?,
        secret_sha256: r.get(3)?,
        enrolled_at: r.get(4)?,
        last_contact: r.get(5)?,
        site_clock: r.get::<_, i64>(6)? as u64,
        conflicts: r.get::<_, i64>(7)? as u64,
        revoked: r.get(8)?,
    })
}

fn office_row(r: &rusqlite::Row) -> rusqlite::Result<Office> {
    Ok(Office { id: text_uuid(r, 0)?, name: r.get(1)?, added_at: r.get(2)?, revoked_at: r.get(3)? })
}

impl SqliteStore {
    /// Creates the hub's file in `dir` with a new hub id. Refused if one is there.
    pub fn create(dir: &Path) -> HubResult<SqliteStore> {
        let path = dir.join("hub.sqlite");
        if path.exists() {
            return Err(HubError::new(
                Refusal::BadRequest,
                format!("In {} c'è già un hub: «init» non lo sovrascrive.", dir.display()),
            ));
        }
        let store = SqliteStore::open_file(&path)?;
        {
            let conn = store.conn.lock().unwrap_or_else(|p| p.into_inner());
            conn.execute_batch(SCHEMA).map_err(internal)?;
            conn.execute_batch(scopes::SCHEMA).map_err(internal)?;
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('format', ?1), ('hub_id', ?2), ('epoch', '0'), ('created_at', ?3)",
                params![STORE_FORMAT, Uuid::now_v7().to_string(), chrono::Utc::now().to_rfc3339()],
            )
            .map_err(internal)?;
        }
        Ok(store)
    }

    /// Opens the hub of `dir`, made by [`SqliteStore::create`].
    pub fn open(dir: &Path) -> HubResult<SqliteStore> {
        let path = dir.join("hub.sqlite");
        if !path.exists() {
            return Err(HubError::new(
                Refusal::NotFound,
                format!(
                    "In {} non c'è un hub: crearlo con «raccordo-hub --data {} init».",
                    dir.display(),
                    dir.display()
                ),
            ));
        }
        let store = SqliteStore::open_file(&path)?;
        let format: Option<String> = store
            .conn
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| r.get(0))
            .optional()
            .map_err(|_| {
                HubError::new(Refusal::BadRequest, format!("{} non è il file di un hub Raccordo.", path.display()))
            })?;
        if format.as_deref() == Some("raccordo-hub-1") {
            return Err(HubError::new(
                Refusal::BadRequest,
                format!(
                    "{} è un hub di prova di una versione precedente, senza gli ambiti di condivisione: va creato di nuovo \
                     («init» in un'altra cartella) e gli uffici vi aderiscono con un nuovo codice; i registri non perdono nulla.",
                    path.display()
                ),
            ));
        }
        if format.as_deref() == Some("raccordo-hub-2") {
            store.with(|c| {
                let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(internal)?;
                tx.execute_batch(FROM_FORMAT_2).map_err(internal)?;
                tx.commit().map_err(internal)
            })?;
        } else if format.as_deref() != Some(STORE_FORMAT) {
            return Err(HubError::new(
                Refusal::BadRequest,
                format!("{} non è il file di un hub Raccordo (o è di una versione più recente).", path.display()),
            ));
        }
        Ok(store)
    }

    fn open_file(path: &Path) -> HubResult<SqliteStore> {
        let conn = Connection::open(path).map_err(internal)?;
        conn.busy_timeout(std::time::Duration::from_secs(10)).map_err(internal)?;
        conn.pragma_update(None, "journal_mode", "WAL").map_err(internal)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(internal)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(internal)?;
        // SQLite's default cache is 2 MiB: past that, every change pushed read index
        // pages back from the OS, and a batch of 2,000 took ten times longer at 40k
        // changes than at the start. A fixed cache keeps the hub's memory bounded.
        conn.pragma_update(None, "cache_size", -CACHE_KIB).map_err(internal)?;
        conn.pragma_update(None, "temp_store", "MEMORY").map_err(internal)?;
        Ok(SqliteStore { conn: Mutex::new(conn), readers: Mutex::new(Vec::new()), path: path.to_owned() })
    }

    /// On the writing connection.
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut Connection) -> HubResult<T>) -> HubResult<T> {
        let mut conn = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut conn)
    }

    /// On a reading connection (`query_only`: a write there is a bug, refused).
    fn read<T>(&self, f: impl FnOnce(&Connection) -> HubResult<T>) -> HubResult<T> {
        let idle = self.readers.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match idle {
            Some(c) => c,
            None => {
                let c = Connection::open(&self.path).map_err(internal)?;
                c.busy_timeout(std::time::Duration::from_secs(10)).map_err(internal)?;
                c.pragma_update(None, "query_only", true).map_err(internal)?;
                c.pragma_update(None, "cache_size", -READER_CACHE_KIB).map_err(internal)?;
                c.pragma_update(None, "temp_store", "MEMORY").map_err(internal)?;
                c
            }
        };
        let out = f(&conn);
        let mut idle = self.readers.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < READERS {
            idle.push(conn);
        }
        out
    }
}

fn head(conn: &Connection) -> rusqlite::Result<Cursor> {
    Ok(conn
        .query_row("SELECT seq, link FROM change ORDER BY seq DESC LIMIT 1", [], |r| {
            Ok(Cursor { seq: r.get(0)?, link: r.get(1)?, within: None })
        })
        .optional()?
        .unwrap_or_default())
}

/// One entry of the log to append: a change received, or a share or unshare note.
struct Entry<'a> {
    site: Option<String>,
    hlc: Option<i64>,
    kind: &'a str,
    record_id: Option<String>,
    op: &'a str,
    grp: &'a str,
    for_office: Option<&'a str>,
    digest: &'a str,
    from_installation: Option<&'a str>,
    body: &'a str,
}

/// Appends `e` after `last`, chaining its hash; the new head.
fn append(conn: &Connection, last: &Cursor, e: &Entry, now: &str) -> HubResult<Cursor> {
    let link = sha256_hex(format!("{}{}", last.link, e.digest).as_bytes());
    conn.prepare_cached(
        "INSERT INTO change (site, hlc, kind, record_id, op, grp, for_office, digest, link, from_installation, received_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )
    .and_then(|mut s| {
        s.execute(params![
            e.site,
            e.hlc,
            e.kind,
            e.record_id,
            e.op,
            e.grp,
            e.for_office,
            e.digest,
            link,
            e.from_installation,
            now,
            e.body
        ])
    })
    .map_err(internal)?;
    Ok(Cursor { seq: conn.last_insert_rowid(), link, within: None })
}

/// The body of the log's entry `seq`: a pull reads it only for the entries the office
/// reads (most of a busy hub's log is other offices'; reading every body was most of a
/// pull's time and memory with 200 offices).
fn body_at(conn: &Connection, seq: i64) -> HubResult<String> {
    conn.prepare_cached("SELECT body FROM change WHERE seq = ?1")
        .and_then(|mut s| s.query_row([seq], |r| r.get(0)))
        .map_err(internal)
}

/// The chain hash at the log's entry `seq`, if the log has it.
fn link_at(conn: &Connection, seq: i64) -> HubResult<Option<String>> {
    conn.prepare_cached("SELECT link FROM change WHERE seq = ?1")
        .and_then(|mut s| s.query_row([seq], |r| r.get(0)).optional())
        .map_err(internal)
}

/// Most log entries one pull looks at, read or not: an office that reads little of a
/// long log gets it in several pulls rather than in one long wait.
const SCAN_LIMIT: usize = 20_000;

/// The page of the log after `after` that `to` reads (see [`HubStore::pull`]).
fn read_page(conn: &Connection, to: &Installation, after: &Cursor, limit: usize) -> HubResult<Page> {
    let me = to.id.to_string();
    let mut reading = Reading::new(conn, to.office_id);
    let mut page =
        Page { changes: Vec::new(), next: after.clone(), more: false, shared: Vec::new(), unshared: Vec::new() };
    let mut scanned = 0;
    let note = |page: &mut Page, grp: &str, shared: bool| {
        let Ok(g) = Uuid::parse_str(grp) else { return };
        page.shared.retain(|x| *x != g);
        page.unshared.retain(|x| *x != g);
        if shared { page.shared.push(g) } else { page.unshared.push(g) }
    };
    while page.changes.len() < limit && scanned < SCAN_LIMIT {
        if let Some(within) = page.next.within {
            // Inside a share: the group's history before it, then the share itself.
            let marker: Option<(i64, String, String)> = conn
                .query_row(
                    "SELECT seq, link, grp FROM change WHERE seq > ?1 AND op = 'share' AND for_office = ?2
                     AND seq = (SELECT min(seq) FROM change WHERE seq > ?1)",
                    params![page.next.seq, reading.office()],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(internal)?;
            // Only a share for this office opens a group's history.
            let Some((marker_seq, marker_link, grp)) = marker else {
                return Err(HubError::new(
                    Refusal::BadRequest,
                    "Posizione di ricezione non valida: dopo di essa il hub non ha una condivisione per questo ufficio. \
                     Nulla è stato inviato.",
                ));
            };
            let room = limit - page.changes.len();
            let history: Vec<(i64, String)> = conn
                .prepare_cached(
                    "SELECT seq, body FROM change WHERE grp = ?1 AND seq > ?2 AND seq < ?3
                     AND op IN ('create', 'update', 'delete') AND from_installation IS NOT ?4 ORDER BY seq LIMIT ?5",
                )
                .and_then(|mut s| {
                    s.query_map(params![grp, within, marker_seq, me, room as i64 + 1], |r| Ok((r.get(0)?, r.get(1)?)))?
                        .collect()
                })
                .map_err(internal)?;
            scanned += history.len();
            if history.len() > room {
                page.changes.extend(history.into_iter().take(room));
                page.next.within = page.changes.last().map(|(s, _)| *s);
                page.more = true;
                return Ok(page);
            }
            page.changes.extend(history);
            page.next = Cursor { seq: marker_seq, link: marker_link, within: None };
            note(&mut page, &grp, true);
            continue;
        }
        // Read in place, nothing copied but what the office reads: with 200 offices, a
        // pull goes through every office's changes since its last one.
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, op, grp, for_office, from_installation FROM change WHERE seq > ?1 ORDER BY seq LIMIT ?2",
            )
            .map_err(internal)?;
        let mut rows =
            stmt.query(params![page.next.seq, (SCAN_LIMIT - scanned).min(4 * limit) as i64]).map_err(internal)?;
        let mut last = None;
        while let Some(r) = rows.next().map_err(internal)? {
            let text = |i: usize| r.get_ref(i).ok().and_then(|v| v.as_str_or_null().ok().flatten());
            let seq: i64 = r.get(0).map_err(internal)?;
            let (op, grp) = (text(1).unwrap_or_default(), text(2).unwrap_or_default());
            scanned += 1;
            let mine = text(3) == Some(reading.office());
            match op {
                "share" if mine => {
                    // Stay before it: the group's history comes first.
                    page.next.within = Some(0);
                    break;
                }
                "unshare" if mine => note(&mut page, grp, false),
                "share" | "unshare" | "purged" => {}
                _ if text(4) == Some(me.as_str()) => {}
                _ => {
                    if reading.reads(grp, op)? {
                        page.changes.push((seq, body_at(conn, seq)?));
                    }
                }
            }
            last = Some(seq);
            if page.changes.len() >= limit {
                break;
            }
        }
        drop(rows);
        let Some(seq) = last else {
            if page.next.within.is_some() {
                continue;
            }
            break;
        };
        let link =
            link_at(conn, seq)?.ok_or_else(|| internal(format!("voce {seq} del registro letta e non trovata")))?;
        page.next = Cursor { seq, link, within: page.next.within };
    }
    page.more = page.next.within.is_some()
        || conn
            .prepare_cached("SELECT 1 FROM change WHERE seq > ?1")
            .and_then(|mut s| s.exists([page.next.seq]))
            .map_err(internal)?;
    Ok(page)
}

impl HubStore for SqliteStore {
    fn identity(&self) -> HubResult<Identity> {
        self.read(|c| {
            let get = |k: &str| c.query_row("SELECT value FROM meta WHERE key = ?1", [k], |r| r.get::<_, String>(0));
            let hub_id = Uuid::parse_str(&get("hub_id").map_err(internal)?).map_err(internal)?;
            let epoch = get("epoch").map_err(internal)?.parse().map_err(internal)?;
            Ok(Identity { hub_id, epoch })
        })
    }

    fn raise_epoch(&self) -> HubResult<u64> {
        self.with(|c| {
            c.query_row(
                "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'epoch' RETURNING CAST(value AS INTEGER)",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map(|e| e as u64)
            .map_err(internal)
        })
    }

    fn add_office(&self, id: Uuid, name: &str, now: &str) -> HubResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO office (id, name, added_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name, revoked_at = NULL",
                params![id.to_string(), name, now],
            )
            .map_err(internal)?;
            Ok(())
        })
    }

    fn add_code(&self, office: Uuid, code_sha256: &str, now: &str, expires_at: &str) -> HubResult<()> {
        self.with(|c| {
            c.execute(
                "INSERT INTO enrolment_code (code_sha256, office_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                params![code_sha256, office.to_string(), now, expires_at],
            )
            .map_err(internal)?;
            Ok(())
        })
    }

    fn enrol(
        &self,
        code_sha256: &str,
        site: Uuid,
        _clock: u64,
        claimed_office: Option<Uuid>,
        installation: Uuid,
        secret_sha256: &str,
        now: &str,
    ) -> HubResult<Office> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(internal)?;
            let code: Option<(String, String, Option<String>)> = tx
                .query_row(
                    "SELECT office_id, expires_at, used_at FROM enrolment_code WHERE code_sha256 = ?1",
                    [code_sha256],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()
                .map_err(internal)?;
            let Some((office_id, expires_at, used_at)) = code else {
                return Err(HubError::new(
                    Refusal::CodeUnknown,
                    "Codice di adesione sconosciuto: controllarlo (lettere e cifre a gruppi di quattro) o chiederne uno nuovo a chi gestisce il hub.",
                ));
            };
            if used_at.is_some() {
                return Err(HubError::new(
                    Refusal::CodeUsed,
                    "Codice di adesione già usato: ogni codice vale per una sola installazione; chiederne un altro («raccordo-hub office add»).",
                ));
            }
            if expires_at.as_str() < now {
                return Err(HubError::new(
                    Refusal::CodeExpired,
                    format!("Codice di adesione scaduto il {}: chiederne uno nuovo.", &expires_at[..10.min(expires_at.len())]),
                ));
            }
            let office = tx
                .query_row("SELECT id, name, added_at, revoked_at FROM office WHERE id = ?1", [&office_id], office_row)
                .map_err(internal)?;
            if office.revoked_at.is_some() {
                return Err(HubError::new(
                    Refusal::CredentialRevoked,
                    format!("L'ufficio {} è stato revocato su questo hub: nessuna nuova installazione.", office.name),
                ));
            }
            if let Some(claimed) = claimed_office
                && claimed != office.id
            {
                return Err(HubError::new(
                    Refusal::OtherOffice,
                    format!(
                        "Il codice è per l'ufficio {}, ma il registro lavora per un altro ufficio: usare il registro di {} o un codice per il proprio ufficio. Il codice resta valido.",
                        office.name, office.name
                    ),
                ));
            }
            let known: bool = tx
                .query_row("SELECT count(*) > 0 FROM installation WHERE site = ?1", [site.to_string()], |r| r.get(0))
                .map_err(internal)?;
            if known {
                return Err(HubError::new(
                    Refusal::SiteKnown,
                    "Un'altra installazione sincronizza già con l'identificativo di questo registro: è una copia. \
                     Il registro deve prendere un identificativo nuovo prima di aderire. Il codice resta valido.",
                ));
            }
            tx.execute(
                "INSERT INTO installation (id, office_id, site, secret_sha256, enrolled_at, last_contact) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![installation.to_string(), office_id, site.to_string(), secret_sha256, now],
            )
            .map_err(internal)?;
            tx.execute(
                "UPDATE enrolment_code SET used_at = ?1, used_by = ?2 WHERE code_sha256 = ?3",
                params![now, installation.to_string(), code_sha256],
            )
            .map_err(internal)?;
            tx.commit().map_err(internal)?;
            Ok(office)
        })
    }

    fn installation(&self, id: Uuid) -> HubResult<Option<Installation>> {
        self.read(|c| {
            c.query_row(
                &format!(
                    "SELECT {INSTALLATION_COLUMNS} FROM installation i JOIN office o ON o.id = i.office_id WHERE i.id = ?1"
                ),
                [id.to_string()],
                installation_row,
            )
            .optional()
            .map_err(internal)
        })
    }

    fn push(
        &self,
        from: &Installation,
        clock: u64,
        changes: &[LoggedChange],
        now: &str,
    ) -> HubResult<(Pushed, Cursor)> {
        self.with(|c| {
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate).map_err(internal)?;
            let stored_clock: i64 = tx
                .query_row("SELECT site_clock FROM installation WHERE id = ?1", [from.id.to_string()], |r| r.get(0))
                .map_err(internal)?;
            if clock < stored_clock as u64 {
                return Err(HubError::new(
                    Refusal::SiteCopy,
                    "Questo registro è una copia più vecchia di quello che ha già sincronizzato come questa installazione \
                     (un ripristino, un file copiato): non può sincronizzare al suo posto. Scollegarlo («raccordo-cli sync leave») \
                     e collegarlo di nuovo con un nuovo codice: prenderà un identificativo nuovo. Nulla è stato applicato.",
                ));
            }
            let mut out = Pushed::default();
            let mut last = head(&tx).map_err(internal)?;
            {
                let mut admission = Admission::new(&tx, from.office_id);
                let mut existing = tx.prepare_cached("SELECT digest FROM change WHERE site = ?1 AND hlc = ?2").map_err(internal)?;
                let from_id = from.id.to_string();
                for ch in changes {
                    let site = ch.site.to_string();
                    let held: Option<String> =
                        existing.query_row(params![site, ch.hlc as i64], |r| r.get(0)).optional().map_err(internal)?;
                    match held {
                        Some(d) if d == ch.digest => out.already_held += 1,
                        Some(_) => {
                            return Err(HubError::new(
                                Refusal::SiteConflict,
                                format!(
                                    "Due modifiche diverse con la stessa origine (sito {}, orologio {}): due copie dello stesso registro \
                                     hanno lavorato separatamente. Il lotto non è stato applicato; la copia deve prendere un \
                                     identificativo nuovo (scollegarla e collegarla di nuovo).",
                                    ch.site, ch.hlc
                                ),
                            ));
                        }
                        None => {
                            let grp = admission.admit(ch)?;
                            let entry = Entry {
                                site: Some(site),
                                hlc: Some(ch.hlc as i64),
                                kind: &ch.kind,
                                record_id: Some(ch.record_id.to_string()),
                                op: &ch.op,
                                grp: &grp,
                                for_office: None,
                                digest: &ch.digest,
                                from_installation: Some(&from_id),
                                body: &ch.body,
                            };
                            last = append(&tx, &last, &entry, now)?;
                            out.accepted += 1;
                        }
                    }
                }
                for (op, grp, office) in admission.finish()? {
                    let digest = sha256_hex(format!("{op}:{grp}:{office}:{}", last.seq).as_bytes());
                    let entry = Entry {
                        site: None,
                        hlc: None,
                        kind: "marker",
                        record_id: None,
                        op,
                        grp: &grp,
                        for_office: Some(&office),
                        digest: &digest,
                        from_installation: None,
                        body: "",
                    };
                    last = append(&tx, &last, &entry, now)?;
                }
            }
            tx.execute(
                "UPDATE installation SET site_clock = max(site_clock, ?1), last_contact = ?2 WHERE id = ?3",
                params![clock as i64, now, from.id.to_string()],
            )
            .map_err(internal)?;
            tx.commit().map_err(internal)?;
            Ok((out, last))
        })
    }

    fn pull(&self, to: &Installation, after: &Cursor, limit: usize, conflicts: u64, now: &str) -> HubResult<Page> {
        let page = self.read(|c| {
            // One snapshot of the log for the whole page.
            let tx = c.unchecked_transaction().map_err(internal)?;
            let from_start = after.seq == 0 && after.link.is_empty();
            if !from_start && link_at(&tx, after.seq)?.as_deref() != Some(after.link.as_str()) {
                return Err(HubError::new(
                    Refusal::HubRestored,
                    "Il hub non ha il punto da cui questo registro aveva ricevuto: è stato ripristinato da una copia più \
                     vecchia. Il registro invia di nuovo ciò che ha e riceve tutto da capo; nulla viene perso né eliminato.",
                ));
            }
            read_page(&tx, to, after, limit)
        })?;
        self.with(|c| {
            c.execute(
                "UPDATE installation SET last_contact = ?1, conflicts = ?2 WHERE id = ?3",
                params![now, conflicts as i64, to.id.to_string()],
            )
            .map_err(internal)?;
            crate::purge::acknowledge(c, &to.id.to_string(), after.seq)?;
            Ok(page)
        })
    }

    fn blob_readable(&self, office: Uuid, sha: &str) -> HubResult<bool> {
        self.read(|c| scopes::blob_readable(c, office, sha))
    }

    fn revoke(&self, office: Uuid, now: &str) -> HubResult<bool> {
        self.with(|c| {
            let n = c
                .execute(
                    "UPDATE office SET revoked_at = ?1 WHERE id = ?2 AND revoked_at IS NULL",
                    params![now, office.to_string()],
                )
                .map_err(internal)?;
            Ok(n > 0)
        })
    }

    fn offices(&self, now: &str) -> HubResult<Vec<OfficeStatus>> {
        self.with(|c| {
            let offices: Vec<Office> = c
                .prepare("SELECT id, name, added_at, revoked_at FROM office ORDER BY name")
                .and_then(|mut s| s.query_map([], office_row)?.collect())
                .map_err(internal)?;
            let mut out = Vec::new();
            for office in offices {
                let installations = c
                    .prepare(&format!(
                        "SELECT {INSTALLATION_COLUMNS} FROM installation i JOIN office o ON o.id = i.office_id
                         WHERE i.office_id = ?1 ORDER BY i.enrolled_at"
                    ))
                    .and_then(|mut s| s.query_map([office.id.to_string()], installation_row)?.collect())
                    .map_err(internal)?;
                let codes_open: i64 = c
                    .query_row(
                        "SELECT count(*) FROM enrolment_code WHERE office_id = ?1 AND used_at IS NULL AND expires_at >= ?2",
                        params![office.id.to_string(), now],
                        |r| r.get(0),
                    )
                    .map_err(internal)?;
                out.push(OfficeStatus { office, installations, codes_open: codes_open as u64 });
            }
            Ok(out)
        })
    }

    fn totals(&self) -> HubResult<Totals> {
        self.with(|c| {
            let (changes, records): (i64, i64) = c
                .query_row(
                    "SELECT count(*), count(DISTINCT record_id) FROM change WHERE op IN ('create', 'update', 'delete')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(internal)?;
            Ok(Totals {
                changes: changes as u64,
                records: records as u64,
                head: head(c).map_err(internal)?.seq,
                purge_waiting: crate::purge::waiting(c)?,
            })
        })
    }

    fn purge(&self) -> HubResult<Purged> {
        crate::purge::purge(self)
    }

    fn bodies_of_kind(&self, kind: &str) -> HubResult<Vec<String>> {
        self.with(|c| {
            c.prepare("SELECT body FROM change WHERE kind = ?1 AND op != 'purged' ORDER BY seq")
                .and_then(|mut s| s.query_map([kind], |r| r.get(0))?.collect())
                .map_err(internal)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hub_of_the_format_before_purge_opens_with_nothing_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        drop(SqliteStore::create(dir.path()).unwrap());
        // What `raccordo-hub-2` wrote: the same tables without the purge's columns.
        let old = Connection::open(dir.path().join("hub.sqlite")).unwrap();
        old.execute_batch(
            "ALTER TABLE installation DROP COLUMN acked_seq; ALTER TABLE rec DROP COLUMN purged;
             UPDATE meta SET value = 'raccordo-hub-2' WHERE key = 'format';",
        )
        .unwrap();
        drop(old);
        let store = SqliteStore::open(dir.path()).unwrap();
        let (format, columns): (String, i64) = store
            .with(|c| {
                c.query_row(
                    "SELECT (SELECT value FROM meta WHERE key = 'format'),
                            (SELECT count(*) FROM pragma_table_info('installation') WHERE name = 'acked_seq')
                          + (SELECT count(*) FROM pragma_table_info('rec') WHERE name = 'purged')",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .map_err(internal)
            })
            .unwrap();
        assert_eq!((format.as_str(), columns), (STORE_FORMAT, 2));
        assert_eq!(store.purge().unwrap(), Purged::default());
    }
}
