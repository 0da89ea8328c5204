//! What sync means for one record, as every record's screen shows it beside its
//! history: who changed it last and from which office (this computer or another),
//! whether its copy here is read-only because the hub no longer shares it, and its
//! conflicts, those waiting and those a person resolved (`conflicts::settled_of`).

use crate::names::NameMap;
use crate::records::RecordRef;
use crate::{Error, Result, Session};
use raccordo_register::conflicts::{self, Conflict, Settled};
use raccordo_register::{Kind, Reader, Register, audit, sharing, title_of};
use serde::Serialize;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, TS)]
pub struct RecordSync {
    /// The register syncs with a hub.
    pub joined: bool,
    /// The last change of the record, and where it came from.
    pub last_change: Option<LastChange>,
    /// The hub no longer shares the record's agreement (or project) with this office:
    /// the copy here is read-only.
    pub unshared: bool,
    /// Conflicts of the record waiting for a person (on the Sincronizzazione screen).
    pub open: Vec<Conflict>,
    /// Conflicts of the record a person resolved, oldest first.
    pub settled: Vec<Settled>,
    /// Names of the offices that wrote each side, and of a restored copy (by id).
    pub names: NameMap,
    /// This installation's site: what it wrote is "questo computer".
    pub own_site: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct LastChange {
    pub actor: String,
    pub office: Option<String>,
    /// RFC 3339.
    pub at: String,
    /// Written on this computer.
    pub here: bool,
}

fn office_name(r: &Reader, office: Option<&str>) -> Option<String> {
    let id = Uuid::parse_str(office?).ok()?;
    title_of(r, Kind::Administration, id).ok().flatten()
}

/// The last change of record `id` in the journal, with the office that made it.
pub fn last_change(reg: &Register, id: Uuid) -> Result<Option<LastChange>> {
    let own = reg.settings().site_id.to_string();
    let r = reg.reader();
    Ok(audit::history(reg.connection(), id)?.pop().map(|e| LastChange {
        here: e.site == own,
        office: office_name(&r, e.office_id.as_deref()),
        actor: e.actor,
        at: e.at,
    }))
}

pub fn record_sync(s: &Session, args: RecordRef) -> Result<RecordSync> {
    // What needs the register's own state, under the session's lock; the rest, the
    // conflict history among it (a walk of the journal: 0.1 s on a 100k register), on a
    // connection of its own, so that the window's other commands do not wait for it.
    let (path, joined, last_change, own_site) = s.with(|reg| {
        Ok((reg.path().to_path_buf(), reg.peer()?.is_some(), last_change(reg, args.id)?, reg.settings().site_id))
    })?;
    let conn = raccordo_register::db::open_read_only(&path)?;
    let r = Reader::new(&conn);
    let Some(fields) = r.get_fields(args.kind, args.id)? else {
        return Err(Error::not_found(args.kind.label()));
    };
    let open = conflicts::of_record(&r, args.id)?;
    let settled = conflicts::settled_of(&r, args.id)?;
    let mut names = NameMap::new();
    let sides = open
        .iter()
        .flat_map(|c| [&c.detail["kept"], &c.detail["lost"]])
        .chain(settled.iter().flat_map(|s| s.sides.iter().chain([&s.resolution])));
    for side in sides {
        let office = side["office_id"].as_str();
        if let (Some(id), Some(name)) = (office.and_then(|o| Uuid::parse_str(o).ok()), office_name(&r, office)) {
            names.insert(id, name);
        }
    }
    // The records a key collision was with, and a restored copy, by their titles.
    let collided = settled.iter().flat_map(|s| s.sides.iter().chain([&s.resolution]));
    let others = collided.filter_map(|side| side["record_id"].as_str().and_then(|t| Uuid::parse_str(t).ok()));
    for other in others.chain(settled.iter().filter_map(|s| s.restored_as)) {
        if let Some(title) = title_of(&r, args.kind, other)? {
            names.insert(other, title);
        }
    }
    Ok(RecordSync {
        joined,
        last_change,
        unshared: sharing::in_unshared_group(&r, args.kind, args.id, &fields)?,
        open,
        settled,
        names,
        own_site: own_site.to_string(),
    })
}
