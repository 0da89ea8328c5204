//! Floor 6: copies of the register that survive a broken PC, and putting one back.
//!
//! A copy is made with SQLite's online backup from a read transaction of its own, so
//! the window and the background sync go on writing meanwhile (WAL: a reader never
//! waits for a writer) and the copy is the register as it was at one instant. It is
//! written beside its final name and renamed only once checked, so a copy cut off
//! half-way (a kill, a full disk) never takes the name of a copy, and the copies
//! already there are never touched.
//!
//! Restoring checks the copy first, keeps the current register aside (a copy of it,
//! made the same way) until the restore has succeeded, and makes the restored
//! register a new installation (a new site id, no hub): the hub would otherwise take
//! it for the original, whose changes after the copy it would never send back.
//! Joining again with a new code brings back from the hub what the copy lacks.

use crate::db::meta::{FORMAT, get_meta};
use crate::db::{open_read_only, schema};
use crate::error::{Error, ErrorCode, Result};
use crate::store::Register;
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use uuid::Uuid;

/// What the check of a copy found: it is whole, and how much it holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyCheck {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
    pub bytes: u64,
    pub schema: u32,
    /// Entries of the history, each linked to the one before (all checked).
    pub history_entries: u64,
    /// Records and kept files found to be what the history says they are.
    pub records: u64,
    pub files: u64,
    pub agreements: u64,
    /// When the last change it holds was made (RFC 3339), if any.
    pub last_change_at: Option<String>,
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Restored {
    pub copy: CopyCheck,
    /// The register as it was before, kept aside.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub kept_aside: Option<PathBuf>,
    /// The restored register's new site id.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub site_id: Uuid,
    /// The hub the register was joined to, which it must join again.
    pub left_hub: Option<String>,
}

/// Pages per step of the online backup: big enough that a step is cheap, small enough
/// that a copy of a large register gives way to a writer between steps. A writer
/// through another connection restarts a step-wise copy, so the copy runs from one
/// read transaction instead (`-1`: all pages in one step), which in WAL mode waits for
/// no writer and makes no writer wait.
const ALL_PAGES: std::ffi::c_int = -1;

/// Every page of `from` into `to`, in one step (see [`ALL_PAGES`]); a step that finds
/// the source locked (a writer leaving WAL mode, a checkpoint) is tried again.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<()> {
    let backup = Backup::new(from, to)?;
    for _ in 0..200 {
        match backup.step(ALL_PAGES)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Err(Error::busy())
}

impl Register {
    /// A consistent copy of the register at `out`, made while others may be writing,
    /// then checked ([`check_copy`]). `out` is replaced only by a checked copy.
    pub fn backup_to(&self, out: &Path) -> Result<CopyCheck> {
        backup_file(self.connection(), out)
    }
}

fn storage(what: &str, path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Storage, format!("{what} «{}»: {e}", path.display()))
}

/// The file a copy is written to before it is checked and renamed to `out`.
fn partial(out: &Path) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".parziale");
    out.with_file_name(name)
}

/// Copies the database of `from` into a new file at `out` (through a partial file),
/// a single file in rollback-journal mode that opens anywhere, and checks it.
fn backup_file(from: &Connection, out: &Path) -> Result<CopyCheck> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| storage("Cartella delle copie", dir, e))?;
    }
    let part = partial(out);
    let _ = std::fs::remove_file(&part);
    let made = (|| -> Result<()> {
        let mut to = Connection::open(&part).map_err(|e| storage("Copia", &part, e))?;
        copy_all(from, &mut to)?;
        // The source is in WAL mode, and the copy's header says so: a copy is one file.
        to.pragma_update(None, "journal_mode", "DELETE")?;
        to.close().map_err(|(_, e)| e)?;
        std::fs::File::open(&part).and_then(|f| f.sync_all()).map_err(|e| storage("Copia", &part, e))?;
        Ok(())
    })();
    let checked = made.and_then(|()| check_copy(&part));
    match checked {
        Ok(mut check) => {
            std::fs::rename(&part, out).map_err(|e| storage("Copia", out, e))?;
            if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
                // The rename itself survives a power cut once its folder is synced.
                let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
            }
            check.path = out.to_owned();
            Ok(check)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&part);
            Err(e)
        }
    }
}

/// Checks a copy without changing it: SQLite's own integrity check, a register of
/// Raccordo of a schema this version reads, and its history, every entry linked to
/// the one before.
pub fn check_copy(path: &Path) -> Result<CopyCheck> {
    let damaged = |why: String| {
        Error::new(
            ErrorCode::Inconsistent,
            format!("La copia «{}» è danneggiata ({why}): non si può usare.", path.display()),
        )
    };
    let bytes = std::fs::metadata(path)
        .map_err(|e| Error::new(ErrorCode::NotFound, format!("Copia «{}» non trovata: {e}", path.display())))?
        .len();
    let conn = open_read_only(path).map_err(|e| damaged(e.to_string()))?;
    let not_a_register = || {
        Error::new(ErrorCode::NotARegister, format!("«{}» non è una copia di un registro di Raccordo.", path.display()))
    };
    let problems: Vec<String> = conn
        .prepare("PRAGMA integrity_check(5)")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(|e| match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::NotADatabase) => not_a_register(),
            _ => damaged(e.to_string()),
        })?;
    if problems != ["ok"] {
        return Err(damaged(problems.join("; ")));
    }
    let version = schema::version(&conn).map_err(|_| not_a_register())?;
    schema::refuse_newer(version)?;
    if version == 0 || get_meta(&conn, "format").ok().flatten().as_deref() != Some(FORMAT) {
        return Err(not_a_register());
    }
    // The whole check `raccordo-cli audit verify` makes: the history's chain, then
    // every record and kept file against what the history says they are, so damage
    // inside a record's bytes, which SQLite's structure check cannot see, is found.
    let chain = crate::verify::register(&conn)?;
    if let Some((seq, why)) = &chain.first_broken {
        return Err(damaged(format!("la catena del registro modifiche si interrompe alla voce n. {seq}: {why}")));
    }
    if let Some(what) = &chain.first_difference {
        return Err(damaged(format!("non corrisponde al suo registro modifiche: {what}")));
    }
    let agreements: u64 = conn.query_row("SELECT count(*) FROM agreement", [], |r| r.get(0))?;
    let last_change_at: Option<String> =
        conn.query_row("SELECT max(at) FROM journal", [], |r| r.get(0)).unwrap_or(None);
    Ok(CopyCheck {
        path: path.to_owned(),
        bytes,
        schema: version,
        history_entries: chain.entries,
        records: chain.records,
        files: chain.files,
        agreements,
        last_change_at,
    })
}

/// Puts copy `copy` in place of the register at `register`, which no program may have
/// open (the window closes its own first). The copy is checked first; the register
/// as it was is kept aside as `NAME.prima-del-ripristino-TIME.raccordo` until the
/// restore has succeeded, and put back if it fails. The restored register is a new
/// installation: a new site id, no hub.
pub fn restore(register: &Path, copy: &Path) -> Result<Restored> {
    restore_checked(register, check_copy(copy)?, Duration::ZERO)
}

/// [`restore`] of a copy [`check_copy`] has just checked (`check`), waiting up to `wait`
/// for other connections to close (the window's background sync, told to let go,
/// closes its own when its current step is done). The window checks the copy before
/// letting go of the register; the check of a large register is not made twice.
pub fn restore_checked(register: &Path, check: CopyCheck, wait: Duration) -> Result<Restored> {
    let copy = check.path.clone();
    let copy = copy.as_path();
    if same_file(register, copy) {
        return Err(Error::bad_request("La copia da ripristinare è il registro stesso."));
    }
    let exists = register.metadata().map(|m| m.len() > 0).unwrap_or(false);
    let mut live = Connection::open(register).map_err(|e| storage("Registro", register, e))?;
    live.busy_timeout(Duration::from_secs(5))?;
    // Leaving WAL mode needs every other connection closed: the test that no program
    // (the window, a sync, a script) has the register open, before anything changes.
    let since = std::time::Instant::now();
    let mode = loop {
        let mode = claim(&live, register);
        match &mode {
            Err(e) if e.code == ErrorCode::Busy && since.elapsed() < wait => {
                std::thread::sleep(Duration::from_millis(200));
            }
            _ => break mode?,
        }
    };
    if !mode.eq_ignore_ascii_case("delete") {
        return Err(in_use());
    }
    let aside = if exists {
        let stamp = chrono::Utc::now().format("%Y%m%d-%H%M%S");
        let stem = register.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let aside = (1..)
            .map(|n| match n {
                1 => format!("{stem}.prima-del-ripristino-{stamp}.raccordo"),
                n => format!("{stem}.prima-del-ripristino-{stamp}-{n}.raccordo"),
            })
            .map(|name| register.with_file_name(name))
            .find(|p| !p.exists())
            .unwrap_or_default();
        backup_file(&live, &aside).map(drop).or_else(|_| {
            // A register too damaged to copy through SQLite is kept as its bytes.
            std::fs::copy(register, &aside).map(drop).map_err(|e| storage("Copia del registro attuale", &aside, e))
        })?;
        Some(aside)
    } else {
        None
    };
    let put = |from: &Path, live: &mut Connection| -> Result<()> {
        let src = open_read_only(from)?;
        copy_all(&src, live)?;
        Ok(())
    };
    let done = put(copy, &mut live).and_then(|()| {
        drop(live);
        let mut reg = Register::open(register)?;
        let left_hub = reg.peer()?.map(|p| p.hub_url);
        reg.leave_peer()?;
        let site_id = reg.become_new_site()?;
        Ok((site_id, left_hub))
    });
    match done {
        Ok((site_id, left_hub)) => Ok(Restored { copy: check, kept_aside: aside, site_id, left_hub }),
        Err(e) => {
            let back =
                aside.as_deref().ok_or_else(|| Error::bad_request("nessun registro da rimettere")).and_then(|a| {
                    let mut live = Connection::open(register)?;
                    put(a, &mut live)
                });
            Err(Error::new(
                e.code,
                match back {
                    Ok(()) => format!("Ripristino non riuscito: {}. Il registro è tornato com'era.", e.message),
                    Err(b) => format!(
                        "Ripristino non riuscito: {}. Il registro di prima è conservato in «{}» ({}).",
                        e.message,
                        aside.as_deref().map(|a| a.display().to_string()).unwrap_or_default(),
                        b.message
                    ),
                },
            ))
        }
    }
}

/// Takes the register out of WAL mode, which SQLite allows only to its one connection;
/// answers the mode it is in after (still `wal`, or busy: someone else has it open).
fn claim(live: &Connection, register: &Path) -> Result<String> {
    let mode: String =
        live.pragma_update_and_check(None, "journal_mode", "DELETE", |r| r.get(0)).map_err(|e| {
            match e.sqlite_error_code() {
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => in_use(),
                Some(rusqlite::ErrorCode::NotADatabase) => Error::new(
                    ErrorCode::NotARegister,
                    format!("«{}» non è un registro di Raccordo: nulla è stato cambiato.", register.display()),
                ),
                _ => e.into(),
            }
        })?;
    if mode.eq_ignore_ascii_case("wal") { Err(in_use()) } else { Ok(mode) }
}

fn in_use() -> Error {
    Error::new(
        ErrorCode::Busy,
        "Il registro è aperto in un altro programma (la finestra di Raccordo, una sincronizzazione, uno script): \
         chiuderlo prima di ripristinare una copia. Nulla è stato cambiato.",
    )
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A copy of the register file at `register`, read through a connection of its own
/// (the daily copy of the window, made beside the window's own connection).
pub fn backup_register_file(register: &Path, out: &Path) -> Result<CopyCheck> {
    let conn = open_read_only(register).map_err(|e| storage("Registro", register, e))?;
    backup_file(&conn, out)
}

/// A copy found in a folder of copies.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CopyFile {
    pub name: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub path: PathBuf,
    pub bytes: u64,
    /// When it was written (RFC 3339, UTC).
    pub modified: String,
    /// The day of a daily copy, which the rotation keeps or removes; `None` for a
    /// copy made by hand, which stays until someone removes it.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub day: Option<chrono::NaiveDate>,
}

/// The file stem copies of `register` are named after ("raccordo" for raccordo.raccordo).
fn stem_of(register: &Path) -> String {
    register.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "registro".into())
}

/// The name of the daily copy of `register` for `day`: `STEM-2026-12-07.raccordo`.
pub fn daily_name(register: &Path, day: chrono::NaiveDate) -> String {
    format!("{}-{}.raccordo", stem_of(register), day.format("%Y-%m-%d"))
}

/// The name of a copy made by hand now: `STEM-2026-12-07-081530.raccordo`.
pub fn manual_name(register: &Path, now: chrono::NaiveDateTime) -> String {
    format!("{}-{}.raccordo", stem_of(register), now.format("%Y-%m-%d-%H%M%S"))
}

/// The copies of `register` in `folder`, newest first.
pub fn copies(register: &Path, folder: &Path) -> Result<Vec<CopyFile>> {
    let prefix = format!("{}-", stem_of(register));
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(storage("Cartella delle copie", folder, e)),
    };
    let mut out = Vec::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(&prefix).and_then(|r| r.strip_suffix(".raccordo")) else { continue };
        let Ok(meta) = entry.metadata() else { continue };
        if !meta.is_file() {
            continue;
        }
        let modified = meta.modified().ok().map(chrono::DateTime::<chrono::Utc>::from).unwrap_or_default();
        out.push(CopyFile {
            day: chrono::NaiveDate::parse_from_str(rest, "%Y-%m-%d").ok().filter(|_| rest.len() == 10),
            name,
            path: entry.path(),
            bytes: meta.len(),
            modified: modified.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        });
    }
    out.sort_by(|a, b| b.modified.cmp(&a.modified).then(b.name.cmp(&a.name)));
    Ok(out)
}

/// The daily copies kept: the 7 newest, and before them the newest of each of the 4
/// weeks before (ISO weeks, Monday first). Copies made by hand are not counted.
pub const DAILY_KEPT: usize = 7;
pub const WEEKLY_KEPT: usize = 4;

/// Which of these daily copies' days the rotation keeps.
pub fn days_kept(mut days: Vec<chrono::NaiveDate>) -> Vec<chrono::NaiveDate> {
    use chrono::Datelike;
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    let week = |d: &chrono::NaiveDate| (d.iso_week().year(), d.iso_week().week());
    let mut kept: Vec<chrono::NaiveDate> = days.iter().take(DAILY_KEPT).copied().collect();
    // A week the daily copies already reach needs no weekly one.
    let mut covered: Vec<(i32, u32)> = kept.iter().map(week).collect();
    let mut weekly = 0;
    for day in days.iter().skip(DAILY_KEPT) {
        if weekly == WEEKLY_KEPT {
            break;
        }
        if !covered.contains(&week(day)) {
            covered.push(week(day));
            kept.push(*day);
            weekly += 1;
        }
    }
    kept
}

/// Makes today's daily copy of `register` in `folder` unless there is one, then
/// removes the daily copies the rotation no longer keeps. Answers the copy made.
pub fn daily(register: &Path, folder: &Path, today: chrono::NaiveDate) -> Result<Option<CopyCheck>> {
    let out = folder.join(daily_name(register, today));
    let made = if out.exists() { None } else { Some(backup_register_file(register, &out)?) };
    let all = copies(register, folder)?;
    let kept = days_kept(all.iter().filter_map(|c| c.day).collect());
    for c in all.iter().filter(|c| c.day.is_some_and(|d| !kept.contains(&d))) {
        std::fs::remove_file(&c.path).map_err(|e| storage("Copia superata", &c.path, e))?;
    }
    Ok(made)
}
