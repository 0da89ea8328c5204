//! Records to SQLite rows and back, through serde: the struct's fields are the table's
//! columns. One generic path for every kind keeps storage, diffing, the change log and
//! the audit trail identical for all records.

use crate::error::{Error, ErrorCode, Result};
use crate::kind::Kind;
use rusqlite::types::{Value as SqlValue, ValueRef};
use serde::{Serialize, de::DeserializeOwned};
use serde_json::{Map, Value};
use uuid::Uuid;

pub type Fields = Map<String, Value>;

/// A struct stored as one row of its kind's table. Every record of `model` is one (the
/// model implements this for each `Record`); this floor needs only the kind and serde.
pub trait TableRow: Serialize + DeserializeOwned {
    const ROW_KIND: Kind;
}

pub fn to_fields<T: Serialize>(rec: &T) -> Result<Fields> {
    match serde_json::to_value(rec)? {
        Value::Object(m) => Ok(m),
        _ => Err(Error::new(ErrorCode::Storage, "Record non rappresentabile come riga.")),
    }
}

pub fn from_fields<T: DeserializeOwned>(fields: Fields) -> Result<T> {
    Ok(serde_json::from_value(Value::Object(fields))?)
}

/// Whether a column holds a record id (stored as a 16-byte BLOB).
/// A UUID kept as text (sync's bookkeeping, the hub's tables), read from column `i`.
/// rusqlite's own `Uuid` reads only the 16-byte blobs the record tables use.
pub fn text_uuid(r: &rusqlite::Row, i: usize) -> rusqlite::Result<Uuid> {
    let s: String = r.get(i)?;
    Uuid::parse_str(&s).map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, e.into()))
}

pub fn is_id_column(column: &str) -> bool {
    column == "id" || column.ends_with("_id")
}

pub fn to_sql(column: &str, v: &Value) -> SqlValue {
    if let (true, Value::String(s)) = (is_id_column(column), v)
        && let Ok(id) = Uuid::parse_str(s)
    {
        return SqlValue::Blob(id.as_bytes().to_vec());
    }
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(*b as i64),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

pub fn from_sql(kind: Kind, column: &str, v: ValueRef) -> Result<Value> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => Value::from(f),
        ValueRef::Text(t) => {
            let s = std::str::from_utf8(t).map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
            if kind.json_fields().contains(&column) { serde_json::from_str(s)? } else { Value::String(s.to_owned()) }
        }
        ValueRef::Blob(b) if is_id_column(column) => match Uuid::from_slice(b) {
            Ok(id) => Value::String(id.to_string()),
            Err(_) => return Err(Error::new(ErrorCode::Storage, format!("Identificativo non valido in {column}"))),
        },
        ValueRef::Blob(_) => {
            return Err(Error::new(ErrorCode::Storage, format!("Colonna binaria inattesa: {column}")));
        }
    })
}

/// Reads the current row of a statement into fields.
pub fn row_fields(kind: Kind, row: &rusqlite::Row) -> Result<Fields> {
    let stmt = row.as_ref();
    let mut m = Map::new();
    for i in 0..stmt.column_count() {
        let name = stmt.column_name(i)?;
        m.insert(name.to_owned(), from_sql(kind, name, row.get_ref(i)?)?);
    }
    Ok(m)
}

/// The id held in a link field, when there is one.
pub fn link_id(fields: &Fields, field: &str) -> Option<Uuid> {
    fields.get(field).and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
}

/// Fields whose value differs, with (old, new).
pub fn diff(old: &Fields, new: &Fields) -> Vec<(String, Value, Value)> {
    new.iter()
        .filter_map(|(k, v)| {
            let before = old.get(k).cloned().unwrap_or(Value::Null);
            (before != *v).then(|| (k.clone(), before, v.clone()))
        })
        .collect()
}
