//! Full-text search over agreements, minutes (agenda items and meetings), projects,
//! administrations and people. SQLite FTS5 with accents and case folded; ranked by
//! BM25 with the title weighing more than the body; a snippet of the match.

use crate::db::Reader;
use crate::error::Result;
use crate::model::{Kind, Record};
use rusqlite::{Connection, Transaction};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Hit {
    pub kind: Kind,
    pub id: Uuid,
    pub title: String,
    /// The matched passage, with the matching words between « and ».
    pub snippet: String,
    /// Order score, lower is better: BM25, or for a very broad query 0 for a title
    /// match and 1 for a body match.
    pub rank: f64,
}

/// Puts (or replaces) a record in the index.
pub(crate) fn index<T: Record>(conn: &Connection, rec: &T, new: bool) -> Result<()> {
    index_text(conn, T::KIND, rec.id(), rec.search_text(), new)
}

/// Puts (or replaces) a record's title and body (`Record::search_text`, `None`: not
/// searched) in the index. `new`: the record was just created, so there is no earlier
/// entry to look up.
pub(crate) fn index_text(
    conn: &Connection,
    kind: Kind,
    id: Uuid,
    text: Option<(String, String)>,
    new: bool,
) -> Result<()> {
    let Some((title, body)) = text else {
        return Ok(());
    };
    let rowid: Option<i64> = if new {
        None
    } else {
        Reader::new(conn).query_one("SELECT rowid FROM search_doc WHERE record_id = ?1", [id])?
    };
    let rowid = match rowid {
        Some(r) => {
            conn.prepare_cached("DELETE FROM search_fts WHERE rowid = ?1")?.execute([r])?;
            r
        }
        None => {
            conn.prepare_cached("INSERT INTO search_doc (kind, record_id) VALUES (?1, ?2)")?
                .execute((kind.table(), id))?;
            conn.last_insert_rowid()
        }
    };
    conn.prepare_cached("INSERT INTO search_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute((rowid, title, body))?;
    Ok(())
}

pub(crate) fn unindex(conn: &Connection, id: Uuid) -> Result<()> {
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
        dispatch_kind!(kind, T => {
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

/// Above this many matches a query is too broad for BM25 to tell the records apart
/// (and ranking them all would cost more than a person should wait): measured on the
/// 100k register, BM25 over 26,000 matches takes 20 ms, over 5,000 about 4 ms.
pub const BM25_MAX_MATCHES: usize = 5_000;

/// The best `limit` matches, optionally of some kinds only. Ranked by BM25 (the title
/// weighs 8 times the body); for a query matching more than [`BM25_MAX_MATCHES`]
/// records, records whose title matches come first, then the others, newest first.
pub fn search(r: &Reader, text: &str, kinds: &[Kind], limit: usize) -> Result<Vec<Hit>> {
    search_with_threshold(r, text, kinds, limit, BM25_MAX_MATCHES)
}

/// [`search`] with another threshold for BM25, so tests can reach the broad path.
#[doc(hidden)]
pub fn search_with_threshold(
    r: &Reader,
    text: &str,
    kinds: &[Kind],
    limit: usize,
    bm25_max: usize,
) -> Result<Vec<Hit>> {
    let Some(q) = fts_query(text) else { return Ok(Vec::new()) };
    let kind_filter = if kinds.is_empty() {
        String::new()
    } else {
        let names: Vec<String> = kinds.iter().map(|k| format!("'{}'", k.table())).collect();
        format!("AND d.kind IN ({})", names.join(","))
    };
    let matches: usize = r
        .query_one(
            &format!(
                "SELECT count(*) FROM (SELECT f.rowid FROM search_fts f JOIN search_doc d ON d.rowid = f.rowid
                 WHERE search_fts MATCH ?1 {kind_filter} LIMIT ?2)"
            ),
            (&q, bm25_max as i64 + 1),
        )?
        .unwrap_or(0);
    if matches <= bm25_max {
        let sql = format!(
            "SELECT d.kind, d.record_id, f.title, snippet(search_fts, -1, '«', '»', '…', 16), bm25(search_fts, 8.0, 1.0) AS score
             FROM search_fts f JOIN search_doc d ON d.rowid = f.rowid
             WHERE search_fts MATCH ?1 {kind_filter}
             ORDER BY score, f.rowid DESC LIMIT ?2"
        );
        return hits(r, &sql, (&q, limit as i64));
    }
    // Broad: newest title matches, then newest other matches. Both walk the index
    // backwards and stop at `limit`, whatever the number of matches.
    let title_q = title_only(text);
    let newest = |query: &str, n: usize| -> Result<Vec<i64>> {
        let sql = format!(
            "SELECT f.rowid FROM search_fts f JOIN search_doc d ON d.rowid = f.rowid
             WHERE search_fts MATCH ?1 {kind_filter} ORDER BY f.rowid DESC LIMIT ?2"
        );
        let mut stmt = r.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((query, n as i64), |row| row.get(0))?;
        Ok(rows.collect::<rusqlite::Result<Vec<i64>>>()?)
    };
    let mut picked: Vec<(i64, f64)> = newest(&title_q, limit)?.into_iter().map(|id| (id, 0.0)).collect();
    if picked.len() < limit {
        for id in newest(&q, limit + picked.len())? {
            if picked.len() < limit && !picked.iter().any(|(p, _)| *p == id) {
                picked.push((id, 1.0));
            }
        }
    }
    // One query for the snippets of the picked rows. The rowid range lets FTS5 walk
    // only that stretch of the index; the list (integers this function read itself,
    // written as literals) is applied after, `+` keeping it from becoming a per-row
    // lookup, which costs a full evaluation of the query each.
    let (Some(lo), Some(hi)) = (picked.iter().map(|p| p.0).min(), picked.iter().map(|p| p.0).max()) else {
        return Ok(Vec::new());
    };
    let list: Vec<String> = picked.iter().map(|(id, _)| id.to_string()).collect();
    let sql = format!(
        "SELECT d.kind, d.record_id, f.title, snippet(search_fts, -1, '«', '»', '…', 16), f.rowid
         FROM search_fts f CROSS JOIN search_doc d ON d.rowid = f.rowid
         WHERE search_fts MATCH ?1 AND f.rowid >= ?2 AND f.rowid <= ?3 AND +f.rowid IN ({})",
        list.join(",")
    );
    let mut stmt = r.conn.prepare(&sql)?;
    let mut rows = stmt.query((&q, lo, hi))?;
    let mut found = std::collections::HashMap::new();
    while let Some(row) = rows.next()? {
        if let Some(hit) = hit(row, 0.0)? {
            found.insert(row.get::<_, i64>(4)?, hit);
        }
    }
    Ok(picked.into_iter().filter_map(|(rowid, tier)| found.remove(&rowid).map(|h| Hit { rank: tier, ..h })).collect())
}

/// The same words as [`fts_query`], each required in the title.
fn title_only(text: &str) -> String {
    fts_query(text)
        .unwrap_or_default()
        .split(' ')
        .map(|term| format!("title : {term}"))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Rows of (kind, record id, title, snippet, score) as hits.
fn hits(r: &Reader, sql: &str, params: impl rusqlite::Params) -> Result<Vec<Hit>> {
    let mut stmt = r.conn.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let rank = row.get(4)?;
        out.extend(hit(row, rank)?);
    }
    Ok(out)
}

/// A hit from a row starting (kind, record id, title, snippet).
fn hit(row: &rusqlite::Row, rank: f64) -> Result<Option<Hit>> {
    let kind: String = row.get(0)?;
    Ok(Kind::from_table(&kind)
        .map(|kind| -> rusqlite::Result<Hit> {
            Ok(Hit { kind, id: row.get(1)?, title: row.get(2)?, snippet: row.get(3)?, rank })
        })
        .transpose()?)
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
        assert_eq!(super::title_only("banche dati"), "title : \"banche\" AND title : \"dati\"*");
    }
}
