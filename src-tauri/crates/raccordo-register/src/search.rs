//! Full-text search over agreements, minutes (agenda items and meetings), projects,
//! administrations and people. SQLite FTS5 with accents and case folded; ranked by
//! BM25 with the title weighing more than the body; a snippet of the match.

use crate::error::Result;
use crate::model::{Kind, Record};
use crate::store::Reader;
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    pub kind: Kind,
    pub id: Uuid,
    pub title: String,
    /// The matched passage, with the matching words between « and ».
    pub snippet: String,
    /// BM25 score: lower is better.
    pub rank: f64,
}

/// Puts (or replaces) a record in the index. `new`: the record was just created, so
/// there is no earlier entry to look up.
pub(crate) fn index<T: Record>(conn: &Connection, rec: &T, new: bool) -> Result<()> {
    let Some((title, body)) = rec.search_text() else {
        return Ok(());
    };
    let id = rec.id().to_string();
    let rowid: Option<i64> = if new {
        None
    } else {
        Reader::new(conn).query_one("SELECT rowid FROM search_doc WHERE record_id = ?1", [&id])?
    };
    let rowid = match rowid {
        Some(r) => {
            conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([r])?;
            r
        }
        None => {
            conn.prepare_cached("INSERT INTO search_doc (kind, record_id) VALUES (?1, ?2)")?
                .execute((T::KIND.table(), &id))?;
            conn.last_insert_rowid()
        }
    };
    conn.prepare_cached("INSERT INTO search_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute((rowid, title, body))?;
    Ok(())
}

pub(crate) fn unindex(conn: &Connection, id: &str) -> Result<()> {
    let rowid: Option<i64> = Reader::new(conn).query_one("SELECT rowid FROM search_doc WHERE record_id = ?1", [id])?;
    if let Some(r) = rowid {
        conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([r])?;
        conn.prepare_cached("DELETE FROM search_doc WHERE rowid = ?1")?.execute([r])?;
    }
    Ok(())
}

/// Rebuilds the whole index from the records (after the migration that adds it).
pub fn rebuild(tx: &Transaction) -> Result<()> {
    tx.execute_batch("DELETE FROM search_fts; DELETE FROM search_doc;")?;
    for kind in Kind::ALL {
        crate::dispatch_kind!(kind, T => {
            let all: Vec<T> = Reader::new(tx).select(&format!("SELECT * FROM {}", kind.table()), [])?;
            for rec in &all {
                index(tx, rec, true)?;
            }
        });
    }
    Ok(())
}

/// Turns what a person typed into an FTS5 query: every word must match, the last one
/// also as a prefix (search as you type). Quotes and operators are taken literally, so
/// no input is a syntax error.
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| format!("\"{}\"", w.replace('"', "")))
        .collect();
    if words.is_empty() {
        return None;
    }
    let last = words.len() - 1;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The best `limit` matches, optionally of some kinds only.
pub fn search(r: &Reader, text: &str, kinds: &[Kind], limit: usize) -> Result<Vec<Hit>> {
    let Some(q) = fts_query(text) else {
        return Ok(Vec::new());
    };
    let kind_filter = if kinds.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.table())).collect();
        format!("AND rowid IN (SELECT rowid FROM search_doc WHERE kind IN ({}))", names.join(","))
    };
    // The best rows are picked first and only they get a snippet: evaluated on every
    // match, snippet() costs more than the whole ranking.
    let sql = format!(
        "SELECT d.kind, d.record_id, f.title, snippet(search_fts, -1, '«', '»', '…', 16), f.rank
         FROM search_fts f JOIN search_doc d ON d.rowid = f.rowid
         WHERE search_fts MATCH ?1 AND f.rowid IN (
             SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 {kind_filter} ORDER BY rank LIMIT ?2)
         ORDER BY f.rank"
    );
    let mut stmt = r.conn.prepare_cached(&sql)?;
    let rows = stmt.query_map((q, limit as i64), |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (kind, id, title, snippet, rank): (String, String, String, String, f64) = row?;
        let (Some(kind), Ok(id)) = (Kind::from_table(&kind), Uuid::parse_str(&id)) else {
            continue;
        };
        out.push(Hit { kind, id, title, snippet, rank });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::fts_query;

    #[test]
    fn typed_text_becomes_a_safe_query() {
        assert_eq!(fts_query("città digitale").as_deref(), Some("\"città\" \"digitale\"*"));
        assert_eq!(fts_query("\"AND (OR").as_deref(), Some("\"AND\" \"OR\"*"));
        assert_eq!(fts_query("  -- ** "), None);
        assert_eq!(fts_query("l'amministrazione").as_deref(), Some("\"l\" \"amministrazione\"*"));
    }
}
