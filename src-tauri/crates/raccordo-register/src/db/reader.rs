//! Reading the register, inside or outside a write transaction.

use super::rows::{self, Fields, TableRow};
use crate::error::{Error, Result};
use crate::kind::Kind;
use rusqlite::{Connection, OptionalExtension, Params, types::FromSql};
use std::sync::OnceLock;
use uuid::Uuid;

/// A connection of its own that only reads the register file at `path`: for work that
/// must not hold a writer's connection (the daily copy, a record's conflict history,
/// checking a copy). Waits for a writer as a register's own connection does.
pub fn open_read_only(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// A read handle on the register's connection (or on a write transaction).
#[derive(Clone, Copy)]
pub struct Reader<'a> {
    pub(crate) conn: &'a Connection,
}

impl<'a> Reader<'a> {
    pub fn new(conn: &'a Connection) -> Reader<'a> {
        Reader { conn }
    }

    pub fn connection(&self) -> &'a Connection {
        self.conn
    }

    pub fn exists(&self, kind: Kind, id: Uuid) -> Result<bool> {
        // Built once per kind: this runs for every link of every write.
        static SQL: [OnceLock<String>; Kind::ALL.len()] = [const { OnceLock::new() }; Kind::ALL.len()];
        let sql = SQL[kind.index()].get_or_init(|| format!("SELECT 1 FROM {} WHERE id = ?1", kind.table()));
        Ok(self.conn.prepare_cached(sql)?.exists([id])?)
    }

    /// The bytes of an attached file, kept once by their SHA-256 (see `Writer::attach`).
    pub fn blob(&self, sha256: &str) -> Result<Option<Vec<u8>>> {
        self.query_one("SELECT bytes FROM blob WHERE sha256 = ?1", [sha256])
    }

    /// One value of the first row; `None` when there is no row or the value is NULL.
    pub fn query_one<T: FromSql>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        let v: Option<Option<T>> = self.conn.prepare_cached(sql)?.query_row(params, |r| r.get(0)).optional()?;
        Ok(v.flatten())
    }

    /// The first row as a tuple, when there is one.
    pub fn query_row_opt<T: FromRow>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        Ok(self.conn.prepare_cached(sql)?.query_row(params, |r| T::from_row(r)).optional()?)
    }

    pub fn get_fields(&self, kind: Kind, id: Uuid) -> Result<Option<Fields>> {
        let sql = format!("SELECT * FROM {} WHERE id = ?1", kind.table());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(row) => Ok(Some(rows::row_fields(kind, row)?)),
            None => Ok(None),
        }
    }

    pub fn get<T: TableRow>(&self, id: Uuid) -> Result<Option<T>> {
        match self.get_fields(T::ROW_KIND, id)? {
            Some(f) => Ok(Some(rows::from_fields(f)?)),
            None => Ok(None),
        }
    }

    /// Like [`get`](Self::get), but a missing record is an error naming its kind.
    pub fn require<T: TableRow>(&self, id: Uuid) -> Result<T> {
        self.get(id)?.ok_or_else(|| Error::not_found(T::ROW_KIND.label()))
    }

    /// Records of a kind whose `field` holds `value` (children of a parent), in id
    /// order, which is creation order for UUIDv7.
    pub fn children<T: TableRow>(&self, field: &str, value: Uuid) -> Result<Vec<T>> {
        let sql = format!("SELECT * FROM {} WHERE {field} = ?1 ORDER BY id", T::ROW_KIND.table());
        self.select(&sql, [value])
    }

    /// Records of a kind from any `SELECT *` on its table.
    pub fn select<T: TableRow>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let mut rows = stmt.query(params)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(rows::from_fields(rows::row_fields(T::ROW_KIND, row)?)?);
        }
        Ok(out)
    }

    /// Rows of any table of the register (records, `journal`, `blob`…).
    pub fn count_rows(&self, table: &str) -> Result<u64> {
        Ok(self.query_one(&format!("SELECT count(*) FROM \"{}\"", table.replace('"', "")), [])?.unwrap_or(0))
    }

    pub fn count(&self, kind: Kind) -> Result<u64> {
        Ok(self.query_one(&format!("SELECT count(*) FROM {}", kind.table()), [])?.unwrap_or(0))
    }
}

/// A row read into a tuple.
pub trait FromRow: Sized {
    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self>;
}

impl<A: FromSql, B: FromSql> FromRow for (A, B) {
    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok((r.get(0)?, r.get(1)?))
    }
}

impl<A: FromSql, B: FromSql, C: FromSql> FromRow for (A, B, C) {
    fn from_row(r: &rusqlite::Row) -> rusqlite::Result<Self> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    }
}
