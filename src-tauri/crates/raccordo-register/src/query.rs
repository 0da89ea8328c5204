//! The lists people page through: agreements with their filters, and the titles of
//! any kind for the command line.

use crate::db::Reader;
use crate::error::{Error, Result};
use crate::model::{AgreementKind, AgreementStatus, Kind};
use chrono::{Days, NaiveDate};
use rusqlite::types::Value as SqlValue;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgreementFilter {
    pub status: Option<AgreementStatus>,
    pub kind: Option<AgreementKind>,
    /// Only agreements this administration is a party to.
    pub administration_id: Option<Uuid>,
    /// Only agreements expiring between today and today + N days.
    pub expiring_within_days: Option<u32>,
    /// Full-text words, as typed.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AgreementSort {
    /// Soonest expiry first, open-ended last.
    #[default]
    Expiry,
    Number,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgreementRow {
    pub id: Uuid,
    pub number: String,
    pub kind: AgreementKind,
    pub subject: String,
    pub status: AgreementStatus,
    pub signed_on: Option<NaiveDate>,
    pub expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Page<T> {
    pub rows: Vec<T>,
    /// How many rows match the filter, over all pages.
    pub total: u64,
    pub offset: u64,
}

pub const MAX_PAGE: u32 = 500;

/// A page of agreements matching `filter`, `today` being the day "expiring" counts from.
pub fn agreements(
    r: &Reader,
    filter: &AgreementFilter,
    sort: AgreementSort,
    today: NaiveDate,
    offset: u64,
    limit: u32,
) -> Result<Page<AgreementRow>> {
    if limit == 0 || limit > MAX_PAGE {
        return Err(Error::bad_request(format!("Righe per pagina: da 1 a {MAX_PAGE}.")));
    }
    let mut conds: Vec<String> = Vec::new();
    let mut params: Vec<SqlValue> = Vec::new();
    let mut param = |v: SqlValue| {
        params.push(v);
        format!("?{}", params.len())
    };
    if let Some(s) = filter.status {
        conds.push(format!("a.status = {}", param(SqlValue::Text(crate::model::enum_str(&s)))));
    }
    if let Some(k) = filter.kind {
        conds.push(format!("a.kind = {}", param(SqlValue::Text(crate::model::enum_str(&k)))));
    }
    // With a party filter the few agreements of that administration are read first
    // (CROSS JOIN keeps that order), then filtered and sorted: the status index would
    // otherwise walk every agreement of that status.
    let from = match filter.administration_id {
        Some(a) => format!(
            "party p CROSS JOIN agreement a ON a.id = p.agreement_id AND p.administration_id = {}",
            param(SqlValue::Blob(a.as_bytes().to_vec()))
        ),
        None => "agreement a".to_owned(),
    };
    if let Some(days) = filter.expiring_within_days {
        let until = today.checked_add_days(Days::new(days.into())).unwrap_or(NaiveDate::MAX);
        let from = param(SqlValue::Text(today.to_string()));
        let to = param(SqlValue::Text(until.to_string()));
        conds.push(format!("a.expires_on IS NOT NULL AND a.expires_on BETWEEN {from} AND {to}"));
    }
    if let Some(q) = filter.text.as_deref().and_then(crate::search::fts_query) {
        conds.push(format!(
            "a.id IN (SELECT d.record_id FROM search_fts f JOIN search_doc d ON d.rowid = f.rowid
                    WHERE search_fts MATCH {} AND d.kind = 'agreement')",
            param(SqlValue::Text(q))
        ));
    }
    let filter_sql = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
    let order = match sort {
        AgreementSort::Expiry => "a.expires_on IS NULL, a.expires_on, a.number",
        AgreementSort::Number => "a.number",
    };
    let total: u64 = r
        .query_one(&format!("SELECT count(*) FROM {from} {filter_sql}"), rusqlite::params_from_iter(params.iter()))?
        .unwrap_or(0);
    let sql = format!(
        "SELECT a.id, a.number, a.kind, a.subject, a.status, a.signed_on, a.expires_on FROM {from} {filter_sql}
         ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    let mut stmt = r.connection().prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        out.push(AgreementRow {
            id: row.get(0)?,
            number: row.get(1)?,
            kind: from_text(&row.get::<_, String>(2)?)?,
            subject: row.get(3)?,
            status: from_text(&row.get::<_, String>(4)?)?,
            signed_on: row.get(5)?,
            expires_on: row.get(6)?,
        });
    }
    Ok(Page { rows: out, total, offset })
}

/// Every record of a kind as (id, title), in the order a person expects.
pub fn titles(r: &Reader, kind: Kind) -> Result<Vec<(Uuid, String)>> {
    let order = match kind {
        Kind::Agreement => "number",
        Kind::Meeting => "date, number",
        Kind::Project => "title COLLATE NOCASE",
        Kind::Administration => "name COLLATE NOCASE",
        Kind::Person => "family_name COLLATE NOCASE, given_name COLLATE NOCASE",
        _ => "id",
    };
    let sql = format!("SELECT * FROM {} ORDER BY {order}", kind.table());
    dispatch_kind!(kind, T => {
        let all: Vec<T> = r.select(&sql, [])?;
        Ok(all.into_iter().map(|rec| (rec.id(), rec.title())).collect())
    })
}

fn from_text<T: serde::de::DeserializeOwned>(s: &str) -> Result<T> {
    Ok(serde_json::from_value(serde_json::Value::String(s.to_owned()))?)
}
