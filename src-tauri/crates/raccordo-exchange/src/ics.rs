//! Calendars (iCalendar, RFC 5545): the meetings, with their place or link and the
//! agenda in the description; agreements' expiries, with what happens to them
//! (tacit or express renewal); commitments and actions falling due; project
//! milestones. Times are Europe/Rome wall times with the zone's VTIMEZONE. Every
//! event's UID is its record's id, so importing a newer export updates the events
//! instead of doubling them, and `SEQUENCE` counts the record's changes, so the
//! newer one wins. A meeting deleted from the register stays in the export as
//! cancelled (`STATUS:CANCELLED`, from its last state in the history), so that a
//! calendar that had it learns it is off.

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};
use raccordo_register::{
    Action, AgendaItem, Agreement, Commitment, Meeting, Milestone, Project, Reader, Renewal, Result, ThematicTable,
    WorkStatus,
};
use std::fmt::Write;
use uuid::Uuid;

/// The days an export covers, both ends included; `None`: no bound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Range {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Range {
    fn holds(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// Europe/Rome as RFC 5545 describes a zone: CET, and CEST from the last Sunday of
/// March to the last Sunday of October (the EU rule in force since 1996).
const ROME: &str = "BEGIN:VTIMEZONE\r
TZID:Europe/Rome\r
BEGIN:DAYLIGHT\r
TZOFFSETFROM:+0100\r
TZOFFSETTO:+0200\r
TZNAME:CEST\r
DTSTART:19700329T020000\r
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r
END:DAYLIGHT\r
BEGIN:STANDARD\r
TZOFFSETFROM:+0200\r
TZOFFSETTO:+0100\r
TZNAME:CET\r
DTSTART:19701025T030000\r
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r
END:STANDARD\r
END:VTIMEZONE\r
";

/// Text as a property value: backslash, semicolon, comma and line breaks escaped.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a UTF-8 character) and ended
/// with CRLF.
fn line(out: &mut String, content: &str) {
    let mut used = 0;
    for c in content.chars() {
        let n = c.len_utf8();
        if used + n > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += n;
    }
    out.push_str("\r\n");
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

fn local(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

/// When an event happens: at a Rome wall time, or over whole days.
enum When {
    At { start: NaiveDateTime, end: Option<NaiveDateTime> },
    Day(NaiveDate),
}

struct Event {
    uid: String,
    sequence: u64,
    when: When,
    summary: String,
    location: Option<String>,
    url: Option<String>,
    description: String,
    cancelled: bool,
    categories: &'static str,
}

impl Event {
    fn write(&self, out: &mut String, stamp: &str) {
        line(out, "BEGIN:VEVENT");
        line(out, &format!("UID:{}", self.uid));
        line(out, &format!("DTSTAMP:{stamp}"));
        line(out, &format!("SEQUENCE:{}", self.sequence));
        match &self.when {
            When::At { start, end } => {
                line(out, &format!("DTSTART;TZID=Europe/Rome:{}", local(*start)));
                if let Some(end) = end {
                    line(out, &format!("DTEND;TZID=Europe/Rome:{}", local(*end)));
                }
            }
            When::Day(d) => {
                line(out, &format!("DTSTART;VALUE=DATE:{}", date(*d)));
                line(out, &format!("DTEND;VALUE=DATE:{}", date(*d + Days::new(1))));
                line(out, "TRANSP:TRANSPARENT");
            }
        }
        line(out, &format!("SUMMARY:{}", text(&self.summary)));
        if let Some(l) = &self.location {
            line(out, &format!("LOCATION:{}", text(l)));
        }
        if let Some(u) = &self.url {
            line(out, &format!("URL:{u}"));
        }
        if !self.description.is_empty() {
            line(out, &format!("DESCRIPTION:{}", text(&self.description)));
        }
        line(out, &format!("CATEGORIES:{}", self.categories));
        line(out, &format!("STATUS:{}", if self.cancelled { "CANCELLED" } else { "CONFIRMED" }));
        line(out, "END:VEVENT");
    }
}

/// How many changes record `id` has had: the events' `SEQUENCE`, which grows with each.
fn changes(r: &Reader, id: Uuid) -> Result<u64> {
    Ok(r.query_one::<i64>("SELECT count(*) FROM journal WHERE record_id = ?1", [id])?.unwrap_or(0).max(0) as u64)
}

fn uid(what: &str, id: Uuid) -> String {
    format!("{what}-{id}@raccordo")
}

fn agreement_line(r: &Reader, id: Uuid) -> Result<String> {
    Ok(r.get::<Agreement>(id)?.map(|a| format!("Protocollo {} — {}", a.number, a.subject)).unwrap_or_default())
}

fn meeting_event(r: &Reader, m: &Meeting, cancelled: bool) -> Result<Event> {
    let table = match m.table_id {
        Some(t) => r.get::<ThematicTable>(t)?.map(|t| t.theme),
        None => None,
    };
    let agreement = r.get::<Agreement>(m.agreement_id)?;
    let of = table.clone().or_else(|| agreement.as_ref().map(|a| format!("protocollo {}", a.number)));
    let summary = match of {
        Some(of) => format!("Seduta n. {} — {of}", m.number),
        None => format!("Seduta n. {}", m.number),
    };
    let mut description = agreement_line(r, m.agreement_id)?;
    let agenda: Vec<AgendaItem> = if cancelled { Vec::new() } else { r.children("meeting_id", m.id)? };
    let mut agenda = agenda;
    agenda.sort_by_key(|i| i.position);
    if !agenda.is_empty() {
        description.push_str("\nOrdine del giorno:");
        for i in &agenda {
            let _ = write!(description, "\n{}. {}", i.position, i.title);
        }
    } else if let Some(note) = m.agenda_note.as_deref().filter(|n| !n.trim().is_empty()) {
        let _ = write!(description, "\nOrdine del giorno:\n{note}");
    }
    if let Some(link) = &m.online_link {
        let _ = write!(description, "\nCollegamento: {link}");
    }
    if cancelled {
        description.push_str("\nSeduta annullata: eliminata dal registro.");
    }
    let when = match m.starts_at {
        Some(t) => {
            let start = m.date.and_time(t);
            When::At { start, end: m.ends_at.filter(|e| *e > t).map(|e| m.date.and_time(e)) }
        }
        None => When::Day(m.date),
    };
    let location = m.place.clone().filter(|p| !p.trim().is_empty()).or_else(|| m.online_link.clone());
    Ok(Event {
        uid: uid("seduta", m.id),
        sequence: changes(r, m.id)?,
        when,
        summary,
        location,
        url: m.online_link.clone().filter(|l| l.starts_with("https://") || l.starts_with("http://")),
        description,
        cancelled,
        categories: "Sedute",
    })
}

/// Meetings deleted from the register, as they last were.
fn deleted_meetings(r: &Reader) -> Result<Vec<Meeting>> {
    let mut stmt = r.connection().prepare(
        "SELECT record_id, before FROM journal j WHERE kind = 'meeting' AND op = 'delete'
           AND NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = j.record_id)",
    )?;
    let rows = stmt.query_map([], |row| Ok((row.get::<_, Uuid>(0)?, row.get::<_, Option<String>>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, Some(before)) = row? else { continue };
        // The history keeps a deleted record's fields without its id.
        let Ok(serde_json::Value::Object(mut fields)) = serde_json::from_str(&before) else { continue };
        fields.insert("id".into(), serde_json::Value::String(id.to_string()));
        if let Ok(m) = serde_json::from_value::<Meeting>(serde_json::Value::Object(fields)) {
            out.push(m);
        }
    }
    Ok(out)
}

fn due(status: WorkStatus) -> bool {
    matches!(status, WorkStatus::DaAvviare | WorkStatus::InCorso)
}

/// Every event of the register within `range`, meetings first, each kind by date.
fn events(r: &Reader, range: Range) -> Result<Vec<(NaiveDate, Event)>> {
    let mut out = Vec::new();
    for m in r.select::<Meeting>("SELECT * FROM meeting ORDER BY date, starts_at", [])? {
        if range.holds(m.date) {
            out.push((m.date, meeting_event(r, &m, false)?));
        }
    }
    for m in deleted_meetings(r)? {
        if range.holds(m.date) {
            out.push((m.date, meeting_event(r, &m, true)?));
        }
    }
    for a in r.select::<Agreement>("SELECT * FROM agreement WHERE expires_on IS NOT NULL ORDER BY expires_on", [])? {
        let Some(day) = a.expires_on.filter(|d| range.holds(*d)) else { continue };
        let what = match a.renewal {
            Renewal::None => "senza rinnovo",
            Renewal::Tacit => "rinnovo tacito, salvo disdetta",
            Renewal::Express => "rinnovo espresso, da deliberare prima della scadenza",
        };
        out.push((
            day,
            Event {
                uid: uid("scadenza", a.id),
                sequence: changes(r, a.id)?,
                when: When::Day(day),
                summary: format!("Scade il protocollo {} ({what})", a.number),
                location: None,
                url: None,
                description: a.subject.clone(),
                cancelled: false,
                categories: "Scadenze dei protocolli",
            },
        ));
    }
    for c in r.select::<Commitment>("SELECT * FROM commitment WHERE due_on IS NOT NULL", [])? {
        let Some(day) = c.due_on.filter(|d| range.holds(*d) && due(c.status)) else { continue };
        out.push((
            day,
            Event {
                uid: uid("impegno", c.id),
                sequence: changes(r, c.id)?,
                when: When::Day(day),
                summary: format!("Impegno in scadenza: {}", c.description),
                location: None,
                url: None,
                description: agreement_line(r, c.agreement_id)?,
                cancelled: false,
                categories: "Impegni",
            },
        ));
    }
    for x in r.select::<Action>("SELECT * FROM action WHERE due_on IS NOT NULL", [])? {
        let Some(day) = x.due_on.filter(|d| range.holds(*d) && due(x.status)) else { continue };
        out.push((
            day,
            Event {
                uid: uid("azione", x.id),
                sequence: changes(r, x.id)?,
                when: When::Day(day),
                summary: format!("Azione in scadenza: {}", x.description),
                location: None,
                url: None,
                description: agreement_line(r, x.agreement_id)?,
                cancelled: false,
                categories: "Azioni",
            },
        ));
    }
    for ms in r.select::<Milestone>("SELECT * FROM milestone", [])? {
        let Some(day) = ms.actual_on.or(ms.planned_on).filter(|d| range.holds(*d)) else { continue };
        let project = r.get::<Project>(ms.project_id)?.map(|p| p.title).unwrap_or_default();
        let reached = if ms.actual_on.is_some() { " (raggiunta)" } else { "" };
        out.push((
            day,
            Event {
                uid: uid("milestone", ms.id),
                sequence: changes(r, ms.id)?,
                when: When::Day(day),
                summary: format!("Milestone: {}{reached}", ms.title),
                location: None,
                url: None,
                description: format!("Progetto: {project}"),
                cancelled: false,
                categories: "Milestone dei progetti",
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.uid.cmp(&b.1.uid)));
    Ok(out)
}

fn calendar_of(name: &str, events: &[(NaiveDate, Event)], now: DateTime<Utc>) -> String {
    let stamp = now.format("%Y%m%dT%H%M%SZ").to_string();
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(&mut out, "PRODID:-//Raccordo//Registro dei protocolli d'intesa//IT");
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", text(name)));
    line(&mut out, "X-WR-TIMEZONE:Europe/Rome");
    out.push_str(ROME);
    for (_, e) in events {
        e.write(&mut out, &stamp);
    }
    line(&mut out, "END:VCALENDAR");
    out
}

/// The name a register's calendar goes by: its office's, or "Raccordo" without one.
pub fn calendar_name(r: &Reader, office: Option<Uuid>) -> Result<String> {
    let name = match office {
        Some(o) => raccordo_register::title_of(r, raccordo_register::Kind::Administration, o)?,
        None => None,
    };
    Ok(name.unwrap_or_else(|| "Raccordo".into()))
}

/// The register's calendar within `range`, named after the office (`name`).
pub fn calendar(r: &Reader, name: &str, range: Range, now: DateTime<Utc>) -> Result<String> {
    Ok(calendar_of(name, &events(r, range)?, now))
}

/// One meeting as a calendar of its own (the window's button on a meeting).
pub fn meeting(r: &Reader, id: Uuid, now: DateTime<Utc>) -> Result<String> {
    let m = r.get::<Meeting>(id)?.ok_or_else(|| raccordo_register::Error::not_found("Seduta"))?;
    let event = meeting_event(r, &m, false)?;
    Ok(calendar_of(&event.summary.clone(), &[(m.date, event)], now))
}
