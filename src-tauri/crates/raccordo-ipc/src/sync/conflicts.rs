//! The conflicts screen: every conflict with what a person needs to decide it (the
//! record's title, the offices and the people who wrote each value, which side is this
//! computer's), and the ways out: keep one value, type another, restore or let go what
//! a delete cut off, combine two administrations or people.

use super::uuid_arg;
use crate::names::NameMap;
use crate::{Error, Result, Session};
use raccordo_register::conflicts::{self, Collision, Conflict};
use raccordo_register::{Combined, Kind, Resolution, title_of};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeSet;
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ConflictList {
    pub conflicts: Vec<Conflict>,
    /// Changes received with a clock too far ahead of this PC's: held back until the
    /// clock reaches them, or a person applies them now.
    pub held: Vec<HeldChange>,
    /// Titles of the records the conflicts are about, and of the offices that wrote
    /// each side (by id).
    pub names: NameMap,
    /// This installation's site: the side it wrote is "questo computer".
    pub own_site: String,
}

/// A change from another office stamped too far in the future.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HeldChange {
    pub site: String,
    /// The change's clock, as `sync_accept_held` takes it back.
    pub hlc: String,
    pub kind: Kind,
    pub record_id: String,
    pub title: Option<String>,
    pub fields: Vec<String>,
    pub actor: String,
    pub office: Option<String>,
    /// When its clock says it was made (RFC 3339): ahead of this PC's clock.
    pub stamped_at: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct HeldArgs {
    pub site: String,
    pub hlc: String,
}

/// How a person resolves a conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResolveHow {
    /// Keep the value stored (the later writer's).
    KeepStored,
    /// Keep the value that lost.
    KeepLost,
    /// Neither: the value typed.
    Value,
    /// Accept that what a delete cut off is gone.
    LetGo,
    /// Keep what a delete cut off as new records.
    Restore,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ResolveArgs {
    pub id: String,
    pub how: ResolveHow,
    /// With `value`: the value, as typed.
    pub value: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CombineArgs {
    pub kind: Kind,
    pub kept: String,
    pub absorbed: String,
}

pub fn sync_conflicts(s: &Session, _: ()) -> Result<ConflictList> {
    s.with(|reg| {
        let conflicts = reg.conflicts()?;
        let r = reg.reader();
        let mut names = NameMap::new();
        let mut wanted: BTreeSet<(Kind, Uuid)> = BTreeSet::new();
        for c in &conflicts {
            wanted.insert((c.kind, c.record_id));
            for rec in c.detail["records"].as_array().into_iter().flatten().filter_map(Value::as_str) {
                if let Ok(id) = Uuid::parse_str(rec) {
                    wanted.insert((c.kind, id));
                }
            }
            for side in ["kept", "lost"] {
                if let Some(office) = c.detail[side]["office_id"].as_str().and_then(|o| Uuid::parse_str(o).ok()) {
                    wanted.insert((Kind::Administration, office));
                }
            }
        }
        for (kind, id) in wanted {
            if let Some(title) = title_of(&r, kind, id)? {
                names.insert(id, title);
            }
        }
        let mut held = Vec::new();
        for c in reg.held_back()? {
            let office = match c.office_id {
                Some(o) => title_of(&r, Kind::Administration, o)?,
                None => None,
            };
            let stamped = chrono::DateTime::from_timestamp_millis(c.hlc.physical_ms() as i64).unwrap_or_default();
            held.push(HeldChange {
                site: c.site.to_string(),
                hlc: c.hlc.0.to_string(),
                kind: c.kind,
                record_id: c.record_id.to_string(),
                title: title_of(&r, c.kind, c.record_id)?,
                fields: c.fields.map(|f| f.keys().cloned().collect()).unwrap_or_default(),
                actor: c.actor,
                office,
                stamped_at: stamped.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            });
        }
        Ok(ConflictList { conflicts, held, names, own_site: reg.settings().site_id.to_string() })
    })
}

/// The held change named by `args`: its site and its clock.
fn held_version(args: &HeldArgs) -> Result<(Uuid, raccordo_register::hlc::Stamp)> {
    let site = uuid_arg(&args.site, "Installazione")?;
    let hlc = args
        .hlc
        .trim()
        .parse::<u64>()
        .map_err(|_| Error::bad_request(format!("Orologio «{}» non valido.", args.hlc)))?;
    Ok((site, raccordo_register::hlc::Stamp(hlc)))
}

/// Applies now a change held back for its clock: this PC's clock moves up to it.
pub fn sync_accept_held(s: &Session, args: HeldArgs) -> Result<ConflictList> {
    let (site, hlc) = held_version(&args)?;
    s.with(|reg| reg.accept_held(site, hlc).map(drop))?;
    sync_conflicts(s, ())
}

/// Refuses a change held back for its clock: undone by a change of this office that
/// reaches every other office after it (`Register::reject_held`).
pub fn sync_reject_held(s: &Session, args: HeldArgs) -> Result<ConflictList> {
    let (site, hlc) = held_version(&args)?;
    s.with(|reg| reg.reject_held(site, hlc))?;
    sync_conflicts(s, ())
}

/// Resolves one conflict; the resolution is a change that syncs like any other.
pub fn sync_resolve(s: &Session, args: ResolveArgs) -> Result<ConflictList> {
    let id = uuid_arg(&args.id, "Conflitto")?;
    s.with(|reg| {
        let conflict = conflicts::get(&reg.reader(), id)?.ok_or_else(|| Error::not_found("Conflitto"))?;
        let field_only = |how: Resolution| match conflict.what {
            Collision::Field => Ok(how),
            _ => Err(Error::bad_request(
                "Questo conflitto non riguarda il valore di un campo: scegliere un'altra soluzione.",
            )),
        };
        let how = match args.how {
            ResolveHow::KeepStored => field_only(Resolution::KeepStored)?,
            ResolveHow::KeepLost => field_only(Resolution::KeepLost)?,
            ResolveHow::Value => {
                let typed = args.value.clone().unwrap_or_default();
                field_only(Resolution::Value(conflict.typed_value(typed)))?
            }
            ResolveHow::LetGo => Resolution::LetGo,
            ResolveHow::Restore => Resolution::Restore,
        };
        reg.resolve(id, how)
    })?;
    sync_conflicts(s, ())
}

/// Makes two administrations or two people one (the way out of a key conflict).
pub fn sync_combine(s: &Session, args: CombineArgs) -> Result<Combined> {
    let kept = uuid_arg(&args.kept, "Record da tenere")?;
    let absorbed = uuid_arg(&args.absorbed, "Record da assorbire")?;
    s.with(|reg| reg.combine(args.kind, kept, absorbed))
}
