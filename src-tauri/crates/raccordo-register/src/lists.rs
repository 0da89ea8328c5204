//! The lists the screens show, in the order a person reads them: the pages of the list
//! screens, the records of one agreement, meeting, table, person or project, the
//! dashboard's panels and the offices a picker offers. The window's crate asks for
//! them by name; their SQL is here, beside the tables it reads.

use crate::db::{Reader, TableRow};
use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::model::{Action, AgendaItem, Attachment, Commitment, Meeting, Milestone, OfficeHeld};
use crate::query::{MAX_PAGE, Page};
use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

/// More would not help a person; they refine the text instead.
pub const MAX_TEXT_MATCHES: usize = 500;

/// The kinds with a list screen, with their order and the column a text filters on
/// when the kind is not in the full-text index.
fn listing(kind: Kind) -> Result<(&'static str, &'static str)> {
    Ok(match kind {
        Kind::Administration => ("name COLLATE NOCASE", "name"),
        Kind::Person => ("family_name COLLATE NOCASE, given_name COLLATE NOCASE", "family_name || ' ' || given_name"),
        Kind::ThematicTable => ("theme COLLATE NOCASE", "theme"),
        Kind::Meeting => ("date DESC, number DESC", "place"),
        Kind::Project => ("title COLLATE NOCASE", "title"),
        _ => return Err(Error::bad_request(format!("Elenco non disponibile per «{}».", kind.label()))),
    })
}

/// One page of a list screen, as ids in the list's order: records of `kind` matching
/// `text` through full-text search (at most [`MAX_TEXT_MATCHES`]), or all of them.
/// Thematic tables are not in the search index: their text filters the theme.
pub fn page(r: &Reader, kind: Kind, text: Option<&str>, offset: u64, limit: u32) -> Result<Page<Uuid>> {
    if limit == 0 || limit > MAX_PAGE {
        return Err(Error::bad_request(format!("Righe per pagina: da 1 a {MAX_PAGE}.")));
    }
    if offset > i64::MAX as u64 {
        return Err(Error::bad_request("Posizione nell'elenco non valida."));
    }
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let (order, column) = listing(kind)?;
    let text = text.map(str::trim).filter(|t| !t.is_empty());
    if let Some(text) = text
        && kind != Kind::ThematicTable
    {
        let hits = crate::search::search(r, text, &[kind], MAX_TEXT_MATCHES)?;
        let total = hits.len() as u64;
        let rows = hits.into_iter().skip(skip).take(limit as usize).map(|h| h.id).collect();
        return Ok(Page { rows, total, offset });
    }
    let table = kind.table();
    let like = text.map(|t| format!("%{}%", t.replace(['%', '_'], "")));
    let filter = if like.is_some() { format!("WHERE {column} LIKE ?1") } else { String::new() };
    let params = || rusqlite::params_from_iter(like.iter());
    let total: u64 = r.query_one(&format!("SELECT count(*) FROM {table} {filter}"), params())?.unwrap_or(0);
    let sql = format!("SELECT id FROM {table} {filter} ORDER BY {order} LIMIT {limit} OFFSET {offset}");
    let mut stmt = r.connection().prepare_cached(&sql)?;
    let rows = stmt.query_map(params(), |row| row.get::<_, Uuid>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Page { rows, total, offset })
}

/// Records of `T` whose `field` holds `id`, in `order`.
fn ordered<T: TableRow>(r: &Reader, field: &str, id: Uuid, order: &str) -> Result<Vec<T>> {
    r.select(&format!("SELECT * FROM {} WHERE {field} = ?1 ORDER BY {order}", T::ROW_KIND.table()), [id])
}

const MEETING_ORDER: &str = "date, number";
/// Current offices first, then the most recent.
const OFFICE_ORDER: &str = "to_date IS NOT NULL, from_date DESC";

/// An agreement's meetings, oldest first.
pub fn meetings_of_agreement(r: &Reader, agreement_id: Uuid) -> Result<Vec<Meeting>> {
    ordered(r, "agreement_id", agreement_id, MEETING_ORDER)
}

/// A thematic table's meetings, oldest first.
pub fn meetings_of_table(r: &Reader, table_id: Uuid) -> Result<Vec<Meeting>> {
    ordered(r, "table_id", table_id, MEETING_ORDER)
}

/// The meetings of an agreement after `date`: where the minutes of a meeting on that
/// day may be approved.
pub fn meetings_after(r: &Reader, agreement_id: Uuid, date: NaiveDate) -> Result<Vec<Meeting>> {
    r.select(
        "SELECT * FROM meeting WHERE agreement_id = ?1 AND date > ?2 ORDER BY date, number",
        (agreement_id, date.to_string()),
    )
}

/// An agreement's actions, soonest due first, those without a date last.
pub fn actions_of_agreement(r: &Reader, agreement_id: Uuid) -> Result<Vec<Action>> {
    ordered(r, "agreement_id", agreement_id, "due_on IS NULL, due_on")
}

/// A meeting's agenda, in its order.
pub fn agenda(r: &Reader, meeting_id: Uuid) -> Result<Vec<AgendaItem>> {
    ordered(r, "meeting_id", meeting_id, "position")
}

/// The offices held in an administration.
pub fn offices_in(r: &Reader, administration_id: Uuid) -> Result<Vec<OfficeHeld>> {
    ordered(r, "administration_id", administration_id, OFFICE_ORDER)
}

/// The offices a person holds or held.
pub fn offices_of(r: &Reader, person_id: Uuid) -> Result<Vec<OfficeHeld>> {
    ordered(r, "person_id", person_id, OFFICE_ORDER)
}

/// A project's milestones, soonest planned first, those without a date last.
pub fn milestones(r: &Reader, project_id: Uuid) -> Result<Vec<Milestone>> {
    ordered(r, "project_id", project_id, "planned_on IS NULL, planned_on")
}

/// The files attached to one record, in the order they were added.
pub fn attachments_of(r: &Reader, owner_id: Uuid) -> Result<Vec<Attachment>> {
    ordered(r, "owner_id", owner_id, "id")
}

/// The next `limit` meetings from `from` on.
pub fn upcoming_meetings(r: &Reader, from: NaiveDate, limit: u32) -> Result<Vec<Meeting>> {
    r.select(
        &format!("SELECT * FROM meeting WHERE date >= ?1 ORDER BY date, starts_at LIMIT {limit}"),
        [from.to_string()],
    )
}

/// Work not started or under way whose due date is before `today`.
const OVERDUE: &str = "status IN ('da_avviare', 'in_corso') AND due_on IS NOT NULL AND due_on < ?1";

/// Actions or commitments that are overdue: the first `limit`, oldest due first, and
/// how many there are in all.
pub fn overdue<T: Overdue>(r: &Reader, today: NaiveDate, limit: u32) -> Result<(Vec<T>, u64)> {
    let table = T::ROW_KIND.table();
    let day = today.to_string();
    let rows = r.select(&format!("SELECT * FROM {table} WHERE {OVERDUE} ORDER BY due_on LIMIT {limit}"), [&day])?;
    let total = r.query_one(&format!("SELECT count(*) FROM {table} WHERE {OVERDUE}"), [&day])?.unwrap_or(0);
    Ok((rows, total))
}

/// The kinds of work that fall due: a status of `WorkStatus` and a `due_on`.
pub trait Overdue: TableRow {}
impl Overdue for Action {}
impl Overdue for Commitment {}

/// An office a picker offers: its title and administration, and who holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeChoice {
    pub id: Uuid,
    pub title: String,
    pub administration: String,
    pub holder: String,
}

/// Offices held whose title, administration or holder contains `text`, by holder.
pub fn office_choices(r: &Reader, text: Option<&str>, limit: u32) -> Result<Vec<OfficeChoice>> {
    let like = format!("%{}%", text.unwrap_or("").trim().replace(['%', '_'], ""));
    let mut stmt = r.connection().prepare_cached(
        "SELECT o.id, o.title, a.name, p.family_name || ' ' || p.given_name
         FROM office_held o JOIN administration a ON a.id = o.administration_id JOIN person p ON p.id = o.person_id
         WHERE o.title LIKE ?1 OR a.name LIKE ?1 OR p.family_name || ' ' || p.given_name LIKE ?1
         ORDER BY p.family_name, p.given_name, o.from_date DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map((like, limit), |row| {
        Ok(OfficeChoice { id: row.get(0)?, title: row.get(1)?, administration: row.get(2)?, holder: row.get(3)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}
