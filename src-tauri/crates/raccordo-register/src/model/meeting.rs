use super::{Kind, Record, WorkStatus, labels};
use crate::checks::{self, italian_date};
use crate::db::Reader;
use crate::error::{FieldCode, Result, Violations};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MinutesStatus {
    Bozza,
    Approvato,
}

labels!(MinutesStatus {
    Bozza => "Bozza",
    Approvato => "Approvato",
});

/// Seduta of a thematic table, or of the agreement's steering committee when
/// `table_id` is empty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Meeting {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub table_id: Option<Uuid>,
    /// Seduta n. — numbered within its table (or committee).
    pub number: u32,
    pub convened_by_id: Option<Uuid>,
    pub convened_on: Option<NaiveDate>,
    pub date: NaiveDate,
    pub starts_at: Option<NaiveTime>,
    pub ends_at: Option<NaiveTime>,
    pub place: Option<String>,
    pub online_link: Option<String>,
    /// Ordine del giorno as sent with the convocation; items are [`AgendaItem`]s.
    pub agenda_note: Option<String>,
    pub chair_id: Option<Uuid>,
    pub secretary_id: Option<Uuid>,
    pub minutes_status: MinutesStatus,
    pub minutes_approved_on: Option<NaiveDate>,
    pub minutes_approved_at_id: Option<Uuid>,
}

impl Meeting {
    /// A meeting convened for `date`, nothing else known yet; minutes in draft.
    pub fn new(agreement_id: Uuid, table_id: Option<Uuid>, number: u32, date: NaiveDate) -> Meeting {
        Meeting {
            id: crate::ids::new_id(),
            agreement_id,
            table_id,
            number,
            convened_by_id: None,
            convened_on: None,
            date,
            starts_at: None,
            ends_at: None,
            place: None,
            online_link: None,
            agenda_note: None,
            chair_id: None,
            secretary_id: None,
            minutes_status: MinutesStatus::Bozza,
            minutes_approved_on: None,
            minutes_approved_at_id: None,
        }
    }
}

impl Record for Meeting {
    const KIND: Kind = Kind::Meeting;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy_opt(&mut self.place);
        checks::tidy_opt(&mut self.online_link);
        checks::tidy_opt(&mut self.agenda_note);
    }

    fn check(&self, v: &mut Violations) {
        if self.number == 0 {
            v.add("number", FieldCode::OutOfRange, "Numero della seduta: deve essere almeno 1.");
        }
        checks::opt_line(v, "place", "Luogo", &self.place);
        checks::url(v, "online_link", "Collegamento online", &self.online_link);
        checks::text(v, "agenda_note", "Ordine del giorno", self.agenda_note.as_deref());
        checks::time_order(
            v,
            "ends_at",
            self.starts_at,
            self.ends_at,
            "Ora di chiusura precedente all'ora di inizio della seduta.",
        );
        checks::date_order(v, "date", self.convened_on, Some(self.date), |c, d| {
            format!("Data della seduta ({}) precedente alla convocazione ({}).", italian_date(d), italian_date(c))
        });
        match self.minutes_status {
            MinutesStatus::Approvato if self.minutes_approved_on.is_none() => v.add(
                "minutes_approved_on",
                FieldCode::Required,
                "Data di approvazione del verbale: obbligatoria per un verbale approvato.",
            ),
            MinutesStatus::Bozza if self.minutes_approved_on.is_some() || self.minutes_approved_at_id.is_some() => v
                .add(
                    "minutes_status",
                    FieldCode::NotAllowed,
                    "Stato del verbale: è indicata un'approvazione, ma il verbale è in bozza.",
                ),
            _ => {}
        }
        checks::date_order(v, "minutes_approved_on", Some(self.date), self.minutes_approved_on, |d, a| {
            format!("Approvazione del verbale ({}) precedente alla seduta ({}).", italian_date(a), italian_date(d))
        });
        if self.minutes_approved_at_id == Some(self.id) {
            v.add(
                "minutes_approved_at_id",
                FieldCode::LinkMismatch,
                "Seduta di approvazione: il verbale si approva in una seduta successiva.",
            );
        }
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if let Some(table) = self.table_id {
            let a: Option<Uuid> = r.query_one("SELECT agreement_id FROM thematic_table WHERE id = ?1", [table])?;
            if a.is_some_and(|a| a != self.agreement_id) {
                v.add("table_id", FieldCode::LinkMismatch, "Tavolo: non appartiene a questo protocollo.");
            }
        }
        if let Some(at) = self.minutes_approved_at_id {
            let d: Option<NaiveDate> = r.query_one("SELECT date FROM meeting WHERE id = ?1", [at])?;
            if let Some(d) = d
                && d < self.date
            {
                v.add(
                    "minutes_approved_at_id",
                    FieldCode::DateOrder,
                    format!("Seduta di approvazione: si è tenuta il {}, prima di questa.", italian_date(d)),
                );
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        format!("Seduta n. {} del {}", self.number, italian_date(self.date))
    }

    fn search_text(&self) -> Option<(String, String)> {
        let body = [self.place.clone(), self.agenda_note.clone()].into_iter().flatten().collect::<Vec<_>>();
        Some((self.title(), body.join("\n")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum VoteKind {
    /// No vote taken (information, discussion).
    None,
    Unanimous,
    Counted,
}

labels!(VoteKind {
    None => "Nessuna votazione",
    Unanimous => "All'unanimità",
    Counted => "Con voti contati",
});

/// Punto all'ordine del giorno, and in the minutes its discussion, decision and vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgendaItem {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub position: u32,
    pub title: String,
    pub rapporteur_id: Option<Uuid>,
    pub discussion: Option<String>,
    pub decision: Option<String>,
    pub vote: VoteKind,
    pub votes_for: Option<u32>,
    pub votes_against: Option<u32>,
    pub abstained: Option<u32>,
}

impl AgendaItem {
    /// An item on the agenda, with no minutes and no vote yet.
    pub fn new(meeting_id: Uuid, position: u32, title: &str) -> AgendaItem {
        AgendaItem {
            id: crate::ids::new_id(),
            meeting_id,
            position,
            title: title.to_owned(),
            rapporteur_id: None,
            discussion: None,
            decision: None,
            vote: VoteKind::None,
            votes_for: None,
            votes_against: None,
            abstained: None,
        }
    }
}

impl Record for AgendaItem {
    const KIND: Kind = Kind::AgendaItem;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.title);
        checks::tidy_opt(&mut self.discussion);
        checks::tidy_opt(&mut self.decision);
    }

    fn check(&self, v: &mut Violations) {
        if self.position == 0 {
            v.add("position", FieldCode::OutOfRange, "Numero del punto: deve essere almeno 1.");
        }
        checks::required_line(v, "title", "Titolo del punto", &self.title);
        checks::text(v, "discussion", "Discussione", self.discussion.as_deref());
        checks::text(v, "decision", "Decisione", self.decision.as_deref());
        let counts = [self.votes_for, self.votes_against, self.abstained];
        match self.vote {
            VoteKind::Counted if counts.iter().any(Option::is_none) => v.add(
                "votes_for",
                FieldCode::VoteIncomplete,
                "Votazione: indica favorevoli, contrari e astenuti (anche 0).",
            ),
            VoteKind::None | VoteKind::Unanimous if counts.iter().any(Option::is_some) => v.add(
                "vote",
                FieldCode::NotAllowed,
                "Votazione: i voti si contano solo in una votazione a maggioranza.",
            ),
            _ => {}
        }
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if self.vote != VoteKind::Counted {
            return Ok(());
        }
        let voters = self.votes_for.unwrap_or(0) + self.votes_against.unwrap_or(0) + self.abstained.unwrap_or(0);
        let present = present_at(r, self.meeting_id, None)?;
        if voters > present {
            v.add(
                "votes_for",
                FieldCode::VoteExceedsPresent,
                format!(
                    "Votazione: {}, ma i presenti (anche per delega) sono {present}. Controlla i numeri o le presenze.",
                    crate::words::count(voters, "voto espresso", "voti espressi")
                ),
            );
        }
        Ok(())
    }

    fn title(&self) -> String {
        format!("{}. {}", self.position, self.title)
    }

    fn search_text(&self) -> Option<(String, String)> {
        let body =
            [self.discussion.clone(), self.decision.clone()].into_iter().flatten().collect::<Vec<_>>().join("\n");
        Some((self.title.clone(), body))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Present,
    AbsentJustified,
    Absent,
    /// Represented by a delegate.
    Represented,
}

labels!(Presence {
    Present => "Presente",
    AbsentJustified => "Assente giustificato",
    Absent => "Assente",
    Represented => "Rappresentato per delega",
});

/// Presenze: one person at one meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Attendance {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub person_id: Uuid,
    pub administration_id: Option<Uuid>,
    pub presence: Presence,
    pub delegate_id: Option<Uuid>,
    pub joined_at: Option<NaiveTime>,
    pub left_at: Option<NaiveTime>,
}

impl Attendance {
    pub fn new(meeting_id: Uuid, person_id: Uuid, presence: Presence) -> Attendance {
        Attendance {
            id: crate::ids::new_id(),
            meeting_id,
            person_id,
            administration_id: None,
            presence,
            delegate_id: None,
            joined_at: None,
            left_at: None,
        }
    }
}

impl Record for Attendance {
    const KIND: Kind = Kind::Attendance;

    fn id(&self) -> Uuid {
        self.id
    }

    fn check(&self, v: &mut Violations) {
        match (self.presence, self.delegate_id) {
            (Presence::Represented, None) => {
                v.add("delegate_id", FieldCode::Required, "Delegato: indica chi rappresenta la persona.")
            }
            (Presence::Represented, Some(d)) if d == self.person_id => v.add(
                "delegate_id",
                FieldCode::LinkMismatch,
                "Delegato: deve essere una persona diversa da quella rappresentata.",
            ),
            (p, Some(_)) if p != Presence::Represented => {
                v.add("delegate_id", FieldCode::NotAllowed, "Delegato: solo per chi è rappresentato per delega.")
            }
            _ => {}
        }
        let present = matches!(self.presence, Presence::Present | Presence::Represented);
        if !present && (self.joined_at.is_some() || self.left_at.is_some()) {
            v.add("joined_at", FieldCode::NotAllowed, "Orari di ingresso e uscita: solo per chi era presente.");
        }
        checks::time_order(v, "left_at", self.joined_at, self.left_at, "Ora di uscita precedente all'ora di ingresso.");
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        let dup: Option<Uuid> = r.query_one(
            "SELECT id FROM attendance WHERE meeting_id = ?1 AND person_id = ?2 AND id <> ?3",
            (self.meeting_id, self.person_id, self.id),
        )?;
        if dup.is_some() {
            v.add("person_id", FieldCode::Duplicate, "Persona: la sua presenza a questa seduta è già registrata.");
        }
        self.check_votes(r, v)
    }

    fn title(&self) -> String {
        self.presence.label().to_owned()
    }
}

/// Azione: something a person must do by a date, decided at a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Action {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub meeting_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub description: String,
    pub due_on: Option<NaiveDate>,
    pub status: WorkStatus,
    pub done_on: Option<NaiveDate>,
}

impl Record for Action {
    const KIND: Kind = Kind::Action;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.description);
    }

    fn check(&self, v: &mut Violations) {
        checks::required(v, "description", "Descrizione dell'azione", &self.description);
        checks::text(v, "description", "Descrizione dell'azione", Some(&self.description));
        if self.done_on.is_some() && self.status != WorkStatus::Completato {
            v.add("done_on", FieldCode::NotAllowed, "Data di completamento: solo per un'azione completata.");
        }
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if let Some(m) = self.meeting_id {
            let row: Option<(Uuid, NaiveDate)> =
                r.query_row_opt("SELECT agreement_id, date FROM meeting WHERE id = ?1", [m])?;
            if let Some((agreement, date)) = row {
                if agreement != self.agreement_id {
                    v.add("meeting_id", FieldCode::LinkMismatch, "Seduta: appartiene a un altro protocollo.");
                }
                checks::date_order(v, "done_on", Some(date), self.done_on, |d, c| {
                    format!(
                        "Completamento ({}) precedente alla seduta che ha deciso l'azione ({}).",
                        italian_date(c),
                        italian_date(d)
                    )
                });
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.description.clone()
    }
}

fn present_at(r: &Reader, meeting_id: Uuid, except: Option<Uuid>) -> Result<u32> {
    Ok(r.query_one(
        "SELECT count(*) FROM attendance WHERE meeting_id = ?1 AND id IS NOT ?2 AND presence IN ('present', 'represented')",
        (meeting_id, except),
    )?
    .unwrap_or(0))
}

fn most_votes_at(r: &Reader, meeting_id: Uuid) -> Result<u32> {
    Ok(r.query_one(
        "SELECT max(coalesce(votes_for, 0) + coalesce(votes_against, 0) + coalesce(abstained, 0))
         FROM agenda_item WHERE meeting_id = ?1 AND vote = 'counted'",
        [meeting_id],
    )?
    .unwrap_or(0))
}

fn fewer_present_message(present: u32, votes: u32) -> String {
    let remain =
        if present == 1 { "resterebbe 1 presente".to_owned() } else { format!("resterebbero {present} presenti") };
    let cast =
        if votes == 1 { "è stato espresso 1 voto".to_owned() } else { format!("sono stati espressi {votes} voti") };
    format!("Presenze: {remain}, ma in una votazione di questa seduta {cast}. Correggi prima la votazione.")
}

/// After attendance is removed: the counted votes of the meeting must still fit.
pub(crate) fn votes_still_fit(r: &Reader, meeting_id: Uuid) -> Result<()> {
    let present = present_at(r, meeting_id, None)?;
    let votes = most_votes_at(r, meeting_id)?;
    if votes > present {
        let mut v = Violations::default();
        v.add("presence", FieldCode::VoteExceedsPresent, fewer_present_message(present, votes));
        return v.into_result(Kind::Attendance.label());
    }
    Ok(())
}

impl Attendance {
    /// An update that turns a present person absent must leave enough voters.
    fn check_votes(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        let mine = u32::from(matches!(self.presence, Presence::Present | Presence::Represented));
        let present = present_at(r, self.meeting_id, Some(self.id))? + mine;
        let votes = most_votes_at(r, self.meeting_id)?;
        if votes > present {
            v.add("presence", FieldCode::VoteExceedsPresent, fewer_present_message(present, votes));
        }
        Ok(())
    }
}
