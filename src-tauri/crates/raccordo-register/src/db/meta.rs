//! The `meta` table: the file's identity (format, site), the settings, the clock's
//! last stamp, the directory loaded. One key, one text value.

use super::reader::Reader;
use crate::error::{Error, ErrorCode, Result};
use rusqlite::Connection;
use uuid::Uuid;

/// What identifies a Raccordo register among SQLite files.
pub const FORMAT: &str = "raccordo-register";

pub fn get_meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Reader::new(conn).query_one("SELECT value FROM meta WHERE key = ?1", [key])
}

pub fn set_meta(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute((key, value))?;
    Ok(())
}

/// The file's identity, written in the same transaction as its first migration.
pub fn identify(tx: &Connection) -> Result<()> {
    if get_meta(tx, "site_id")?.is_none() {
        set_meta(tx, "format", FORMAT)?;
        set_meta(tx, "site_id", &crate::ids::new_id().to_string())?;
        set_meta(tx, "created_at", &chrono::Utc::now().to_rfc3339())?;
    }
    Ok(())
}

/// This installation, as sync will know it.
pub fn site_in(conn: &Connection) -> Result<Uuid> {
    get_meta(conn, "site_id")?
        .and_then(|s| Uuid::parse_str(&s).ok())
        .ok_or_else(|| Error::new(ErrorCode::NotARegister, "Registro senza identificativo dell'installazione."))
}
