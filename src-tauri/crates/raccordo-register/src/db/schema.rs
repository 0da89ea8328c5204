//! Migrations, embedded and run at open, in order, each in one transaction.
//! `PRAGMA user_version` holds the schema of a file. Append here; never edit a
//! migration that has shipped.
//!
//! A migration is its SQL and, where SQL alone cannot do the work, a named [`Step`]
//! that the floor above runs inside the same transaction (`store::steps`): this floor
//! knows what each version needs, not the records and the journal that do it.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, Transaction};

pub struct Migration {
    pub sql: &'static str,
    /// Work that SQL alone cannot do, run after the SQL in the same transaction.
    pub after: Option<Step>,
}

/// The work of a migration that needs records or the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The file's identity (`format`, `site_id`) in `meta`.
    Identify,
    /// The search index filled from the records already there.
    RebuildSearch,
    /// The settings a file already had become its first journaled settings row.
    JournalSettings,
    /// The directory of administrations, loaded once.
    LoadDirectory,
}

pub const MIGRATIONS: &[Migration] = &[
    // The file's identity lands with its first tables: never a register without a site.
    Migration { sql: include_str!("migrations/0001_register.sql"), after: Some(Step::Identify) },
    Migration { sql: include_str!("migrations/0002_search.sql"), after: Some(Step::RebuildSearch) },
    Migration { sql: include_str!("migrations/0003_settings_journal.sql"), after: Some(Step::JournalSettings) },
    Migration { sql: include_str!("migrations/0004_directory.sql"), after: Some(Step::LoadDirectory) },
    Migration { sql: include_str!("migrations/0005_signature_check.sql"), after: None },
    Migration { sql: include_str!("migrations/0006_sync.sql"), after: None },
    Migration { sql: include_str!("migrations/0007_peer.sql"), after: None },
    Migration { sql: include_str!("migrations/0008_scopes.sql"), after: None },
    Migration { sql: include_str!("migrations/0009_source_note.sql"), after: None },
];

/// The schema this build writes.
pub const LATEST: u32 = MIGRATIONS.len() as u32;

pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// A file written by a newer Raccordo is refused: this build cannot know its schema.
pub fn refuse_newer(current: u32) -> Result<()> {
    if current > LATEST {
        return Err(Error::new(
            ErrorCode::SchemaTooNew,
            format!(
                "Questo registro è stato creato da una versione più recente di Raccordo (schema {current}); \
                 questa versione arriva allo schema {LATEST}. Aggiorna Raccordo per aprirlo: il file non è stato modificato."
            ),
        ));
    }
    Ok(())
}

/// Brings the file up to [`LATEST`], or up to `target` in tests of old files; `run`
/// does each migration's [`Step`].
pub fn migrate_to(conn: &mut Connection, target: u32, run: impl Fn(Step, &Transaction) -> Result<()>) -> Result<()> {
    let current = version(conn)?;
    refuse_newer(current)?;
    for v in current..target.min(LATEST) {
        let m = &MIGRATIONS[v as usize];
        // IMMEDIATE: another process opening the same new file waits, then finds it done.
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if version(&tx)? > v {
            // Another process migrated it while this one waited for the lock.
            continue;
        }
        tx.execute_batch(m.sql)?;
        if let Some(step) = m.after {
            run(step, &tx)?;
        }
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(())
}
