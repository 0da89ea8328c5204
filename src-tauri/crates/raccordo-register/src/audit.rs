//! The journal as history (Registro modifiche): who changed which fields of which
//! record, when, from which values to which. Append-only and hash-chained, so a row
//! changed or removed afterwards shows as the first broken link. The same rows are
//! the change log that sync reads (see `changelog`).

use crate::error::{Error, ErrorCode, Result};
use crate::hlc::Stamp;
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One journal row, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Entry {
    pub seq: i64,
    pub hlc: i64,
    pub site: String,
    pub kind: String,
    pub record_id: String,
    /// `create`, `update`, `delete`, or `snapshot` for the directory load.
    pub op: String,
    /// New values of the fields that changed (an object; empty for a delete).
    pub after: Value,
    /// Their old values (an object; empty for a create).
    pub before: Value,
    /// UTC, RFC 3339 with milliseconds.
    pub at: String,
    pub actor: String,
    pub office_id: Option<String>,
    /// SHA-256 over the previous entry's hash and this entry.
    pub hash: String,
}

/// The columns of a row that the chain covers, in order.
const COLUMNS: &str = "seq, hlc, site, kind, record_id, op, coalesce(after, ''), coalesce(before, ''), at, actor, \
     office_id, hash, coalesce(parents, '')";

/// The link: SHA-256 over the previous hash and every other column, each
/// length-prefixed so that no two different rows hash alike. `parents` (schema 6)
/// joins the hash only when a row has them, so the links of older rows still hold.
pub fn link_hash(prev: &str, seq: i64, parts: [&str; 10], parents: &str) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    let parents = (!parents.is_empty()).then_some(parents);
    for part in std::iter::once(prev).chain(std::iter::once(seq.as_str())).chain(parts).chain(parents) {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The chain's head: last seq and hash.
pub(crate) fn head(conn: &Connection) -> Result<(i64, String)> {
    let row: Option<(i64, String)> =
        crate::db::Reader::new(conn).query_row_opt("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", [])?;
    Ok(row.unwrap_or((0, GENESIS.to_owned())))
}

/// Who writes, as the journal records it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Actor {
    pub user: String,
    pub office_id: Option<Uuid>,
}

impl Actor {
    /// The settings that say who this is, as `Writer::record_settings` takes them.
    pub(crate) fn settings(&self) -> [(&'static str, Option<String>); 2] {
        [("user_name", Some(self.user.clone())), ("office_id", self.office_id.map(|o| o.to_string()))]
    }
}

/// One journal row to append: a local write (`Appender::append`) or a change
/// received from another site (`merge`), which keeps its origin's clock, site and
/// author.
pub(crate) struct Row<'r> {
    pub hlc: Stamp,
    pub site: Uuid,
    pub kind: &'r str,
    pub record_id: Uuid,
    pub op: &'r str,
    pub after: Option<&'r str>,
    pub before: Option<&'r str>,
    pub at: &'r str,
    pub actor: &'r str,
    pub office_id: Option<Uuid>,
    pub parents: Option<&'r str>,
}

/// Appends rows to the journal within one write transaction, carrying the chain.
pub(crate) struct Appender<'a> {
    pub site: Uuid,
    pub actor: &'a Actor,
    pub seq: i64,
    pub hash: String,
    pub at: String,
}

impl Appender<'_> {
    /// A row of this site's own: `after` and `before` are the JSON of the fields' new
    /// and old values, `parents` the versions they replace (`merge`).
    // One argument per column of the journal row it writes.
    #[allow(clippy::too_many_arguments)]
    pub fn append(
        &mut self,
        conn: &Connection,
        hlc: Stamp,
        kind: &str,
        record_id: Uuid,
        op: &str,
        after: Option<&str>,
        before: Option<&str>,
        parents: Option<&str>,
    ) -> Result<()> {
        let row = Row {
            hlc,
            site: self.site,
            kind,
            record_id,
            op,
            after,
            before,
            at: &self.at,
            actor: &self.actor.user,
            office_id: self.actor.office_id,
            parents,
        };
        let hash = insert(conn, self.seq + 1, &self.hash, &row)?;
        self.advance(hash);
        Ok(())
    }

    /// Appends `row`, received from another site, after the chain's head.
    pub fn append_row(&mut self, conn: &Connection, row: &Row) -> Result<()> {
        let hash = insert(conn, self.seq + 1, &self.hash, row)?;
        self.advance(hash);
        Ok(())
    }

    fn advance(&mut self, hash: String) {
        self.seq += 1;
        self.hash = hash;
    }
}

/// Inserts `row` as entry `seq`, linked to `prev`; returns its hash.
fn insert(conn: &Connection, seq: i64, prev: &str, row: &Row) -> Result<String> {
    let hlc_text = (row.hlc.0 as i64).to_string();
    let office = row.office_id.map(|o| o.to_string()).unwrap_or_default();
    // Ids are hashed in their text form, the one a person reads and re-checks.
    let hash = link_hash(
        prev,
        seq,
        [
            &hlc_text,
            &row.site.to_string(),
            row.kind,
            &row.record_id.to_string(),
            row.op,
            row.after.unwrap_or(""),
            row.before.unwrap_or(""),
            row.at,
            row.actor,
            &office,
        ],
        row.parents.unwrap_or(""),
    );
    // Rows without parents name no `parents` column: the migrations before schema 6
    // (the directory's load) write rows too.
    let sql = if row.parents.is_some() {
        "INSERT INTO journal (seq, hlc, site, kind, record_id, op, after, before, at, actor, office_id, hash, parents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    } else {
        "INSERT INTO journal (seq, hlc, site, kind, record_id, op, after, before, at, actor, office_id, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let params = rusqlite::params![
        seq,
        row.hlc.0 as i64,
        row.site,
        row.kind,
        row.record_id,
        row.op,
        row.after,
        row.before,
        row.at,
        row.actor,
        row.office_id,
        &hash,
        row.parents,
    ];
    stmt.execute(&params[..if row.parents.is_some() { 13 } else { 12 }])?;
    Ok(hash)
}

/// The outcome of a check of the whole chain.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verification {
    pub entries: u64,
    pub head: String,
    /// The first entry whose link does not hold, with why.
    pub first_broken: Option<(i64, String)>,
    /// Records compared with what the journal says they are (see `verify::register`).
    pub records: u64,
    /// Kept files whose SHA-256 was computed again.
    pub files: u64,
    /// The first place where the file disagrees with its journal, in Italian.
    pub first_difference: Option<String>,
}

impl Verification {
    pub fn into_result(self) -> Result<Verification> {
        match (&self.first_broken, &self.first_difference) {
            (None, None) => Ok(self),
            (Some((seq, why)), _) => Err(Error::new(
                ErrorCode::AuditBroken,
                format!("Registro modifiche alterato: la catena si interrompe alla voce n. {seq} ({why})."),
            )),
            (None, Some(what)) => Err(Error::new(
                ErrorCode::Inconsistent,
                format!("Il registro non corrisponde al suo registro modifiche: {what}"),
            )),
        }
    }
}

/// Walks the chain from the start and reports the first link that does not hold.
/// Only the chain: `verify::register` also checks that the tables are what it says.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM journal ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let hlc: i64 = r.get(1)?;
        let cols = text_columns(r)?;
        let broken = |why: &str| {
            Ok(Verification {
                entries: n,
                head: prev.clone(),
                first_broken: Some((seq, why.to_owned())),
                ..Verification::default()
            })
        };
        if seq != expected_seq {
            return broken(&format!("manca la voce n. {expected_seq}"));
        }
        let hlc = hlc.to_string();
        let parts = [&hlc, &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &cols[6], &cols[7], &cols[8]];
        let parents: String = r.get(12)?;
        let h = link_hash(&prev, seq, parts.map(String::as_str), &parents);
        if h != cols[9] {
            // Either this row was changed, or an earlier one was rewritten with a
            // fresh hash of its own, which this row's link no longer matches.
            return broken("contenuto modificato o non concatenato alla voce precedente");
        }
        prev = h;
        expected_seq += 1;
        n += 1;
    }
    Ok(Verification { entries: n, head: prev, ..Verification::default() })
}

/// The history of one record, oldest first.
pub fn history(conn: &Connection, record_id: Uuid) -> Result<Vec<Entry>> {
    entries(conn, &format!("SELECT {COLUMNS} FROM journal WHERE record_id = ?1 ORDER BY seq"), [record_id])
}

/// The latest entries of the whole register, newest first (dashboard).
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Entry>> {
    entries(conn, &format!("SELECT {COLUMNS} FROM journal ORDER BY seq DESC LIMIT ?1"), [limit as i64])
}

/// Columns 2 to 11 of a `COLUMNS` row in the text form the hash covers.
fn text_columns(r: &rusqlite::Row) -> Result<Vec<String>> {
    let text = |i: usize| r.get::<_, String>(i);
    let id = |i: usize| r.get::<_, Option<Uuid>>(i).map(|u| u.map(|u| u.to_string()).unwrap_or_default());
    Ok(vec![id(2)?, text(3)?, id(4)?, text(5)?, text(6)?, text(7)?, text(8)?, text(9)?, id(10)?, text(11)?])
}

fn entries(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    let object = |s: String| -> Result<Value> {
        if s.is_empty() { Ok(Value::Object(Default::default())) } else { Ok(serde_json::from_str(&s)?) }
    };
    while let Some(r) = rows.next()? {
        let mut c = text_columns(r)?.into_iter();
        let mut next = || c.next().unwrap_or_default();
        let (site, kind, record_id, op, after, before, at, actor, office, hash) =
            (next(), next(), next(), next(), next(), next(), next(), next(), next(), next());
        out.push(Entry {
            seq: r.get(0)?,
            hlc: r.get(1)?,
            site,
            kind,
            record_id,
            op,
            after: object(after)?,
            before: object(before)?,
            at,
            actor,
            office_id: (!office.is_empty()).then_some(office),
            hash,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_hash_separates_fields() {
        let a = link_hash(GENESIS, 1, ["1", "s", "k", "r", "create", "{}", "", "t", "ab", ""], "");
        let b = link_hash(GENESIS, 1, ["1", "s", "k", "r", "create", "{}", "", "t", "a", "b"], "");
        assert_ne!(a, b);
        let c = link_hash(GENESIS, 1, ["1", "s", "k", "r", "create", "{}", "", "t", "ab", ""], "{}");
        assert_ne!(a, c);
        assert_eq!(a.len(), 64);
    }
}
