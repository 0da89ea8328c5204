//! What the office looks at first each morning: agreements expiring within 90 days,
//! the next meetings, what is overdue, and the latest changes.

use crate::names::{LinkedNames, NameMap};
use crate::{Result, Session};
use chrono::NaiveDate;
use raccordo_register::audit::{self, Entry};
use raccordo_register::lists;
use raccordo_register::model::*;
use raccordo_register::query::{self, AgreementFilter, AgreementRow, AgreementSort};
use raccordo_register::{Reader, Register};
use serde::Serialize;
use ts_rs::TS;

/// The window of "expiring soon", as the issue and the offices count it.
pub const EXPIRING_DAYS: u32 = 90;
/// Rows per panel: the rest is one click away in the lists.
const PANEL_ROWS: u32 = 10;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Dashboard {
    pub today: NaiveDate,
    pub expiring: Vec<AgreementRow>,
    pub expiring_total: u64,
    pub next_meetings: Vec<Meeting>,
    pub overdue_actions: Vec<Action>,
    pub overdue_actions_total: u64,
    pub overdue_commitments: Vec<Commitment>,
    pub overdue_commitments_total: u64,
    pub recent: Vec<RecentChange>,
    pub names: NameMap,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RecentChange {
    pub entry: Entry,
    /// The record's title now; `None` once it is deleted.
    pub title: Option<String>,
    /// The kind, when it is one of the register's (not the directory snapshot).
    pub kind: Option<Kind>,
}

pub fn dashboard(s: &Session, _: ()) -> Result<Dashboard> {
    s.with(|reg| build(reg, crate::session::today()))
}

pub fn build(reg: &Register, today: NaiveDate) -> Result<Dashboard> {
    let r = reg.reader();
    let filter = AgreementFilter { expiring_within_days: Some(EXPIRING_DAYS), ..Default::default() };
    let expiring = query::agreements(&r, &filter, AgreementSort::Expiry, today, 0, PANEL_ROWS)?;
    let next_meetings = lists::upcoming_meetings(&r, today, PANEL_ROWS)?;
    let (overdue_actions, overdue_actions_total) = lists::overdue::<Action>(&r, today, PANEL_ROWS)?;
    let (overdue_commitments, overdue_commitments_total) = lists::overdue::<Commitment>(&r, today, PANEL_ROWS)?;
    let mut names = LinkedNames::default();
    names.links_of_all(&next_meetings).links_of_all(&overdue_actions).links_of_all(&overdue_commitments);
    Ok(Dashboard {
        today,
        expiring_total: expiring.total,
        expiring: expiring.rows,
        next_meetings,
        overdue_actions_total,
        overdue_actions,
        overdue_commitments_total,
        overdue_commitments,
        recent: recent_changes(&r, reg)?,
        names: names.resolve(&r)?,
    })
}

fn recent_changes(r: &Reader, reg: &Register) -> Result<Vec<RecentChange>> {
    audit::recent(reg.connection(), 12)?
        .into_iter()
        .map(|entry| {
            let kind = Kind::from_table(&entry.kind);
            let title = match (kind, uuid::Uuid::parse_str(&entry.record_id)) {
                (Some(k), Ok(id)) => raccordo_register::title_of(r, k, id)?,
                _ => None,
            };
            Ok(RecentChange { entry, title, kind })
        })
        .collect()
}
