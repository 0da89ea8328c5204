//! The register reports: agreements by status and expiry, projects by status and
//! funding (with totals per source), and the overdue actions and commitments.

use crate::agid::{Describe, Soggetto};
use crate::common::{NameLookup, Prepared, file_safe};
use crate::italian::{self, date_opt};
use chrono::NaiveDate;
use raccordo_register::model::*;
use raccordo_register::query::{self, AgreementFilter, AgreementSort, MAX_PAGE};
use raccordo_register::{Error, Reader, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A report longer than this is refused with a message asking for narrower filters:
/// past it the PDF stops being something a person reads (about 500 pages).
pub const MAX_REPORT_ROWS: u64 = 20_000;

/// One group of a report: a status with its rows.
#[derive(Debug, Serialize)]
pub struct Group<T> {
    pub title: String,
    pub rows: Vec<T>,
}

#[derive(Debug, Serialize)]
pub struct AgreementsReport {
    /// The filters in words, "" when the report covers the whole register.
    pub filters: String,
    /// How many agreements, "1.234".
    pub total: String,
    /// (status, how many) in the order of the groups.
    pub summary: Vec<(String, String)>,
    pub groups: Vec<Group<AgreementLine>>,
}

#[derive(Debug, Serialize)]
pub struct AgreementLine {
    /// 1, 2, 3… over the whole report.
    pub n: u64,
    pub number: String,
    pub subject: String,
    pub kind: String,
    pub signed_on: String,
    pub expires_on: String,
    /// "tra 12 giorni", "scaduto da 3 giorni", "".
    pub expiry_note: String,
}

pub fn agreements(r: &Reader, filter: &AgreementFilter, today: NaiveDate) -> Result<AgreementsReport> {
    let first = query::agreements(r, filter, AgreementSort::Expiry, today, 0, 1)?;
    too_long(first.total, "protocolli")?;
    let mut by_status: BTreeMap<usize, Vec<AgreementLine>> = BTreeMap::new();
    let mut offset = 0;
    let mut n = 0;
    loop {
        let page = query::agreements(r, filter, AgreementSort::Expiry, today, offset, MAX_PAGE)?;
        if page.rows.is_empty() {
            break;
        }
        offset += page.rows.len() as u64;
        for row in page.rows {
            n += 1;
            let expiry_note = match row.expires_on {
                Some(d) if d == today => "oggi".to_owned(),
                Some(d) if d > today => {
                    format!("tra {}", italian::count((d - today).num_days() as usize, "giorno", "giorni"))
                }
                Some(d) => format!("da {}", italian::count((today - d).num_days() as usize, "giorno", "giorni")),
                None => String::new(),
            };
            let status_index = AgreementStatus::ALL.iter().position(|s| *s == row.status).unwrap_or(0);
            by_status.entry(status_index).or_default().push(AgreementLine {
                n,
                number: row.number,
                subject: row.subject,
                kind: row.kind.label().to_owned(),
                signed_on: date_opt(row.signed_on),
                expires_on: date_opt(row.expires_on),
                expiry_note,
            });
        }
    }
    // Numbered in the order printed: status groups, then soonest expiry.
    let mut n = 0;
    let groups: Vec<Group<AgreementLine>> = by_status
        .into_iter()
        .map(|(i, mut rows)| {
            for row in &mut rows {
                n += 1;
                row.n = n;
            }
            Group { title: AgreementStatus::ALL[i].label().to_owned(), rows }
        })
        .collect();
    Ok(AgreementsReport {
        filters: describe_filter(r, filter)?,
        total: italian::number(first.total),
        summary: groups.iter().map(|g| (g.title.clone(), italian::number(g.rows.len() as u64))).collect(),
        groups,
    })
}

fn describe_filter(r: &Reader, f: &AgreementFilter) -> Result<String> {
    let mut parts = Vec::new();
    if let Some(s) = f.status {
        parts.push(format!("stato «{}»", s.label()));
    }
    if let Some(k) = f.kind {
        parts.push(format!("tipo «{}»", k.label()));
    }
    if let Some(a) = f.administration_id {
        parts.push(format!("parte «{}»", NameLookup::new(*r).administration(a)?));
    }
    if let Some(d) = f.expiring_within_days {
        parts.push(format!("in scadenza entro {}", italian::count(d as usize, "giorno", "giorni")));
    }
    if let Some(t) = f.text.as_deref().filter(|t| !t.trim().is_empty()) {
        parts.push(format!("testo «{}»", t.trim()));
    }
    Ok(parts.join(", "))
}

fn too_long(total: u64, what: &str) -> Result<()> {
    if total > MAX_REPORT_ROWS {
        return Err(Error::bad_request(format!(
            "Il report conterrebbe {} {what}: sono troppi per un documento da leggere. \
             Restringi i filtri (al massimo {}).",
            italian::number(total),
            italian::number(MAX_REPORT_ROWS)
        )));
    }
    Ok(())
}

/// Which projects the projects report covers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectFilter {
    pub status: Option<ProjectStatus>,
    /// Only the projects of this agreement.
    pub agreement_id: Option<Uuid>,
}

#[derive(Debug, Serialize)]
pub struct ProjectsReport {
    pub filters: String,
    /// How many projects, "1.234".
    pub total: String,
    pub groups: Vec<Group<ProjectLine>>,
    /// Funding per source over the whole report, largest first, with the grand total.
    pub by_source: Vec<(String, String)>,
    pub grand_total: String,
}

#[derive(Debug, Serialize)]
pub struct ProjectLine {
    pub n: u64,
    pub title: String,
    pub cup: String,
    pub lead: String,
    pub period: String,
    pub progress: String,
    pub funding: String,
}

pub fn projects(r: &Reader, filter: &ProjectFilter) -> Result<ProjectsReport> {
    let total: u64 = r
        .query_one(
            "SELECT count(*) FROM project WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR agreement_id = ?2)",
            (filter.status.map(|s| enum_str(&s)), filter.agreement_id),
        )?
        .unwrap_or(0);
    too_long(total, "progetti")?;
    let projects: Vec<Project> = r.select(
        "SELECT * FROM project WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR agreement_id = ?2) ORDER BY title, id",
        (filter.status.map(|s| enum_str(&s)), filter.agreement_id),
    )?;
    let names = NameLookup::new(*r);
    let mut per_source: BTreeMap<usize, i64> = BTreeMap::new();
    let mut by_status: BTreeMap<usize, Vec<ProjectLine>> = BTreeMap::new();
    for p in projects {
        let lines: Vec<FundingLine> = r.children("project_id", p.id)?;
        let mut sum = 0i64;
        for l in &lines {
            sum += l.amount_cents;
            let i = FundingSource::ALL.iter().position(|s| *s == l.source).unwrap_or(0);
            *per_source.entry(i).or_default() += l.amount_cents;
        }
        let period = match (p.starts_on, p.ends_on) {
            (Some(s), Some(e)) => format!("dal {} al {}", italian::date(s), italian::date(e)),
            (Some(s), None) => format!("dal {}", italian::date(s)),
            (None, Some(e)) => format!("fino al {}", italian::date(e)),
            (None, None) => String::new(),
        };
        let i = ProjectStatus::ALL.iter().position(|s| *s == p.status).unwrap_or(0);
        by_status.entry(i).or_default().push(ProjectLine {
            n: 0,
            lead: names.administration(p.lead_administration_id)?,
            cup: p.cup.unwrap_or_default(),
            title: p.title,
            period,
            progress: format!("{}{}%", p.progress_percent, italian::NBSP),
            funding: if lines.is_empty() { String::new() } else { italian::amount(sum) },
        });
    }
    let mut n = 0;
    let groups = by_status
        .into_iter()
        .map(|(i, mut rows)| {
            for row in &mut rows {
                n += 1;
                row.n = n;
            }
            Group { title: ProjectStatus::ALL[i].label().to_owned(), rows }
        })
        .collect();
    let mut sources: Vec<(usize, i64)> = per_source.into_iter().collect();
    sources.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let grand: i64 = sources.iter().map(|s| s.1).sum();
    let mut filters = Vec::new();
    if let Some(s) = filter.status {
        filters.push(format!("stato «{}»", s.label()));
    }
    if let Some(a) = filter.agreement_id {
        filters.push(format!("protocollo «{}»", names.title(Kind::Agreement, a)?));
    }
    Ok(ProjectsReport {
        filters: filters.join(", "),
        total: italian::number(total),
        groups,
        by_source: sources
            .into_iter()
            .map(|(i, cents)| (FundingSource::ALL[i].label().to_owned(), italian::amount(cents)))
            .collect(),
        grand_total: italian::amount(grand),
    })
}

#[derive(Debug, Serialize)]
pub struct OverdueReport {
    pub today: String,
    /// "2 azioni e 1 impegno".
    pub counts: String,
    pub actions: Vec<OverdueLine>,
    pub commitments: Vec<OverdueLine>,
}

#[derive(Debug, Serialize)]
pub struct OverdueLine {
    pub n: u64,
    pub agreement: String,
    pub description: String,
    /// The action's owner, or the party that undertook the commitment.
    pub who: String,
    pub due_on: String,
    pub late: String,
    pub status: String,
}

const OPEN_AND_LATE: &str = "status IN ('da_avviare', 'in_corso') AND due_on IS NOT NULL AND due_on < ?1";

pub fn overdue(r: &Reader, today: NaiveDate) -> Result<OverdueReport> {
    let day = today.to_string();
    for table in ["action", "commitment"] {
        let n: u64 = r.query_one(&format!("SELECT count(*) FROM {table} WHERE {OPEN_AND_LATE}"), [&day])?.unwrap_or(0);
        too_long(n, if table == "action" { "azioni" } else { "impegni" })?;
    }
    let names = NameLookup::new(*r);
    let numbers = |id: Uuid| -> Result<String> {
        Ok(r.query_one("SELECT number FROM agreement WHERE id = ?1", [id])?.unwrap_or_default())
    };
    let late = |due: Option<NaiveDate>| {
        due.map(|d| italian::count((today - d).num_days() as usize, "giorno", "giorni")).unwrap_or_default()
    };
    let actions: Vec<Action> =
        r.select(&format!("SELECT * FROM action WHERE {OPEN_AND_LATE} ORDER BY due_on, id"), [&day])?;
    let mut action_lines = Vec::new();
    for (i, a) in actions.into_iter().enumerate() {
        action_lines.push(OverdueLine {
            n: i as u64 + 1,
            agreement: numbers(a.agreement_id)?,
            who: names.person(a.owner_id)?,
            due_on: date_opt(a.due_on),
            late: late(a.due_on),
            status: a.status.label().to_owned(),
            description: a.description,
        });
    }
    let commitments: Vec<Commitment> =
        r.select(&format!("SELECT * FROM commitment WHERE {OPEN_AND_LATE} ORDER BY due_on, id"), [&day])?;
    let mut commitment_lines = Vec::new();
    for (i, c) in commitments.into_iter().enumerate() {
        let party: Option<Party> = match c.party_id {
            Some(p) => r.get(p)?,
            None => None,
        };
        commitment_lines.push(OverdueLine {
            n: i as u64 + 1,
            agreement: numbers(c.agreement_id)?,
            who: names.administration(party.map(|p| p.administration_id))?,
            due_on: date_opt(c.due_on),
            late: late(c.due_on),
            status: c.status.label().to_owned(),
            description: c.description,
        });
    }
    Ok(OverdueReport {
        today: italian::date(today),
        counts: format!(
            "{} e {}",
            italian::count(action_lines.len(), "azione", "azioni"),
            italian::count(commitment_lines.len(), "impegno", "impegni")
        ),
        actions: action_lines,
        commitments: commitment_lines,
    })
}

type Now = chrono::DateTime<chrono::Utc>;

/// The agreements report, its data and description.
pub fn prepare_agreements(
    r: &Reader,
    filter: &AgreementFilter,
    today: NaiveDate,
    author: Soggetto,
    now: Now,
) -> Result<Prepared> {
    let data = agreements(r, filter, today)?;
    let describe = describe(author, "Protocolli per stato e scadenza", &data.filters, now);
    report("report-protocolli.typ", &data, describe)
}

/// The projects report, its data and description.
pub fn prepare_projects(r: &Reader, filter: &ProjectFilter, author: Soggetto, now: Now) -> Result<Prepared> {
    let data = projects(r, filter)?;
    let describe = describe(author, "Progetti per stato e finanziamento", &data.filters, now);
    report("report-progetti.typ", &data, describe)
}

/// The overdue report, its data and description.
pub fn prepare_overdue(r: &Reader, today: NaiveDate, author: Soggetto, now: Now) -> Result<Prepared> {
    let data = overdue(r, today)?;
    report("report-scadenze.typ", &data, describe(author, "Azioni e impegni scaduti", "", now))
}

fn report(template: &'static str, data: &impl Serialize, describe: Describe) -> Result<Prepared> {
    Ok(Prepared { template, doc: serde_json::to_value(data)?, describe, demo_note: None })
}

/// A report's description: written by the office for itself (flow "I"), named by what
/// it lists and the filters it was made with.
fn describe(author: Soggetto, what: &str, filters: &str, now: Now) -> Describe {
    let subject_line =
        if filters.is_empty() { format!("Report: {what}") } else { format!("Report: {what} ({filters})") };
    Describe {
        ident: String::new(),
        document_type: "Report del registro dei protocolli".into(),
        flow: "I",
        subjects: vec![author],
        subject_line,
        keywords: vec!["Report".into(), what.to_owned()],
        aggregation: None,
        file_name: format!("report-{}-{}.pdf", file_safe(&what.to_lowercase()), now.format("%Y-%m-%d")),
        created: now,
        note: None,
    }
}
