//! One meeting on paper: the convocation letter with its agenda, and the minutes
//! (*verbale*) as DESIGN.md describes them, ready for the Presidente and the Segretario
//! verbalizzante to sign.

use crate::agid::{Describe, Soggetto};
use crate::common::{NameLookup, Prepared, demo_note};
use crate::italian::{self, date_opt};
use raccordo_register::model::*;
use raccordo_register::{Error, Reader, Result};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Serialize)]
pub struct MeetingData {
    /// "Seduta n. 3 del Tavolo «Open data»".
    pub title: String,
    pub number: u32,
    /// The table's theme, or "Comitato di coordinamento" for the agreement's own.
    pub body: String,
    pub agreement: String,
    pub date: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: String,
    pub online_link: String,
    pub convened_by: String,
    pub convened_on: String,
    pub agenda_note: Option<String>,
    pub chair: String,
    pub secretary: String,
    /// To whom the convocation goes: the table's members, or the agreement's parties.
    pub recipients: Vec<Recipient>,
    pub present: Vec<AttendanceRow>,
    pub absent: Vec<AttendanceRow>,
    pub agenda: Vec<ItemRow>,
    pub actions: Vec<ActionRow>,
    pub draft: bool,
    /// "Verbale approvato il 12 marzo 2026 nella seduta n. 4 del 12 marzo 2026."
    pub approval: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Recipient {
    pub name: String,
    pub administration: String,
}

#[derive(Debug, Serialize)]
pub struct AttendanceRow {
    pub name: String,
    pub administration: String,
    /// "Presente", "Assente giustificato", "Rappresentato per delega da Anna Neri"…
    pub presence: String,
    /// "entrato alle 10:15, uscito alle 12:00".
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct ItemRow {
    pub position: u32,
    pub title: String,
    pub rapporteur: String,
    pub discussion: Option<String>,
    pub decision: Option<String>,
    /// "Approvato all'unanimità", "Favorevoli 7, contrari 1, astenuti 2", or "".
    pub vote: String,
}

#[derive(Debug, Serialize)]
pub struct ActionRow {
    pub description: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

pub fn data(r: &Reader, id: Uuid) -> Result<(Meeting, MeetingData)> {
    let m: Meeting = r.get(id)?.ok_or_else(|| Error::not_found(Kind::Meeting.label()))?;
    let names = NameLookup::new(*r);
    let agreement: Agreement = r.require(m.agreement_id)?;
    let table: Option<ThematicTable> = match m.table_id {
        Some(t) => r.get(t)?,
        None => None,
    };
    let body = match &table {
        Some(t) => format!("Tavolo tematico «{}»", t.theme),
        None => "Comitato di coordinamento".to_owned(),
    };

    let recipients = match &table {
        Some(t) => {
            let members: Vec<TableMember> = r.children("table_id", t.id)?;
            let mut out = Vec::new();
            for tm in members {
                out.push(Recipient {
                    name: names.person(tm.person_id)?,
                    administration: names.administration(tm.administration_id)?,
                });
            }
            out
        }
        None => {
            let parties: Vec<Party> = r.children("agreement_id", agreement.id)?;
            let mut out = Vec::new();
            for p in parties {
                out.push(Recipient {
                    name: names.person(p.contact_person_id)?,
                    administration: names.administration(p.administration_id)?,
                });
            }
            out
        }
    };

    let attendance: Vec<Attendance> = r.children("meeting_id", id)?;
    let (mut present, mut absent) = (Vec::new(), Vec::new());
    for a in &attendance {
        let mut presence = a.presence.label().to_owned();
        if a.presence == Presence::Represented && a.delegate_id.is_some() {
            presence = format!("Rappresentato da {}", names.person(a.delegate_id)?);
        }
        let note = [
            a.joined_at.map(|t| format!("entrato alle {}", italian::time(t))),
            a.left_at.map(|t| format!("uscito alle {}", italian::time(t))),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        let row = AttendanceRow {
            name: names.person(a.person_id)?,
            administration: names.administration(a.administration_id)?,
            presence,
            note,
        };
        match a.presence {
            Presence::Present | Presence::Represented => present.push(row),
            Presence::Absent | Presence::AbsentJustified => absent.push(row),
        }
    }
    present.sort_by(|a, b| a.name.cmp(&b.name));
    absent.sort_by(|a, b| a.name.cmp(&b.name));

    let items: Vec<AgendaItem> = r.select("SELECT * FROM agenda_item WHERE meeting_id = ?1 ORDER BY position", [id])?;
    let mut agenda = Vec::new();
    for i in items {
        let vote = match i.vote {
            VoteKind::None => String::new(),
            VoteKind::Unanimous => "Approvato all'unanimità dei presenti".to_owned(),
            VoteKind::Counted => format!(
                "Favorevoli {}, contrari {}, astenuti {}",
                i.votes_for.unwrap_or(0),
                i.votes_against.unwrap_or(0),
                i.abstained.unwrap_or(0)
            ),
        };
        agenda.push(ItemRow {
            position: i.position,
            rapporteur: names.person(i.rapporteur_id)?,
            title: i.title,
            discussion: i.discussion,
            decision: i.decision,
            vote,
        });
    }

    let actions: Vec<Action> =
        r.select("SELECT * FROM action WHERE meeting_id = ?1 ORDER BY due_on IS NULL, due_on, id", [id])?;
    let mut action_rows = Vec::new();
    for a in actions {
        action_rows.push(ActionRow {
            owner: names.person(a.owner_id)?,
            due_on: date_opt(a.due_on),
            status: a.status.label().to_owned(),
            description: a.description,
        });
    }

    let approval = match (m.minutes_status, m.minutes_approved_on) {
        (MinutesStatus::Approvato, on) => {
            let at = match m.minutes_approved_at_id {
                Some(mid) => r
                    .get::<Meeting>(mid)?
                    .map(|x| format!(" nella seduta n.{}{} del {}", italian::NBSP, x.number, italian::date(x.date)))
                    .unwrap_or_default(),
                None => String::new(),
            };
            let on = on.map(|d| format!(" il {}", italian::date(d))).unwrap_or_default();
            Some(format!("Verbale approvato{on}{at}."))
        }
        (MinutesStatus::Bozza, _) => None,
    };

    let data = MeetingData {
        title: format!("Seduta n.{}{} — {body}", italian::NBSP, m.number),
        number: m.number,
        body,
        agreement: format!("{} {} — {}", agreement.kind.label(), agreement.number, agreement.subject),
        date: italian::date(m.date),
        starts_at: m.starts_at.map(italian::time).unwrap_or_default(),
        ends_at: m.ends_at.map(italian::time).unwrap_or_default(),
        place: m.place.clone().unwrap_or_default(),
        online_link: m.online_link.clone().unwrap_or_default(),
        convened_by: names.person(m.convened_by_id)?,
        convened_on: date_opt(m.convened_on),
        agenda_note: m.agenda_note.clone(),
        chair: names.person(m.chair_id)?,
        secretary: names.person(m.secretary_id)?,
        recipients,
        present,
        absent,
        agenda,
        actions: action_rows,
        draft: m.minutes_status == MinutesStatus::Bozza,
        approval,
    };
    Ok((m, data))
}

/// The convocation (`minutes` false) or the minutes of a meeting: data and description.
/// A convocation is sent (flow "U") by whoever convenes it to every recipient; the
/// minutes are the chair's and the secretary's, and a draft says so in its note.
pub fn prepare(
    r: &Reader,
    meeting_id: Uuid,
    minutes: bool,
    author: Soggetto,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Prepared> {
    let (m, data) = data(r, meeting_id)?;
    let agreement_number = r.get::<Agreement>(m.agreement_id)?.map(|a| a.number);
    let mut subjects = vec![author];
    if minutes {
        subjects.push(Soggetto::person("Autore", &data.chair, "Presidente"));
        subjects.push(Soggetto::person("Autore", &data.secretary, "Segretario verbalizzante"));
    } else {
        subjects.push(Soggetto::person("Mittente", &data.convened_by, "Convoca la seduta"));
        for rcp in &data.recipients {
            subjects.push(Soggetto {
                ruolo: "Destinatario".into(),
                tipo_soggetto: if rcp.name.is_empty() { "PAI" } else { "PF" }.into(),
                denominazione: if rcp.name.is_empty() {
                    rcp.administration.clone()
                } else {
                    format!("{} ({})", rcp.name.replace(italian::NBSP, " "), rcp.administration)
                },
                codice_ipa: None,
                qualifica: Some("Convocato".into()),
            });
        }
    }
    subjects.retain(|s| !s.denominazione.is_empty());
    let what = if minutes { "Verbale" } else { "Convocazione" };
    let plain_title = data.title.replace(italian::NBSP, " ");
    let describe = Describe {
        ident: String::new(),
        document_type: if minutes { "Verbale di seduta" } else { "Convocazione di seduta" }.into(),
        flow: if minutes { "I" } else { "U" },
        subjects,
        subject_line: format!("{what} — {plain_title} del {}", data.date.replace(italian::NBSP, " ")),
        keywords: [Some(what.to_owned()), Some(data.body.clone()), agreement_number.clone()]
            .into_iter()
            .flatten()
            .collect(),
        aggregation: agreement_number,
        file_name: format!("{}-seduta-{}-{}.pdf", what.to_lowercase(), m.number, m.date.format("%Y-%m-%d")),
        created: now,
        note: (minutes && data.draft).then(|| "Bozza: verbale non ancora approvato.".to_owned()),
    };
    Ok(Prepared {
        template: if minutes { "verbale.typ" } else { "convocazione.typ" },
        doc: serde_json::to_value(&data)?,
        describe,
        demo_note: demo_note(r, m.id)?,
    })
}
