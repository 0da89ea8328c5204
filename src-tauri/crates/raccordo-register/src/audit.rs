//! The history people read (Registro modifiche): append-only and hash-chained, so a
//! row changed or removed afterwards shows as the first broken link.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::Connection;
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry, as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub seq: i64,
    /// UTC, RFC 3339 with milliseconds.
    pub at: String,
    pub actor: String,
    pub office_id: Option<String>,
    pub site: String,
    pub kind: String,
    pub record_id: String,
    /// `create`, `update`, `delete`, or `directory` for the snapshot load.
    pub op: String,
    /// `{"before": {...}, "after": {...}}` with the fields that changed.
    pub changes: Value,
    pub prev_hash: String,
    pub hash: String,
}

/// The link: SHA-256 over the previous hash and every stored column, each
/// length-prefixed so that no two different rows hash alike.
pub fn link_hash(prev: &str, seq: i64, at: &str, actor: &str, office: &str, site: &str, kind: &str, record: &str, op: &str, changes: &str) -> String {
    let mut h = Sha256::new();
    for part in [prev, &seq.to_string(), at, actor, office, site, kind, record, op, changes] {
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
    let row: Option<(i64, String)> = crate::store::Reader::new(conn)
        .query_row_opt("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", [])?;
    Ok(row.unwrap_or((0, GENESIS.to_owned())))
}

/// Who writes, as the audit records it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Actor {
    pub user: String,
    pub office_id: Option<Uuid>,
}

pub(crate) struct Appender<'a> {
    pub site: &'a str,
    pub actor: &'a Actor,
    pub seq: i64,
    pub hash: String,
    pub at: String,
}

impl Appender<'_> {
    pub fn append(&mut self, conn: &Connection, kind: &str, record_id: &str, op: &str, changes: &Value) -> Result<()> {
        let seq = self.seq + 1;
        let changes = serde_json::to_string(changes)?;
        let office = self.actor.office_id.map(|o| o.to_string()).unwrap_or_default();
        let hash = link_hash(&self.hash, seq, &self.at, &self.actor.user, &office, self.site, kind, record_id, op, &changes);
        conn.prepare_cached(
            "INSERT INTO audit (seq, at, actor, office_id, site, kind, record_id, op, changes, prev_hash, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?
        .execute((
            seq,
            &self.at,
            &self.actor.user,
            self.actor.office_id.map(|o| o.to_string()),
            self.site,
            kind,
            record_id,
            op,
            &changes,
            &self.hash,
            &hash,
        ))?;
        self.seq = seq;
        self.hash = hash;
        Ok(())
    }
}

/// The outcome of a check of the whole chain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verification {
    pub entries: u64,
    pub head: String,
    /// The first entry whose link does not hold, with why.
    pub first_broken: Option<(i64, String)>,
}

impl Verification {
    pub fn into_result(self) -> Result<Verification> {
        match &self.first_broken {
            None => Ok(self),
            Some((seq, why)) => Err(Error::new(
                ErrorCode::AuditBroken,
                format!("Registro modifiche alterato: la catena si interrompe alla voce n. {seq} ({why})."),
            )),
        }
    }
}

/// Walks the chain from the start and reports the first link that does not hold.
pub fn verify(conn: &Connection) -> Result<Verification> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, actor, coalesce(office_id, ''), site, kind, record_id, op, changes, prev_hash, hash FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut prev = GENESIS.to_owned();
    let mut expected_seq = 1;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let seq: i64 = r.get(0)?;
        let cols: Vec<String> = (1..=10).map(|i| r.get::<_, String>(i)).collect::<rusqlite::Result<_>>()?;
        let broken = |why: &str| Ok(Verification { entries: n, head: prev.clone(), first_broken: Some((seq, why.to_owned())) });
        if seq != expected_seq {
            return broken(&format!("manca la voce n. {expected_seq}"));
        }
        if cols[8] != prev {
            return broken("non segue la voce precedente");
        }
        let h = link_hash(&prev, seq, &cols[0], &cols[1], &cols[2], &cols[3], &cols[4], &cols[5], &cols[6], &cols[7]);
        if h != cols[9] {
            return broken("contenuto modificato dopo la registrazione");
        }
        prev = h;
        expected_seq += 1;
        n += 1;
    }
    Ok(Verification { entries: n, head: prev, first_broken: None })
}

/// The history of one record, oldest first.
pub fn history(conn: &Connection, record_id: Uuid) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, office_id, site, kind, record_id, op, changes, prev_hash, hash
         FROM audit WHERE record_id = ?1 ORDER BY seq",
    )?;
    let mut rows = stmt.query([record_id.to_string()])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(entry(r)?);
    }
    Ok(out)
}

/// The latest entries of the whole register, newest first (dashboard).
pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Entry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT seq, at, actor, office_id, site, kind, record_id, op, changes, prev_hash, hash
         FROM audit ORDER BY seq DESC LIMIT ?1",
    )?;
    let mut rows = stmt.query([limit as i64])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(entry(r)?);
    }
    Ok(out)
}

fn entry(r: &rusqlite::Row) -> Result<Entry> {
    Ok(Entry {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        office_id: r.get(3)?,
        site: r.get(4)?,
        kind: r.get(5)?,
        record_id: r.get(6)?,
        op: r.get(7)?,
        changes: serde_json::from_str(&r.get::<_, String>(8)?)?,
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_hash_separates_fields() {
        let a = link_hash(GENESIS, 1, "t", "ab", "", "s", "k", "r", "create", "{}");
        let b = link_hash(GENESIS, 1, "t", "a", "b", "s", "k", "r", "create", "{}");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }
}
