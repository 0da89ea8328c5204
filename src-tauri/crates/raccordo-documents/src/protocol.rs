//! The protocol report (*scheda del protocollo*): one agreement with everything that
//! hangs from it, ready for the officials to read and sign.

use crate::agid::{Describe, Soggetto};
use crate::common::{NameLookup, Prepared, demo_note, file_safe};
use crate::italian::{self, date_opt};
use raccordo_register::model::*;
use raccordo_register::{Error, Reader, Result};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct ProtocolData {
    pub number: String,
    pub kind: String,
    pub subject: String,
    pub status: String,
    pub premises: Option<String>,
    pub objectives: Vec<String>,
    pub themes: Vec<String>,
    /// (label, value) pairs of the dates and terms, only those known.
    pub terms: Vec<(String, String)>,
    pub open_to: Option<String>,
    pub financial_terms: Option<String>,
    pub parties: Vec<PartyRow>,
    pub signatories: Vec<SignatoryRow>,
    pub commitments: Vec<CommitmentRow>,
    pub tables: Vec<TableRow>,
    pub projects: Vec<ProjectRow>,
    pub attachments: Vec<AttachmentRow>,
}

#[derive(Debug, Serialize)]
pub struct PartyRow {
    pub administration: String,
    pub role: String,
    pub adhered_on: String,
    pub act: String,
    pub contact: String,
}

#[derive(Debug, Serialize)]
pub struct SignatoryRow {
    pub name: String,
    pub office: String,
    pub party: String,
    pub capacity: String,
    pub signed: String,
}

#[derive(Debug, Serialize)]
pub struct CommitmentRow {
    pub party: String,
    pub description: String,
    pub due_on: String,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct TableRow {
    pub theme: String,
    pub coordinator: String,
    pub period: String,
}

#[derive(Debug, Serialize)]
pub struct ProjectRow {
    pub title: String,
    pub cup: String,
    pub lead: String,
    pub status: String,
}

#[derive(Debug, Serialize)]
pub struct AttachmentRow {
    pub file_name: String,
    pub size: String,
    pub sha256: String,
}

pub fn data(r: &Reader, id: Uuid) -> Result<(Agreement, ProtocolData)> {
    let a: Agreement = r.get(id)?.ok_or_else(|| Error::not_found(Kind::Agreement.label()))?;
    let names = NameLookup::new(*r);
    let parties: Vec<Party> = r.select(
        "SELECT * FROM party WHERE agreement_id = ?1 ORDER BY CASE role WHEN 'promotore' THEN 0 WHEN 'capofila' THEN 1 ELSE 2 END, adhered_on, id",
        [id],
    )?;
    let party_name = |pid: Option<Uuid>| -> Result<String> {
        match pid.and_then(|p| parties.iter().find(|x| x.id == p)) {
            Some(p) => names.administration(p.administration_id),
            None => Ok(String::new()),
        }
    };

    let mut terms = Vec::new();
    let mut term = |label: &str, value: String| {
        if !value.is_empty() {
            terms.push((label.to_owned(), value));
        }
    };
    let place = a.signature_place.as_deref().map(|p| format!(" a {p}")).unwrap_or_default();
    term("Sottoscritto", a.signed_on.map(|d| format!("{}{place}", italian::date(d))).unwrap_or_default());
    term("Efficace dal", date_opt(a.effective_from));
    term("Durata", a.duration_months.map(|m| italian::count(m as usize, "mese", "mesi")).unwrap_or_default());
    term("Scadenza", date_opt(a.expires_on));
    term("Rinnovo", a.renewal.label().to_owned());

    let mut party_rows = Vec::new();
    for p in &parties {
        let act = [
            p.act_kind.clone(),
            p.act_number.as_ref().map(|n| format!("n.{}{n}", italian::NBSP)),
            p.act_date.map(|d| format!("del {}", italian::date(d))),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
        party_rows.push(PartyRow {
            administration: names.administration(p.administration_id)?,
            role: p.role.label().to_owned(),
            adhered_on: date_opt(p.adhered_on),
            act,
            contact: names.person(p.contact_person_id)?,
        });
    }

    let signatures: Vec<Signature> = r.children("agreement_id", id)?;
    let mut signatories = Vec::new();
    for s in &signatures {
        let mut capacity = s.capacity.label().to_owned();
        if let Some(act) = &s.delegation_act {
            capacity = format!("{capacity} ({act})");
        }
        let signed = match s.signed_on {
            Some(d) => format!("{}, {}", s.method.label(), italian::date(d)),
            None => String::new(),
        };
        signatories.push(SignatoryRow {
            name: names.person(s.person_id)?,
            office: names.office_held(s.office_held_id)?,
            party: party_name(Some(s.party_id))?,
            capacity,
            signed,
        });
    }

    let commitments: Vec<Commitment> =
        r.select("SELECT * FROM commitment WHERE agreement_id = ?1 ORDER BY due_on IS NULL, due_on, id", [id])?;
    let mut commitment_rows = Vec::new();
    for c in &commitments {
        commitment_rows.push(CommitmentRow {
            party: party_name(c.party_id)?,
            description: c.description.clone(),
            due_on: date_opt(c.due_on),
            status: c.status.label().to_owned(),
        });
    }

    let tables: Vec<ThematicTable> =
        r.select("SELECT * FROM thematic_table WHERE agreement_id = ?1 ORDER BY opened_on, theme", [id])?;
    let mut table_rows = Vec::new();
    for t in &tables {
        let period = match (t.opened_on, t.closed_on) {
            (Some(o), Some(c)) => format!("dal {} al {}", italian::date(o), italian::date(c)),
            (Some(o), None) => format!("dal {}", italian::date(o)),
            (None, Some(c)) => format!("chiuso il {}", italian::date(c)),
            (None, None) => String::new(),
        };
        table_rows.push(TableRow { theme: t.theme.clone(), coordinator: names.person(t.coordinator_id)?, period });
    }

    let projects: Vec<Project> = r.select("SELECT * FROM project WHERE agreement_id = ?1 ORDER BY title", [id])?;
    let mut project_rows = Vec::new();
    for p in &projects {
        project_rows.push(ProjectRow {
            title: p.title.clone(),
            cup: p.cup.clone().unwrap_or_default(),
            lead: names.administration(p.lead_administration_id)?,
            status: p.status.label().to_owned(),
        });
    }

    let attachments: Vec<Attachment> =
        r.select("SELECT * FROM attachment WHERE owner_id = ?1 ORDER BY file_name, id", [id])?;
    let attachments = attachments
        .into_iter()
        .map(|x| AttachmentRow { file_name: x.file_name, size: italian::size(x.size), sha256: x.sha256 })
        .collect();

    let data = ProtocolData {
        number: a.number.clone(),
        kind: a.kind.label().to_owned(),
        subject: a.subject.clone(),
        status: a.status.label().to_owned(),
        premises: a.premises.clone(),
        objectives: a.objectives.clone(),
        themes: a.themes.clone(),
        terms,
        open_to: a.open_to.clone(),
        financial_terms: a.financial_terms.clone(),
        parties: party_rows,
        signatories,
        commitments: commitment_rows,
        tables: table_rows,
        projects: project_rows,
        attachments,
    };
    Ok((a, data))
}

/// The protocol sheet: its data and its description. The subjects are the office that
/// prints it, every party (by its administration) and every signatory.
pub fn prepare(
    r: &Reader,
    agreement_id: Uuid,
    author: Soggetto,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Prepared> {
    let (a, data) = data(r, agreement_id)?;
    let mut subjects = vec![author];
    let parties: Vec<Party> = r.children("agreement_id", a.id)?;
    for p in &parties {
        let admin: Option<Administration> = r.get(p.administration_id)?;
        subjects.push(Soggetto {
            ruolo: "Altro".into(),
            tipo_soggetto: "PAI".into(),
            denominazione: admin.as_ref().map(|x| x.name.clone()).unwrap_or_default(),
            codice_ipa: admin.and_then(|x| x.ipa_code),
            qualifica: Some(format!("Parte: {}", p.role.label())),
        });
    }
    for s in &data.signatories {
        subjects.push(Soggetto::person("Altro", &s.name, "Firmatario"));
    }
    let mut keywords = vec![a.kind.label().to_owned(), a.number.clone()];
    keywords.extend(a.themes.iter().cloned());
    let describe = Describe {
        ident: String::new(),
        document_type: format!("Scheda del protocollo ({})", a.kind.label()),
        flow: "I",
        subjects,
        subject_line: format!("{} n. {} — {}", a.kind.label(), a.number, a.subject),
        keywords,
        aggregation: Some(a.number.clone()),
        file_name: format!("scheda-protocollo-{}.pdf", file_safe(&a.number)),
        created: now,
        note: None,
    };
    Ok(Prepared {
        template: "scheda-protocollo.typ",
        doc: serde_json::to_value(&data)?,
        describe,
        demo_note: demo_note(r, a.id)?,
    })
}
