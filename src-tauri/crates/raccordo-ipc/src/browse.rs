//! Lists of administrations, people, tables, meetings and projects, paged, with an
//! optional text that goes through full-text search (accents and case ignored); the
//! pickers of the forms; the global search, with where each hit opens.

use crate::names::{LinkedNames, NameMap};
use crate::records::AnyRecord;
use crate::{Error, Result, Session};
use raccordo_register::model::*;
use raccordo_register::search::{self, Hit};
use raccordo_register::{Reader, lists, query};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct BrowseArgs {
    pub kind: Kind,
    pub text: Option<String>,
    pub offset: u64,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BrowsePage {
    pub rows: Vec<AnyRecord>,
    /// Rows matching, over all pages (for a text, at most [`lists::MAX_TEXT_MATCHES`]).
    pub total: u64,
    pub offset: u64,
    /// Titles of the records the rows link to.
    pub names: NameMap,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChoiceArgs {
    pub kind: Kind,
    pub text: Option<String>,
    pub limit: u32,
}

/// One option of a picker.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Choice {
    pub id: Uuid,
    pub title: String,
    /// What tells two alike titles apart (a province, a date).
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SearchArgs {
    pub text: String,
    pub limit: u32,
}

/// A search hit and the screen it opens: an agenda item opens its meeting.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Found {
    pub hit: Hit,
    pub open_kind: Kind,
    pub open_id: Uuid,
}

fn text_of(t: &Option<String>) -> Option<&str> {
    t.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// The longest text a list, a picker or the search takes: a person types words, not pages.
pub const MAX_QUERY_CHARS: usize = 200;

pub(crate) fn check_text(text: Option<&str>) -> Result<()> {
    if text.is_some_and(|t| t.chars().count() > MAX_QUERY_CHARS) {
        return Err(Error::bad_request(format!("Testo da cercare: al massimo {MAX_QUERY_CHARS} caratteri.")));
    }
    Ok(())
}

pub fn browse(s: &Session, args: BrowseArgs) -> Result<BrowsePage> {
    check_text(args.text.as_deref())?;
    s.with(|reg| page(&reg.reader(), &args))
}

fn page(r: &Reader, args: &BrowseArgs) -> Result<BrowsePage> {
    let ids = lists::page(r, args.kind, text_of(&args.text), args.offset, args.limit)?;
    let mut names = LinkedNames::default();
    let mut rows = Vec::with_capacity(ids.rows.len());
    for id in ids.rows {
        let Some(rec) = AnyRecord::get(r, args.kind, id)? else { continue };
        for (kind, linked_id) in rec.linked() {
            names.add(kind, linked_id);
        }
        rows.push(rec);
    }
    Ok(BrowsePage { rows, total: ids.total, offset: args.offset, names: names.resolve(r)? })
}

/// Options for a picker: the first `limit` records of a kind matching the text.
pub fn choices(s: &Session, args: ChoiceArgs) -> Result<Vec<Choice>> {
    if args.limit == 0 || args.limit > 100 {
        return Err(Error::bad_request("Opzioni: da 1 a 100."));
    }
    check_text(args.text.as_deref())?;
    s.with(|reg| {
        let r = reg.reader();
        if args.kind == Kind::Agreement {
            let filter = query::AgreementFilter { text: args.text.clone(), ..Default::default() };
            let rows =
                query::agreements(&r, &filter, query::AgreementSort::Number, crate::session::today(), 0, args.limit)?
                    .rows;
            return Ok(rows
                .into_iter()
                .map(|a| Choice { id: a.id, title: format!("{} — {}", a.number, a.subject), detail: None })
                .collect());
        }
        if args.kind == Kind::OfficeHeld {
            return office_choices(&r, args.text.as_deref(), args.limit);
        }
        let listed = page(&r, &BrowseArgs { kind: args.kind, text: args.text, offset: 0, limit: args.limit })?;
        Ok(listed.rows.iter().map(|rec| choice(rec, &listed.names)).collect())
    })
}

/// Offices held, named "Sindaco — Comune di Lucca (Favilla Mauro)", matched on any of the three.
fn office_choices(r: &Reader, text: Option<&str>, limit: u32) -> Result<Vec<Choice>> {
    Ok(lists::office_choices(r, text, limit)?
        .into_iter()
        .map(|o| Choice { id: o.id, title: format!("{} — {}", o.title, o.administration), detail: Some(o.holder) })
        .collect())
}

fn choice(rec: &AnyRecord, names: &NameMap) -> Choice {
    let name = |id: &Uuid| names.get(id).cloned();
    let (id, title, detail) = match rec {
        AnyRecord::Administration(a) => (a.id, a.title(), a.province.clone().or(a.region.clone())),
        AnyRecord::Person(p) => (p.id, p.title(), p.email.clone()),
        AnyRecord::ThematicTable(t) => (t.id, t.title(), name(&t.agreement_id)),
        AnyRecord::Meeting(m) => (m.id, m.title(), name(&m.agreement_id)),
        AnyRecord::Project(p) => (p.id, p.title(), p.cup.clone()),
        other => unreachable!("no list of {:?}", other.kind()),
    };
    Choice { id, title, detail }
}

/// Where a hit opens: records without a screen of their own open their owner.
fn opens(r: &Reader, hit: &Hit) -> Result<(Kind, Uuid)> {
    Ok(match hit.kind {
        Kind::AgendaItem => match r.get::<AgendaItem>(hit.id)? {
            Some(item) => (Kind::Meeting, item.meeting_id),
            None => (hit.kind, hit.id),
        },
        k => (k, hit.id),
    })
}

pub fn search(s: &Session, args: SearchArgs) -> Result<Vec<Found>> {
    if args.limit == 0 || args.limit > 200 {
        return Err(Error::bad_request("Risultati: da 1 a 200."));
    }
    check_text(Some(&args.text))?;
    s.with(|reg| {
        let r = reg.reader();
        search::search(&r, &args.text, &[], args.limit as usize)?
            .into_iter()
            .map(|hit| {
                let (open_kind, open_id) = opens(&r, &hit)?;
                Ok(Found { hit, open_kind, open_id })
            })
            .collect()
    })
}
