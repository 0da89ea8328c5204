//! Floor 4: a record as merging makes it, from the changes this register holds,
//! whatever order they came in (`changelog::fold`), and from whether the records it
//! links to are here. The same answer for `store::merge`, which stores it, and for
//! `verify`, which checks that what is stored is this.

use crate::changelog::{self, Change};
use crate::db::{Fields, Reader, rows};
use crate::error::Result;
use crate::kind::Kind;
use uuid::Uuid;

/// Where a record stands after merging.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    /// Stored in its table with these fields (empty ones left out).
    Live(Fields),
    /// Deleted, or never held.
    Gone,
    /// Its fields are known, but it links to a record another office deleted
    /// meanwhile: not stored, and shown as a conflict (restore, or let go).
    Orphan { fields: Fields, lost: (Kind, Uuid) },
    /// It links to a record, or a file, not received yet: stored once that arrives.
    Waiting { fields: Fields, awaits: String },
}

/// The state of `(kind, id)` from its `changes` (all this journal holds of it).
pub fn state(r: &Reader, kind: Kind, id: Uuid, changes: &[Change]) -> Result<State> {
    let base = if kind == Kind::Administration { crate::directory::base_of(id)? } else { None };
    let created = base.is_some() || changes.iter().any(|c| c.op == changelog::Op::Create);
    let Some(fields) = changelog::fold(base, changes) else { return Ok(State::Gone) };
    if !created {
        // Changes to a record whose creation has not arrived yet (batches out of order).
        return Ok(State::Waiting { fields, awaits: id.to_string() });
    }
    for (target_kind, target) in targets(kind, &fields) {
        if r.exists(target_kind, target)? {
            continue;
        }
        return Ok(if is_lost(r, target)? {
            State::Orphan { fields, lost: (target_kind, target) }
        } else {
            State::Waiting { fields, awaits: target.to_string() }
        });
    }
    if kind == Kind::Attachment
        && let Some(sha) = fields.get("sha256").and_then(|v| v.as_str())
        && r.blob(sha)?.is_none()
    {
        return Ok(State::Waiting { awaits: sha.to_owned(), fields });
    }
    Ok(State::Live(fields))
}

/// The state of a record from the journal of `r`.
pub fn state_in(r: &Reader, kind: Kind, id: Uuid) -> Result<State> {
    let changes = changelog::of_record(r.connection(), id)?;
    state(r, kind, id, &changes)
}

/// The records `fields` (of a `kind`) links to: its kind's links, and an attachment's owner.
pub fn targets(kind: Kind, fields: &Fields) -> Vec<(Kind, Uuid)> {
    let mut out: Vec<(Kind, Uuid)> =
        kind.links().iter().filter_map(|l| Some((l.target, rows::link_id(fields, l.field)?))).collect();
    if kind == Kind::Attachment
        && let (Some(owner_kind), Some(owner)) = (
            fields.get("owner_kind").and_then(|v| serde_json::from_value::<Kind>(v.clone()).ok()),
            rows::link_id(fields, "owner_id"),
        )
    {
        out.push((owner_kind, owner));
    }
    out
}

/// Records whose rules read this one though neither links to the other: a meeting's
/// counted votes (its agenda items) and its attendance. When one of them settles,
/// the others are checked again, so that every site flags the same records whichever
/// change it received first.
pub fn rule_peers(r: &Reader, kind: Kind, fields: &Fields) -> Result<Vec<(Kind, Uuid)>> {
    if !matches!(kind, Kind::AgendaItem | Kind::Attendance) {
        return Ok(Vec::new());
    }
    let Some(meeting) = rows::link_id(fields, "meeting_id") else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for peer in [Kind::AgendaItem, Kind::Attendance] {
        let mut stmt =
            r.connection().prepare_cached(&format!("SELECT id FROM {} WHERE meeting_id = ?1", peer.table()))?;
        for id in stmt.query_map([meeting], |row| row.get::<_, Uuid>(0))? {
            out.push((peer, id?));
        }
    }
    Ok(out)
}

/// Whether a record not in its table is lost for good: deleted, or held here but
/// itself cut off (an orphan, or waiting on something deleted). Never revived, since
/// a delete wins over every change.
fn is_lost(r: &Reader, id: Uuid) -> Result<bool> {
    if changelog::is_tombstoned(r.connection(), id)? {
        return Ok(true);
    }
    // Held but not stored, and not waiting: an orphan.
    let held: bool =
        r.connection().prepare_cached("SELECT 1 FROM journal WHERE record_id = ?1 LIMIT 1")?.exists([id])?;
    Ok(held && !is_waiting(r, id)?)
}

/// Whether a record received is waiting for a record or a file to arrive.
pub fn is_waiting(r: &Reader, id: Uuid) -> Result<bool> {
    Ok(r.connection().prepare_cached("SELECT 1 FROM sync_waiting WHERE record_id = ?1")?.exists([id])?)
}
