//! The migrations' steps that need records or the journal (`db::schema::Step`): each
//! runs inside its migration's transaction, as the file's own site.

use super::{Writer, actor_in};
use crate::db::meta::{get_meta, set_meta, site_in};
use crate::db::schema::Step;
use crate::directory;
use crate::error::Result;
use crate::hlc::{Clock, Stamp};
use rusqlite::{Connection, Transaction};

pub(super) fn run(step: Step, tx: &Transaction) -> Result<()> {
    match step {
        Step::Identify => crate::db::meta::identify(tx),
        Step::RebuildSearch => crate::search::rebuild(tx),
        Step::JournalSettings => journal_settings(tx),
        Step::LoadDirectory => load_directory(tx),
    }
}

/// Runs `f` as a writer inside a migration's transaction.
fn write_in(tx: &Connection, f: impl FnOnce(&mut Writer) -> Result<()>) -> Result<()> {
    let actor = actor_in(tx)?;
    let mut w = Writer::begin(tx, site_in(tx)?, &actor, Clock::starting_after(Stamp(0)))?;
    f(&mut w)?;
    w.finish().map(drop)
}

/// Schema 3: the settings a file already had become its first settings row, so that
/// `audit verify` has what they should be.
fn journal_settings(tx: &Transaction) -> Result<()> {
    if get_meta(tx, "user_name")?.is_none() && get_meta(tx, "office_id")?.is_none() {
        return Ok(());
    }
    let actor = actor_in(tx)?;
    write_in(tx, |w| w.record_settings(&actor.settings()))
}

/// Schema 4: the directory of administrations, once; the register remembers it in the
/// same transaction.
fn load_directory(tx: &Transaction) -> Result<()> {
    if get_meta(tx, "directory")?.is_some() {
        return Ok(());
    }
    let records = directory::administrations();
    write_in(tx, |w| w.load_snapshot(&records, directory::SNAPSHOT))?;
    set_meta(tx, "directory", directory::SNAPSHOT)
}
