//! Floor 4: the conflicts merging leaves for a person, derived from the journal and
//! the records, never decided by arrival order. Every site that holds the same
//! changes derives the same conflicts with the same ids, so a conflict is shared data
//! without being a record of its own: it is listed once everywhere, and it goes away
//! everywhere when the change that resolves it arrives.
//!
//! - **Field**: two versions of a field neither of which replaced the other (each
//!   journal row names the versions it replaced: `changelog::Parents`), with different
//!   values. The later one (clock, then site) is stored; the other is the conflict.
//!   Resolving it writes the field again naming both as replaced.
//! - **Changed after a delete**: a change of a record that its deleter had not seen.
//!   The delete wins; resolving is restoring the record as a new one, or letting go
//!   (a delete that names the change as seen).
//! - **Under a deleted record**: a record whose parent, or a record it names, another
//!   office deleted meanwhile. Not stored; resolved the same way.
//! - **Key**: live records of one kind that share a key the register keeps unique
//!   (`Kind::unique_keys`). Both are stored; renumbering one, or merging the two,
//!   ends it.
//! - **Rule**: a merged record that breaks a rule each office checked alone (votes
//!   that count more voters than were present). Stored, flagged until corrected.
//!
//! `sync_conflict` keeps them for listing; [`refresh`] rebuilds one record's.

use crate::changelog::{ALL_FIELDS, Change, Op, Version};
use crate::db::{Fields, Reader, rows};
use crate::error::{FieldCode, Result, Violations};
use crate::kind::Kind;
use crate::merged::State;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

/// What collided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Collision {
    Field,
    ChangedAfterDelete,
    UnderDeleted,
    Key,
    Rule,
}

impl Collision {
    fn as_str(self) -> &'static str {
        match self {
            Collision::Field => "field",
            Collision::ChangedAfterDelete => "changed_after_delete",
            Collision::UnderDeleted => "under_deleted",
            Collision::Key => "key",
            Collision::Rule => "rule",
        }
    }

    fn from_str(s: &str) -> Option<Collision> {
        [Collision::Field, Collision::ChangedAfterDelete, Collision::UnderDeleted, Collision::Key, Collision::Rule]
            .into_iter()
            .find(|c| c.as_str() == s)
    }
}

/// One conflict waiting for a person.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Conflict {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub id: Uuid,
    pub what: Collision,
    pub kind: Kind,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub record_id: Uuid,
    pub field: Option<String>,
    /// What each side holds: for a field, `kept` and `lost` (value, site, clock,
    /// author, office, time); for a key, the `records` sharing it and the `value`;
    /// for a rule, the `messages`; for a delete, the `lost` changes or record.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub detail: Value,
}

impl Conflict {
    /// A value a person typed to resolve a field conflict, typed as the value it
    /// replaces: text stays text ("2024" as a subject), a number or a list is read as
    /// JSON when it parses as such.
    pub fn typed_value(&self, typed: String) -> Value {
        match &self.detail["kept"]["value"] {
            Value::String(_) | Value::Null => Value::String(typed),
            _ => serde_json::from_str(&typed).unwrap_or(Value::String(typed)),
        }
    }

    /// Which side of a field conflict `site` wrote: `Some(true)` the value kept,
    /// `Some(false)` the one that lost, `None` neither.
    pub fn kept_is_from(&self, site: Uuid) -> Option<bool> {
        let site = site.to_string();
        let from = |side: &str| self.detail[side]["site"].as_str() == Some(site.as_str());
        if from("kept") {
            Some(true)
        } else if from("lost") {
            Some(false)
        } else {
            None
        }
    }

    /// What collided, in one line of Italian (`raccordo-cli sync conflicts`).
    pub fn summary(&self) -> String {
        let what = self.kind.label();
        let id = self.record_id;
        let field = self.field.as_deref().unwrap_or("");
        let d = &self.detail;
        let shown = |v: &Value| match v {
            Value::String(s) => format!("«{s}»"),
            Value::Null => "(vuoto)".to_owned(),
            other => other.to_string(),
        };
        let who = |side: &Value| side["actor"].as_str().filter(|a| !a.is_empty()).unwrap_or("?").to_owned();
        match self.what {
            Collision::Field => format!(
                "{what} {id}: campo {field}: tenuto {} ({}), perso {} ({})",
                shown(&d["kept"]["value"]),
                who(&d["kept"]),
                shown(&d["lost"]["value"]),
                who(&d["lost"])
            ),
            Collision::ChangedAfterDelete => {
                format!("{what} {id}: modificato da {} mentre un altro ufficio lo eliminava", who(&d["lost"]))
            }
            Collision::UnderDeleted => format!(
                "{what} {id}: aggiunto o modificato sotto un record eliminato da un altro ufficio ({} {})",
                d["lost_kind"].as_str().unwrap_or("?"),
                d["lost_id"].as_str().unwrap_or("?")
            ),
            Collision::Key => format!(
                "{what}: {} record con lo stesso valore di {field} ({}): {}",
                d["records"].as_array().map(Vec::len).unwrap_or(0),
                shown(&d["value"]),
                d["records"].as_array().into_iter().flatten().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")
            ),
            Collision::Rule => format!(
                "{what} {id}: {}",
                d["messages"].as_array().into_iter().flatten().filter_map(Value::as_str).collect::<Vec<_>>().join("; ")
            ),
        }
    }
}

/// Every conflict waiting, oldest record first.
pub fn list(r: &Reader) -> Result<Vec<Conflict>> {
    select(r, "1", &[])
}

/// The conflicts waiting on record `id`: its own, and the key conflicts it is one of.
pub fn of_record(r: &Reader, id: Uuid) -> Result<Vec<Conflict>> {
    select(r, "record_id = ?1 OR (what = 'key' AND instr(detail, ?2) > 0)", &[&id, &id.to_string()])
}

fn select(r: &Reader, condition: &str, params: &[&dyn rusqlite::ToSql]) -> Result<Vec<Conflict>> {
    let mut stmt = r.connection().prepare_cached(&format!(
        "SELECT id, what, kind, record_id, field, detail FROM sync_conflict WHERE {condition} ORDER BY record_id, id"
    ))?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let what: String = row.get(1)?;
        let kind: String = row.get(2)?;
        let (Some(what), Some(kind)) = (Collision::from_str(&what), Kind::from_table(&kind)) else { continue };
        out.push(Conflict {
            id: row.get(0)?,
            what,
            kind,
            record_id: row.get(3)?,
            field: row.get(4)?,
            detail: serde_json::from_str(&row.get::<_, String>(5)?)?,
        });
    }
    Ok(out)
}

pub fn get(r: &Reader, id: Uuid) -> Result<Option<Conflict>> {
    Ok(select(r, "id = ?1", &[&id])?.pop())
}

pub fn count(r: &Reader) -> Result<u64> {
    r.count_rows("sync_conflict")
}

/// Rebuilds the conflicts of one record from all its `changes` and its merged `state`.
pub fn refresh(r: &Reader, kind: Kind, id: Uuid, changes: &[Change], state: &State) -> Result<()> {
    let conn = r.connection();
    conn.prepare_cached("DELETE FROM sync_conflict WHERE record_id = ?1 AND what != 'key'")?.execute([id])?;
    let mut found = Vec::new();
    let deleted = changes.iter().any(|c| c.op == Op::Delete);
    if deleted {
        found.extend(changed_after_delete(kind, id, changes));
    } else {
        found.extend(field_conflicts(kind, id, changes));
    }
    match state {
        State::Orphan { fields, lost } => found.push(Conflict {
            id: conflict_id(id, "under_deleted", None),
            what: Collision::UnderDeleted,
            kind,
            record_id: id,
            field: None,
            detail: json!({ "fields": fields, "lost_kind": lost.0, "lost_id": lost.1 }),
        }),
        State::Live(fields) => found.extend(rule_conflict(r, kind, id, fields)?),
        State::Gone | State::Waiting { .. } => {}
    }
    for c in found {
        store(r, &c)?;
    }
    refresh_keys(r, kind, id, state)
}

fn store(r: &Reader, c: &Conflict) -> Result<()> {
    r.connection()
        .prepare_cached(
            "INSERT OR REPLACE INTO sync_conflict (id, what, kind, record_id, field, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?
        .execute((c.id, c.what.as_str(), c.kind.table(), c.record_id, &c.field, c.detail.to_string()))?;
    Ok(())
}

/// A conflict's id, the same on every site: from the record, what collided and the
/// version that lost (or the key's records).
fn conflict_id(record: Uuid, what: &str, version: Option<Version>) -> Uuid {
    let key = match version {
        Some((stamp, site)) => format!("conflict:{record}:{what}:{}:{site}", stamp.0),
        None => format!("conflict:{record}:{what}"),
    };
    crate::ids::derived_id(version.map(|v| v.0.physical_ms()).unwrap_or(0), &key)
}

/// One side of a field conflict, as `detail` shows it.
fn side(c: &Change, value: &Value) -> Value {
    json!({
        "value": value,
        "site": c.site,
        "hlc": c.hlc,
        "actor": c.actor,
        "office_id": c.office_id,
        "at": c.at,
    })
}

/// Per field: the versions no other version replaced (the heads); the latest is the
/// value stored, each other head with a different value is a conflict.
fn field_conflicts(kind: Kind, id: Uuid, changes: &[Change]) -> Vec<Conflict> {
    let mut versions: BTreeMap<&str, Vec<(&Change, &Value)>> = BTreeMap::new();
    let mut replaced: BTreeMap<&str, BTreeSet<Version>> = BTreeMap::new();
    for c in changes.iter().filter(|c| c.op != Op::Delete) {
        for (field, value) in c.fields.iter().flatten() {
            versions.entry(field).or_default().push((c, value));
        }
        for (field, parents) in c.parents.iter().flatten() {
            replaced.entry(field).or_default().extend(parents.iter().copied());
        }
    }
    let mut out = Vec::new();
    for (field, mut vs) in versions {
        if vs.len() < 2 {
            continue;
        }
        vs.sort_by_key(|(c, _)| c.version());
        let Some(&(winner, kept)) = vs.last() else { continue };
        let gone = replaced.get(field);
        for &(c, value) in &vs[..vs.len() - 1] {
            let is_head = gone.is_none_or(|g| !g.contains(&c.version()));
            if is_head && value != kept {
                out.push(Conflict {
                    id: conflict_id(id, field, Some(c.version())),
                    what: Collision::Field,
                    kind,
                    record_id: id,
                    field: Some(field.to_owned()),
                    detail: json!({ "kept": side(winner, kept), "lost": side(c, value) }),
                });
            }
        }
    }
    out
}

/// The changes of a deleted record that no delete of it had seen.
fn changed_after_delete(kind: Kind, id: Uuid, changes: &[Change]) -> Vec<Conflict> {
    let seen: BTreeSet<Version> = changes
        .iter()
        .filter(|c| c.op == Op::Delete)
        .flat_map(|c| c.parents.iter().flat_map(|p| p.get(ALL_FIELDS).into_iter().flatten().copied()))
        .collect();
    changes
        .iter()
        .filter(|c| c.op != Op::Delete && !seen.contains(&c.version()))
        .map(|c| Conflict {
            id: conflict_id(id, ALL_FIELDS, Some(c.version())),
            what: Collision::ChangedAfterDelete,
            kind,
            record_id: id,
            field: None,
            detail: json!({ "lost": side(c, &Value::Object(c.fields.clone().unwrap_or_default())) }),
        })
        .collect()
}

/// The rules of a merged record, as each office checked them alone; a collision on a
/// unique key is a key conflict, not a rule one.
fn rule_conflict(r: &Reader, kind: Kind, id: Uuid, fields: &Fields) -> Result<Option<Conflict>> {
    let mut v = Violations::default();
    dispatch_kind!(kind, T => {
        let rec: T = rows::from_fields(fields.clone())?;
        rec.check(&mut v);
        rec.check_in(r, &mut v)?;
    });
    let messages: Vec<&str> =
        v.0.iter().filter(|f| f.code != FieldCode::Duplicate).map(|f| f.message.as_str()).collect();
    Ok((!messages.is_empty()).then(|| Conflict {
        id: conflict_id(id, "rule", None),
        what: Collision::Rule,
        kind,
        record_id: id,
        field: None,
        detail: json!({ "messages": messages }),
    }))
}

/// The key conflicts `id` takes part in, and those of the records it shared a key
/// with before: each group of records sharing a key is one conflict.
fn refresh_keys(r: &Reader, kind: Kind, id: Uuid, state: &State) -> Result<()> {
    if kind.unique_keys().is_empty() {
        return Ok(());
    }
    let conn = r.connection();
    // The group's records are ids of this kind; its key's values are ids of others
    // (a party's agreement), so the kind keeps one from matching the other. `instr`,
    // not `LIKE ?`: SQLite prepares a statement again at each run when a LIKE pattern
    // is a parameter, which was a third of the time of applying a pulled batch.
    let pattern = id.to_string();
    let mut others = BTreeSet::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT detail FROM sync_conflict WHERE what = 'key' AND kind = ?1 AND instr(detail, ?2) > 0",
        )?;
        let details = stmt.query_map((kind.table(), &pattern), |row| row.get::<_, String>(0))?;
        for d in details {
            let d: Value = serde_json::from_str(&d?)?;
            for rec in d["records"].as_array().into_iter().flatten() {
                others.extend(rec.as_str().and_then(|s| s.parse::<Uuid>().ok()));
            }
        }
    }
    conn.prepare_cached("DELETE FROM sync_conflict WHERE what = 'key' AND kind = ?1 AND instr(detail, ?2) > 0")?
        .execute((kind.table(), &pattern))?;
    others.remove(&id);
    if let State::Live(_) = state {
        key_groups(r, kind, id)?;
    }
    for other in others {
        key_groups(r, kind, other)?;
    }
    Ok(())
}

/// Stores a key conflict for each key `id` shares with other live records.
fn key_groups(r: &Reader, kind: Kind, id: Uuid) -> Result<()> {
    let Some(fields) = r.get_fields(kind, id)? else { return Ok(()) };
    for key in kind.unique_keys() {
        let values: Vec<&Value> = key.iter().map(|f| fields.get(*f).unwrap_or(&Value::Null)).collect();
        if values.iter().any(|v| v.is_null()) {
            continue;
        }
        let cond: Vec<String> = key.iter().enumerate().map(|(i, f)| format!("{f} = ?{}", i + 1)).collect();
        let sql = format!("SELECT id FROM {} WHERE {} ORDER BY id", kind.table(), cond.join(" AND "));
        let params: Vec<rusqlite::types::Value> = key.iter().zip(&values).map(|(f, v)| rows::to_sql(f, v)).collect();
        let mut stmt = r.connection().prepare_cached(&sql)?;
        let ids: Vec<Uuid> =
            stmt.query_map(rusqlite::params_from_iter(params), |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
        if ids.len() < 2 {
            continue;
        }
        let names = key.join("+");
        let group: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let id = crate::ids::derived_id(0, &format!("conflict:key:{}:{names}:{}", kind.table(), group.join(",")));
        // A smaller group of the same key that this one now contains.
        for member in &group {
            r.connection()
                .prepare_cached(
                    "DELETE FROM sync_conflict WHERE what = 'key' AND kind = ?1 AND field = ?2 AND id != ?3 AND instr(detail, ?4) > 0",
                )?
                .execute((kind.table(), &names, id, member))?;
        }
        let c = Conflict {
            id,
            what: Collision::Key,
            kind,
            record_id: ids[0],
            field: Some(names),
            detail: json!({ "records": group, "value": values }),
        };
        store(r, &c)?;
    }
    Ok(())
}

/// The heads of one field of a record: every version of it that no other replaced,
/// which a resolution names as replaced.
pub fn heads(changes: &[Change], field: &str) -> Vec<Version> {
    let replaced: BTreeSet<Version> = changes
        .iter()
        .flat_map(|c| c.parents.iter().flat_map(|p| p.get(field).into_iter().flatten().copied()))
        .collect();
    changes
        .iter()
        .filter(|c| c.op != Op::Delete && c.fields.as_ref().is_some_and(|f| f.contains_key(field)))
        .map(Change::version)
        .filter(|v| !replaced.contains(v))
        .collect()
}

/// What an edit of `field` replaces: every head of it holding the value the person
/// saw (`shown`). Two offices that wrote the same value concurrently are no conflict,
/// and an edit over it replaces both; a head with another value is a conflict still
/// waiting, which an ordinary edit leaves as it is.
pub fn replaced_by_edit(changes: &[Change], field: &str, shown: &Value) -> Vec<Version> {
    let heads = heads(changes, field);
    changes
        .iter()
        .filter(|c| heads.contains(&c.version()))
        .filter(|c| c.fields.as_ref().and_then(|f| f.get(field)).unwrap_or(&Value::Null) == shown)
        .map(Change::version)
        .collect()
}

/// Every version of a record, which a delete that lets go of its changes names.
pub fn all_versions(changes: &[Change]) -> Vec<Version> {
    changes.iter().filter(|c| c.op != Op::Delete).map(Change::version).collect()
}

/// How a person resolved a conflict, as the journal shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// One of the values that collided.
    Kept,
    /// Another value, typed by the person.
    Typed,
    /// The changes made while another office deleted the record were let go.
    LetGo,
    /// The record was restored as a new one (`restored_as`).
    Restored,
    /// Two records on one key: one of them got another value (renumbered).
    Changed,
    /// Two records on one key: one of them was deleted, or combined into the other.
    Removed,
}

/// A conflict of a record that a person resolved: read back from the record's
/// journal, so every office that holds the same changes tells the same story.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Settled {
    pub what: Collision,
    pub field: Option<String>,
    /// What collided: for a field, each value with who wrote it, from which site and
    /// office, and when (as a conflict's `kept` and `lost`); for a delete, the changes
    /// made while another office deleted the record.
    #[cfg_attr(feature = "ts", ts(type = "unknown[]"))]
    pub sides: Vec<Value>,
    /// The change that resolved it: its value (none for a delete), who, where, when.
    #[cfg_attr(feature = "ts", ts(type = "unknown"))]
    pub resolution: Value,
    pub outcome: Outcome,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub restored_as: Option<Uuid>,
}

/// The conflicts of a record that were resolved, oldest first, from all its `changes`.
/// A field conflict was resolved by a write that replaced two or more versions of the
/// field holding different values (an ordinary edit replaces only versions holding the
/// value the person saw). Changes made under a delete were resolved by a later delete
/// naming versions no earlier delete had seen: let go, or restored when the record has
/// a copy (`restored_as`, from `sync_restored`).
pub fn settled(changes: &[Change], restored_as: Option<Uuid>) -> Vec<Settled> {
    let by_version: BTreeMap<Version, &Change> = changes.iter().map(|c| (c.version(), c)).collect();
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| c.version());
    let mut out = Vec::new();
    let mut seen_by_deletes: Option<BTreeSet<Version>> = None;
    for c in sorted {
        if c.op == Op::Delete {
            let named: BTreeSet<Version> =
                c.parents.iter().flat_map(|p| p.get(ALL_FIELDS).into_iter().flatten().copied()).collect();
            if let Some(seen) = &mut seen_by_deletes {
                let let_go: Vec<Value> = named
                    .difference(seen)
                    .filter_map(|v| by_version.get(v))
                    .filter(|lost| lost.op != Op::Delete)
                    .map(|lost| side(lost, &Value::Object(lost.fields.clone().unwrap_or_default())))
                    .collect();
                if !let_go.is_empty() {
                    out.push(Settled {
                        what: Collision::ChangedAfterDelete,
                        field: None,
                        sides: let_go,
                        resolution: side(c, &Value::Null),
                        outcome: Outcome::LetGo,
                        restored_as: None,
                    });
                }
                seen.extend(named);
            } else {
                seen_by_deletes = Some(named);
            }
            continue;
        }
        for (field, replaced) in c.parents.iter().flatten() {
            if replaced.len() < 2 {
                continue;
            }
            let sides: Vec<(&Change, &Value)> = replaced
                .iter()
                .filter_map(|v| by_version.get(v))
                .filter_map(|p| Some((*p, p.fields.as_ref()?.get(field)?)))
                .collect();
            let values: BTreeSet<String> = sides.iter().map(|(_, v)| v.to_string()).collect();
            if values.len() < 2 {
                continue;
            }
            let value = c.fields.as_ref().and_then(|f| f.get(field)).unwrap_or(&Value::Null);
            let outcome = if sides.iter().any(|(_, v)| *v == value) { Outcome::Kept } else { Outcome::Typed };
            out.push(Settled {
                what: Collision::Field,
                field: Some(field.clone()),
                sides: sides.iter().map(|(p, v)| side(p, v)).collect(),
                resolution: side(c, value),
                outcome,
                restored_as: None,
            });
        }
    }
    // A restore deletes the original naming what it held: the last delete resolution,
    // or, for a record cut off by the delete of its parent, its only delete.
    if let Some(copy) = restored_as {
        match out.iter_mut().rev().find(|s| s.what == Collision::ChangedAfterDelete) {
            Some(last) => {
                last.outcome = Outcome::Restored;
                last.restored_as = Some(copy);
            }
            None => {
                out.extend(changes.iter().filter(|c| c.op == Op::Delete).max_by_key(|c| c.version()).map(|d| Settled {
                    what: Collision::UnderDeleted,
                    field: None,
                    sides: Vec::new(),
                    resolution: side(d, &Value::Null),
                    outcome: Outcome::Restored,
                    restored_as: Some(copy),
                }))
            }
        }
    }
    out
}

/// The resolved conflicts of record `id`, oldest first ([`settled`], [`settled_keys`]).
pub fn settled_of(r: &Reader, id: Uuid) -> Result<Vec<Settled>> {
    let changes = crate::changelog::of_record(r.connection(), id)?;
    let restored: Option<String> =
        r.query_one("SELECT new_id FROM sync_restored WHERE old_id = ?1", [id.to_string()])?;
    let mut out = settled(&changes, restored.and_then(|t| Uuid::parse_str(&t).ok()));
    if let Some(kind) = changes.first().map(|c| c.kind) {
        out.extend(settled_keys(r, kind, id, &changes)?);
    }
    Ok(out)
}

/// The spans of a record's history over which it held each value of `key`: the change
/// that gave it the value, and the one that ended it (a change of the key, a delete).
fn key_spans<'c>(changes: &'c [Change], key: &[&str]) -> Vec<(Vec<Value>, &'c Change, Option<&'c Change>)> {
    let mut sorted: Vec<&Change> = changes.iter().collect();
    sorted.sort_by_key(|c| c.version());
    let mut fields = crate::db::Fields::new();
    let mut spans: Vec<(Vec<Value>, &Change, Option<&Change>)> = Vec::new();
    for c in sorted {
        let open = spans.last_mut().filter(|s| s.2.is_none());
        if c.op == Op::Delete {
            if let Some(span) = open {
                span.2 = Some(c);
            }
            continue;
        }
        if !key.iter().any(|f| c.fields.as_ref().is_some_and(|x| x.contains_key(*f))) {
            continue;
        }
        fields.extend(c.fields.clone().unwrap_or_default());
        let value: Vec<Value> = key.iter().map(|f| fields.get(*f).cloned().unwrap_or(Value::Null)).collect();
        if let Some(span) = open {
            if span.0 == value {
                continue;
            }
            span.2 = Some(c);
        }
        if value.iter().all(|v| !v.is_null()) {
            spans.push((value, c, None));
        }
    }
    spans
}

/// Key collisions of record `id` that ended, read from the journal as field conflicts
/// are: another record of its kind held the same value of a unique key over an
/// overlapping span of the history (both were stored, as merging keeps them), and the
/// collision ended with the first change that moved one of the two off that value
/// (`Outcome::Changed`: renumbered) or deleted one (`Outcome::Removed`: deleted, or
/// combined into the other).
pub fn settled_keys(r: &Reader, kind: Kind, id: Uuid, changes: &[Change]) -> Result<Vec<Settled>> {
    let mut out = Vec::new();
    for key in kind.unique_keys() {
        for (value, set, ended) in key_spans(changes, key) {
            // The key's first field as the journal writes it (`"number":"2026/7"`):
            // "2026/7" alone would also find every "2026/70…".
            let written = format!("\"{}\":{}", key[0], value[0]);
            let mut stmt = r.connection().prepare_cached(
                "SELECT DISTINCT record_id FROM journal WHERE kind = ?1 AND record_id != ?2 AND instr(after, ?3) > 0",
            )?;
            let others: Vec<Uuid> =
                stmt.query_map((kind.table(), id, &written), |row| row.get(0))?.collect::<rusqlite::Result<_>>()?;
            for other in others {
                let theirs = crate::changelog::of_record(r.connection(), other)?;
                for (v2, set2, ended2) in key_spans(&theirs, key) {
                    let start = set.version().max(set2.version());
                    let end = match (ended, ended2) {
                        (Some(a), Some(b)) => Some(if a.version() < b.version() { a } else { b }),
                        // Still both on it: a conflict waiting, listed as such.
                        (None, None) => None,
                        (Some(a), None) => Some(a),
                        (None, Some(b)) => Some(b),
                    };
                    let Some(end) = end.filter(|e| v2 == value && start < e.version()) else { continue };
                    let with_record = |c: &Change| {
                        let mut s = side(c, &Value::Array(value.clone()));
                        s["record_id"] = json!(c.record_id);
                        s
                    };
                    let moved_to: Value = match end.op {
                        Op::Delete => Value::Null,
                        _ => Value::Array(
                            key.iter()
                                .map(|f| end.fields.as_ref().and_then(|x| x.get(*f)).cloned().unwrap_or(Value::Null))
                                .collect(),
                        ),
                    };
                    let mut resolution = side(end, &moved_to);
                    resolution["record_id"] = json!(end.record_id);
                    out.push(Settled {
                        what: Collision::Key,
                        field: Some(key.join("+")),
                        sides: vec![with_record(set), with_record(set2)],
                        resolution,
                        outcome: if end.op == Op::Delete { Outcome::Removed } else { Outcome::Changed },
                        restored_as: None,
                    });
                }
            }
        }
    }
    Ok(out)
}
