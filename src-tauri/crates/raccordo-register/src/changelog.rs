//! The journal as the change log that sync exchanges. Every write of a record is one
//! journal row: the fields that changed with their new values, stamped with the
//! hybrid logical clock and the site; a delete is a tombstone. Merge (in the sync
//! work) is per field: a field's clock is the stamp of the last row that set it.
//! On create, empty fields are not listed: a field not named is empty.

use crate::db::Fields;
use crate::error::Result;
use crate::hlc::Stamp;
use crate::model::Kind;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
}

impl Op {
    /// The journal's `op`.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Delete => "delete",
        }
    }

    fn from_journal(op: &str) -> Option<Op> {
        [Op::Create, Op::Update, Op::Delete].into_iter().find(|o| o.as_str() == op)
    }
}

/// One version of a field, or of a whole record: the clock and site of the journal
/// row that wrote it. Unique across sites, since each site's clock only grows.
pub type Version = (Stamp, Uuid);

/// What a row replaced: per field it sets, the version(s) of that field its site held
/// (none: the field was empty, or the record new); for a delete, under [`ALL_FIELDS`],
/// every version of the record its site held. Conflicts are derived from these
/// (`conflicts`): two versions of a field neither of which replaced the other.
pub type Parents = BTreeMap<String, Vec<Version>>;

/// The key of a delete's [`Parents`]: not a column of any table.
pub const ALL_FIELDS: &str = "*";

/// One journal row of a record as it travels between sites (sync batches and bundle
/// files): the origin's clock, site and author travel with it and are kept as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Position in the sending register's journal; what a cursor counts. Not kept by
    /// the receiver, whose journal has its own.
    pub seq: i64,
    pub hlc: Stamp,
    pub site: Uuid,
    pub kind: Kind,
    pub record_id: Uuid,
    pub op: Op,
    /// New values of the fields set; `None` for a delete.
    pub fields: Option<Fields>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parents: Option<Parents>,
    /// When, in UTC (RFC 3339), who, and for which office, as the origin recorded it.
    pub at: String,
    pub actor: String,
    pub office_id: Option<Uuid>,
}

impl Change {
    pub fn version(&self) -> Version {
        (self.hlc, self.site)
    }
}

/// What makes a received change unusable as a journal row, in Italian: checked by
/// every receiver (a register, the hub) before it keeps anything of a batch.
pub fn check_shape(c: &Change) -> std::result::Result<(), String> {
    let what = || format!("{} {}", c.kind.label(), c.record_id);
    match (c.op, &c.fields) {
        (Op::Delete, Some(_)) => return Err(format!("{}: un'eliminazione con dei campi", what())),
        (Op::Create | Op::Update, None) => return Err(format!("{}: una modifica senza campi", what())),
        _ => {}
    }
    if let Some(fields) = &c.fields
        && fields.contains_key("id")
    {
        return Err(format!("{}: l'identificativo non si modifica", what()));
    }
    for key in c.parents.iter().flat_map(|p| p.keys()) {
        let known = match &c.fields {
            Some(f) => f.contains_key(key),
            None => key == ALL_FIELDS,
        };
        if !known {
            return Err(format!("{}: versioni precedenti di un campo non modificato ({key})", what()));
        }
    }
    Ok(())
}

/// Remembers a deleted id, so that it is never reused and sync never revives it.
pub(crate) fn tombstone(conn: &Connection, hlc: Stamp, site: Uuid, kind: Kind, id: Uuid) -> Result<()> {
    conn.prepare_cached("INSERT OR REPLACE INTO tombstone (record_id, kind, hlc, site) VALUES (?1, ?2, ?3, ?4)")?
        .execute((id, kind.table(), hlc.0 as i64, site))?;
    Ok(())
}

pub fn is_tombstoned(conn: &Connection, id: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM tombstone WHERE record_id = ?1")?.exists([id])?)
}

/// The columns [`change_at`] reads, in its order.
pub(crate) const CHANGE_COLUMNS: &str = "seq, hlc, site, kind, record_id, op, after, parents, at, actor, office_id";

/// Changes after `after_seq`, oldest first, at most `limit`: what a sync push sends.
pub fn since(conn: &Connection, after_seq: i64, limit: usize) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CHANGE_COLUMNS} FROM journal
         WHERE seq > ?1 AND op IN ('create', 'update', 'delete') ORDER BY seq LIMIT ?2"
    ))?;
    let mut rows = stmt.query((after_seq, limit as i64))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(change_at(r)?);
    }
    Ok(out)
}

/// Every change of one record, in the order this journal holds them.
pub fn of_record(conn: &Connection, record_id: Uuid) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CHANGE_COLUMNS} FROM journal
         WHERE record_id = ?1 AND op IN ('create', 'update', 'delete') ORDER BY seq"
    ))?;
    let mut rows = stmt.query([record_id])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(change_at(r)?);
    }
    Ok(out)
}

/// Whether this journal holds the change `version` (any record): a change received
/// twice is applied once.
pub fn holds(conn: &Connection, version: Version) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM journal WHERE site = ?1 AND hlc = ?2")?
        .exists((version.1, version.0.0 as i64))?)
}

/// A row of [`CHANGE_COLUMNS`].
pub(crate) fn change_at(r: &rusqlite::Row) -> Result<Change> {
    let kind: String = r.get(3)?;
    let op: String = r.get(5)?;
    let fields: Option<String> = r.get(6)?;
    let parents: Option<String> = r.get(7)?;
    Ok(Change {
        seq: r.get(0)?,
        hlc: Stamp(r.get::<_, i64>(1)? as u64),
        site: r.get(2)?,
        kind: Kind::from_table(&kind).ok_or_else(|| bad(&kind))?,
        record_id: r.get(4)?,
        op: Op::from_journal(&op).ok_or_else(|| bad(&op))?,
        fields: fields.map(|f| serde_json::from_str(&f)).transpose()?,
        parents: parents.map(|p| serde_json::from_str(&p)).transpose()?,
        at: r.get(8)?,
        actor: r.get(9)?,
        office_id: r.get(10)?,
    })
}

/// A record's state as a set of its changes says, whatever order they came in: its
/// starting state (`base`, the directory's, or none), then the fields each change
/// sets, in clock order (ties by site), so that the last writer of each field wins.
/// A delete wins over everything: an id once deleted never comes back.
pub fn fold<'c>(base: Option<Fields>, changes: impl IntoIterator<Item = &'c Change>) -> Option<Fields> {
    let mut puts: Vec<&Change> = Vec::new();
    for c in changes {
        if c.op == Op::Delete {
            return None;
        }
        puts.push(c);
    }
    if base.is_none() && puts.is_empty() {
        return None;
    }
    puts.sort_by_key(|c| c.version());
    let mut state = base.map(without_nulls).unwrap_or_default();
    for c in puts {
        apply(&mut state, c.record_id, c.fields.clone().unwrap_or_default());
    }
    Some(state)
}

fn parse_uuid(s: &str) -> Result<Uuid> {
    Uuid::parse_str(s).map_err(|_| bad(s))
}

fn bad(what: &str) -> crate::error::Error {
    crate::error::Error::new(
        crate::error::ErrorCode::Storage,
        format!("Registro delle modifiche non leggibile: {what}"),
    )
}

/// The state the change log describes: every live record's fields, starting from
/// `base` (the pre-loaded directory, which every site derives alike and never logs).
/// Rows are applied in clock order, so the result is the same on every site that
/// holds the same rows, whatever order they arrived in.
pub fn replay(conn: &Connection, base: BTreeMap<(Kind, Uuid), Fields>) -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut state: BTreeMap<_, Fields> = base.into_iter().map(|(k, f)| (k, without_nulls(f))).collect();
    let mut all = Vec::new();
    let mut after = 0;
    loop {
        let batch = since(conn, after, 10_000)?;
        let Some(last) = batch.last() else { break };
        after = last.seq;
        all.extend(batch);
    }
    let mut by_record: BTreeMap<(Kind, Uuid), Vec<Change>> = BTreeMap::new();
    for c in all {
        by_record.entry((c.kind, c.record_id)).or_default().push(c);
    }
    for (key, changes) in by_record {
        match fold(state.remove(&key), &changes) {
            Some(fields) => state.insert(key, fields),
            None => None,
        };
    }
    Ok(state)
}

/// Sets a record's fields as one create or update row logged them (a null clears).
pub fn apply(record: &mut Fields, id: Uuid, logged: Fields) {
    // The id is the row's key, not one of its logged fields.
    record.insert("id".into(), Value::String(id.to_string()));
    for (k, v) in logged {
        if v.is_null() {
            record.remove(&k);
        } else {
            record.insert(k, v);
        }
    }
}

/// The clock of every field of one record: the stamp and site of the last journal
/// row that set it. Sync compares an incoming change with these, field by field
/// (last writer wins; a concurrent different value is kept as a conflict).
pub fn field_clocks(conn: &Connection, record_id: Uuid) -> Result<BTreeMap<String, Version>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, site, after FROM journal WHERE record_id = ?1 AND op IN ('create', 'update') ORDER BY seq",
    )?;
    let mut rows = stmt.query([record_id])?;
    let mut clocks = BTreeMap::new();
    while let Some(r) = rows.next()? {
        let stamp = Stamp(r.get::<_, i64>(0)? as u64);
        let site: Uuid = r.get(1)?;
        let after: Fields = serde_json::from_str(&r.get::<_, String>(2)?)?;
        for (field, _) in after {
            let entry = clocks.entry(field).or_insert((stamp, site));
            if (stamp, site) > *entry {
                *entry = (stamp, site);
            }
        }
    }
    Ok(clocks)
}

/// Every version of a record this journal holds (its creates and updates).
pub fn versions(conn: &Connection, record_id: Uuid) -> Result<Vec<Version>> {
    let mut stmt = conn.prepare_cached(
        "SELECT hlc, site FROM journal WHERE record_id = ?1 AND op IN ('create', 'update') ORDER BY seq",
    )?;
    let rows = stmt.query_map([record_id], |r| Ok((Stamp(r.get::<_, i64>(0)? as u64), r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The [`Parents`] of a delete of `record_id`, as JSON: every version held.
pub(crate) fn delete_parents(conn: &Connection, record_id: Uuid) -> Result<String> {
    let mut parents = Parents::new();
    parents.insert(ALL_FIELDS.to_owned(), versions(conn, record_id)?);
    Ok(serde_json::to_string(&parents)?)
}

/// A record's fields without the empty ones, the shape the journal logs a create in.
pub fn without_nulls(mut f: Fields) -> Fields {
    f.retain(|_, v| !v.is_null());
    f
}

/// The journal's JSON of a created or deleted record: every field but the id, the
/// empty ones left out. The same text as serialising `without_nulls` minus `id`,
/// without copying the fields.
pub(crate) fn logged_json(f: &Fields) -> Result<String> {
    struct Logged<'a>(&'a Fields);
    impl Serialize for Logged<'_> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut m = s.serialize_map(None)?;
            for (k, v) in self.0.iter().filter(|(k, v)| k.as_str() != "id" && !v.is_null()) {
                m.serialize_entry(k, v)?;
            }
            m.end()
        }
    }
    Ok(serde_json::to_string(&Logged(f))?)
}

/// Every record as stored now, in the same shape as [`replay`] (empty fields left out).
pub fn snapshot(conn: &Connection) -> Result<BTreeMap<(Kind, Uuid), Fields>> {
    let mut out = BTreeMap::new();
    for kind in Kind::ALL {
        let mut stmt = conn.prepare(&format!("SELECT * FROM {}", kind.table()))?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let f = crate::db::rows::row_fields(kind, row)?;
            let id = f.get("id").and_then(Value::as_str).map(parse_uuid).transpose()?.ok_or_else(|| bad("id"))?;
            out.insert((kind, id), without_nulls(f));
        }
    }
    Ok(out)
}
