//! Purging what deleted records leave in the hub's log, on the SQLite store, once every
//! installation that could hold them has acknowledged them.
//!
//! An installation acknowledges the log up to the cursor it pulls after: it asks from
//! there only once it has applied everything before, with the cursor, in one
//! transaction. A deleted record is purged in two steps, each when the log up to its
//! last change is acknowledged by:
//! 1. every installation of an office not revoked: its creation and updates are emptied
//!    (the log keeps their place, digest and link, so cursors, the chain and a batch sent
//!    again still hold); its delete stays and still reaches whoever pulls from before
//!    it, a new installation among them, which keeps only the tombstone;
//! 2. every installation ever enrolled, revoked ones included (one could be let back in
//!    and resume from its old cursor): the delete is emptied too.
//!
//! The registers keep their tombstones: they are what stops a deleted id from coming
//! back, and a row each. A change that arrives for a purged record later (an office
//! that worked offline for long) is logged and handed on like any other, and the
//! record waits to be purged again; a register that never held it keeps it aside
//! (waiting for a creation that never comes), never as a record.

use crate::sqlite::SqliteStore;
use crate::store::{HubError, HubResult, PurgeWait, Purged};
use raccordo_register::db::rows::text_uuid;
use rusqlite::{Connection, TransactionBehavior, params};
use std::collections::BTreeMap;

fn internal(e: impl std::fmt::Display) -> HubError {
    HubError::internal(e)
}

/// How far the log is acknowledged: by every installation of an office not revoked
/// (step 1), and by every installation (step 2). 0 with no installation.
fn horizons(conn: &Connection) -> HubResult<(i64, i64)> {
    conn.query_row(
        "SELECT coalesce(min(CASE WHEN o.revoked_at IS NULL THEN i.acked_seq END), 0), coalesce(min(i.acked_seq), 0)
         FROM installation i JOIN office o ON o.id = i.office_id",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .map_err(internal)
}

/// The deleted records not purged whole, by group: `(id, purged so far)`.
fn candidates(conn: &Connection) -> HubResult<BTreeMap<String, BTreeMap<String, i64>>> {
    let mut by_group: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    let rows: Vec<(String, String, i64)> = conn
        .prepare("SELECT grp, id, purged FROM rec WHERE deleted = 1 AND purged < 2")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect())
        .map_err(internal)?;
    for (grp, id, purged) in rows {
        by_group.entry(grp).or_default().insert(id, purged);
    }
    Ok(by_group)
}

/// Purges one group's deleted records as far as `horizons` allow, in one transaction;
/// adds to `out` what it did, and the oldest change still waiting.
fn purge_group(
    conn: &mut Connection,
    grp: &str,
    records: &BTreeMap<String, i64>,
    (history, everyone): (i64, i64),
    out: &mut Purged,
    oldest_waiting: &mut Option<i64>,
) -> HubResult<()> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(internal)?;
    // The log's rows of the group's deleted records, through the group index.
    let mut rows: BTreeMap<&str, Vec<(i64, String, usize)>> = BTreeMap::new();
    {
        let mut stmt = tx
            .prepare_cached(
                "SELECT seq, record_id, op, length(body) FROM change WHERE grp = ?1 AND op IN ('create', 'update', 'delete')",
            )
            .map_err(internal)?;
        let mut q = stmt.query([grp]).map_err(internal)?;
        while let Some(r) = q.next().map_err(internal)? {
            let id: Option<String> = r.get(1).map_err(internal)?;
            if let Some((key, _)) = id.as_deref().and_then(|id| records.get_key_value(id)) {
                let row = (
                    r.get(0).map_err(internal)?,
                    r.get(2).map_err(internal)?,
                    r.get::<_, i64>(3).map_err(internal)? as usize,
                );
                rows.entry(key.as_str()).or_default().push(row);
            }
        }
    }
    for (id, changes) in rows {
        let last = changes.iter().map(|(seq, _, _)| *seq).max().unwrap_or(0);
        let level = if last <= everyone {
            2
        } else if last <= history {
            1
        } else {
            0
        };
        if level == 0 && records[id] == 0 {
            *oldest_waiting = Some(oldest_waiting.map_or(last, |o| o.min(last)));
            out.waiting += 1;
        }
        if level <= records[id] {
            continue;
        }
        for (seq, op, bytes) in changes {
            if op == "delete" && level < 2 {
                continue;
            }
            tx.prepare_cached("UPDATE change SET op = 'purged', body = '' WHERE seq = ?1")
                .and_then(|mut s| s.execute([seq]))
                .map_err(internal)?;
            out.changes += 1;
            out.bytes += bytes as u64;
        }
        tx.prepare_cached("UPDATE rec SET purged = ?2 WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id, level]))
            .map_err(internal)?;
        if level == 2 {
            out.tombstones += 1;
        }
        if records[id] == 0 {
            out.histories += 1;
        }
    }
    tx.commit().map_err(internal)
}

/// The installations whose acknowledgement is behind `seq`: what holds a purge back.
fn behind(conn: &Connection, seq: i64) -> HubResult<Vec<PurgeWait>> {
    conn.prepare(
        "SELECT i.id, o.name, i.acked_seq, i.last_contact, o.revoked_at IS NOT NULL FROM installation i
         JOIN office o ON o.id = i.office_id WHERE i.acked_seq < ?1 ORDER BY i.acked_seq, o.name",
    )
    .and_then(|mut s| {
        s.query_map([seq], |r| {
            Ok(PurgeWait {
                installation: text_uuid(r, 0)?,
                office: r.get(1)?,
                acked_seq: r.get(2)?,
                last_contact: r.get(3)?,
                revoked: r.get(4)?,
            })
        })?
        .collect()
    })
    .map_err(internal)
}

/// Purges every deleted record whose changes are acknowledged, one group at a time (a
/// push waits for one group at most); what it did and what holds the rest back.
pub fn purge(store: &SqliteStore) -> HubResult<Purged> {
    let (horizons, groups) = store.with(|c| Ok((horizons(c)?, candidates(c)?)))?;
    let mut out = Purged::default();
    let mut oldest_waiting = None;
    for (grp, records) in groups {
        store.with(|c| purge_group(c, &grp, &records, horizons, &mut out, &mut oldest_waiting))?;
    }
    if let Some(seq) = oldest_waiting {
        out.held_back_by = store.with(|c| behind(c, seq))?;
    }
    Ok(out)
}

/// Notes that `installation` has applied the log through `seq` (see the module's
/// words), and nothing lower than it already said.
pub fn acknowledge(conn: &Connection, installation: &str, seq: i64) -> HubResult<()> {
    conn.prepare_cached("UPDATE installation SET acked_seq = max(acked_seq, ?2) WHERE id = ?1")
        .and_then(|mut s| s.execute(params![installation, seq]))
        .map_err(internal)?;
    Ok(())
}

/// A change received for a record purged before: the record waits to be purged again.
pub fn reopen(conn: &Connection, record: &str) -> HubResult<()> {
    conn.prepare_cached("UPDATE rec SET purged = 0 WHERE id = ?1 AND purged > 0")
        .and_then(|mut s| s.execute([record]))
        .map_err(internal)?;
    Ok(())
}

/// How many deleted records wait to be purged (for `status`).
pub fn waiting(conn: &Connection) -> HubResult<u64> {
    conn.query_row("SELECT count(*) FROM rec WHERE deleted = 1 AND purged = 0", [], |r| r.get::<_, i64>(0))
        .map(|n| n as u64)
        .map_err(internal)
}
