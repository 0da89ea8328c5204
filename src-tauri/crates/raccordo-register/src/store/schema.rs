//! Migrations, embedded and run at open, in order, each in one transaction.
//! `PRAGMA user_version` holds the schema of a file. Append here; never edit a
//! migration that has shipped.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{Connection, Transaction};

pub struct Migration {
    pub sql: &'static str,
    /// Work that SQL alone cannot do (filling a new index from existing records).
    pub after: Option<fn(&Transaction) -> Result<()>>,
}

pub const MIGRATIONS: &[Migration] = &[
    // The file's identity lands with its first tables: never a register without a site.
    Migration { sql: include_str!("migrations/0001_register.sql"), after: Some(super::identify) },
    Migration { sql: include_str!("migrations/0002_search.sql"), after: Some(crate::search::rebuild) },
    Migration { sql: include_str!("migrations/0003_settings_journal.sql"), after: Some(super::journal_settings) },
    Migration { sql: include_str!("migrations/0004_directory.sql"), after: Some(crate::directory::install) },
    Migration { sql: include_str!("migrations/0005_signature_check.sql"), after: None },
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

/// Brings the file up to [`LATEST`], or up to `target` in tests of old files.
pub fn migrate_to(conn: &mut Connection, target: u32) -> Result<()> {
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
        if let Some(after) = m.after {
            after(&tx)?;
        }
        tx.pragma_update(None, "user_version", v + 1)?;
        tx.commit()?;
    }
    Ok(())
}
