//! The same work done by plain SQLite, beside each figure of the register bench: the
//! same rows, the same tables and indexes, the same file settings, but no checks, no
//! journal, no search upkeep and no `Register`. An absolute time does not travel: the
//! bench that stored 100k agreements in 9.7 s on one 2-core machine took 23–24 s on
//! another of the same kind. The ratio of two things measured in the same run, taking
//! turns, does; it is what the README quotes.

use raccordo_register::Kind;
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};
use std::path::Path;
use std::time::Duration;

/// One table of records: how to make it, and its rows.
struct Table {
    create: Vec<String>,
    insert: String,
    /// Rows the register had before the timed build: the ISTAT directory, loaded at open.
    before: Vec<Vec<Value>>,
    rows: Vec<Vec<Value>>,
}

/// Every record row of a register, read into memory with its tables' and indexes' SQL,
/// so that writing them back times the writes alone.
pub struct Rows {
    tables: Vec<Table>,
}

impl Rows {
    pub fn read(conn: &Connection) -> rusqlite::Result<Rows> {
        let mut tables = Vec::new();
        // The records' tables, and the kept files' that attachments refer to.
        for name in Kind::ALL.map(Kind::table).into_iter().chain(["blob"]) {
            let mut create: Vec<String> = conn
                .prepare("SELECT sql FROM sqlite_master WHERE tbl_name = ?1 AND type IN ('table', 'index') AND sql IS NOT NULL")?
                .query_map([name], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            // The table before its indexes.
            create.sort_by_key(|sql: &String| !sql.starts_with("CREATE TABLE"));
            let directory = if name == "administration" { "source = 'istat'" } else { "0" };
            let select = |filter: &str| -> rusqlite::Result<(usize, Vec<Vec<Value>>)> {
                let mut stmt = conn.prepare(&format!("SELECT * FROM {name} WHERE {filter}"))?;
                let columns = stmt.column_count();
                let rows = stmt
                    .query_map([], |r| (0..columns).map(|i| r.get::<_, Value>(i)).collect())?
                    .collect::<rusqlite::Result<Vec<Vec<Value>>>>()?;
                Ok((columns, rows))
            };
            let (columns, before) = select(directory)?;
            let (_, rows) = select(&format!("NOT ({directory})"))?;
            let marks = (1..=columns).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ");
            tables.push(Table { create, insert: format!("INSERT INTO {name} VALUES ({marks})"), before, rows });
        }
        Ok(Rows { tables })
    }

    /// The rows a build writes (the directory aside).
    pub fn count(&self) -> usize {
        self.tables.iter().map(|t| t.rows.len()).sum()
    }

    fn insert_all(
        conn: &mut Connection,
        tables: &[Table],
        rows: impl Fn(&Table) -> &[Vec<Value>],
    ) -> rusqlite::Result<()> {
        let tx = conn.transaction()?;
        tx.pragma_update(None, "defer_foreign_keys", true)?;
        for t in tables {
            let mut insert = tx.prepare_cached(&t.insert)?;
            for row in rows(t) {
                insert.execute(params_from_iter(row.iter()))?;
            }
        }
        tx.commit()
    }

    /// Writes every row into a new file at `path`, with the register's file settings
    /// (16 KiB pages, WAL, `synchronous=NORMAL`, foreign keys checked at commit): the
    /// directory first, untimed, as the register has it before its build; then the
    /// build's rows in one transaction, timed, and the close of the file.
    pub fn store(&self, path: &Path) -> rusqlite::Result<(Duration, Duration)> {
        let mut conn = open(path)?;
        conn.pragma_update(None, "page_size", 16_384)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "cache_size", -65_536)?;
        for t in &self.tables {
            for sql in &t.create {
                conn.execute_batch(sql)?;
            }
        }
        Self::insert_all(&mut conn, &self.tables, |t| &t.before)?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
        let (stored, result) = raccordo_bench::timed(|| Self::insert_all(&mut conn, &self.tables, |t| &t.rows));
        result?;
        let (closed, _) = raccordo_bench::timed(|| drop(conn));
        Ok((stored, closed))
    }
}

/// A plain connection with the settings every register connection has.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", -16_384)?;
    Ok(conn)
}

/// The first page of agreements by expiry, and their count: the register's query, as SQL.
pub fn first_page(conn: &Connection) -> rusqlite::Result<usize> {
    let total: i64 = conn.prepare_cached("SELECT count(*) FROM agreement a")?.query_row([], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(
            "SELECT a.id, a.number, a.kind, a.subject, a.status, a.signed_on, a.expires_on FROM agreement a
             ORDER BY a.expires_on IS NULL, a.expires_on, a.number LIMIT 50",
        )?
        .query_map([], |r| r.get::<_, Value>(0))?
        .count();
    Ok(rows + total as usize)
}

/// The agreements in force of one administration, first page and count.
pub fn filtered_page(conn: &Connection, administration_id: &[u8]) -> rusqlite::Result<usize> {
    const FROM: &str = "FROM party p CROSS JOIN agreement a ON a.id = p.agreement_id AND p.administration_id = ?1
                        WHERE a.status = 'vigente'";
    let total: i64 =
        conn.prepare_cached(&format!("SELECT count(*) {FROM}"))?.query_row([administration_id], |r| r.get(0))?;
    let rows = conn
        .prepare_cached(&format!(
            "SELECT a.id, a.number, a.kind, a.subject, a.status, a.signed_on, a.expires_on {FROM}
             ORDER BY a.expires_on IS NULL, a.expires_on, a.number LIMIT 50"
        ))?
        .query_map([administration_id], |r| r.get::<_, Value>(0))?
        .count();
    Ok(rows + total as usize)
}

/// The 20 best matches of an FTS5 query, straight on the index: no kinds, titles or
/// snippets, no count of the matches first.
pub fn fts_search(conn: &Connection, fts_query: &str) -> rusqlite::Result<usize> {
    Ok(conn
        .prepare_cached(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH ?1 ORDER BY bm25(search_fts, 8.0, 1.0) LIMIT 20",
        )?
        .query_map([fts_query], |r| r.get::<_, i64>(0))?
        .count())
}

/// One agreement's subject changed in its own transaction, and nothing else.
pub fn edit(conn: &mut Connection, id: &[u8], subject: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.prepare_cached("UPDATE agreement SET subject = ?1 WHERE id = ?2")?.execute((subject, id))?;
    tx.commit()
}
