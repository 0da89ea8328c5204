//! The calendar export read back by Python's `icalendar` (tests/tools/ics_read.py), a
//! parser nobody here wrote: every meeting, expiry, commitment, action and milestone
//! of the register is there, at its Europe/Rome time, with stable UIDs; a changed
//! meeting keeps its UID with a higher SEQUENCE; a deleted one comes back cancelled.

use chrono::{NaiveDate, TimeZone, Utc};
use raccordo_exchange::ics::{self, Range};
use raccordo_register::{Meeting, Register};
use serde_json::Value;
use std::path::Path;

mod tools;

/// What `icalendar` reads in the calendar `text`.
fn read(dir: &Path, text: &str) -> Value {
    let file = dir.join("calendario.ics");
    std::fs::write(&file, text).unwrap();
    tools::read_with("ics_read.py", &file)
}

fn events(v: &Value) -> &Vec<Value> {
    v["events"].as_array().unwrap()
}

fn by_uid<'a>(v: &'a Value, uid: &str) -> Option<&'a Value> {
    events(v).iter().find(|e| e["uid"] == uid)
}

fn count(reg: &Register, sql: &str) -> usize {
    reg.connection().query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap() as usize
}

/// The events the register should give: every meeting, every agreement with an
/// expiry, every open commitment and action with a due date, every dated milestone.
fn expected(reg: &Register) -> usize {
    count(reg, "SELECT count(*) FROM meeting")
        + count(reg, "SELECT count(*) FROM agreement WHERE expires_on IS NOT NULL")
        + count(
            reg,
            "SELECT count(*) FROM commitment WHERE due_on IS NOT NULL AND status IN ('da_avviare', 'in_corso')",
        )
        + count(reg, "SELECT count(*) FROM action WHERE due_on IS NOT NULL AND status IN ('da_avviare', 'in_corso')")
        + count(reg, "SELECT count(*) FROM milestone WHERE coalesce(actual_on, planned_on) IS NOT NULL")
}

#[test]
fn the_demo_register_s_calendar_reads_back_with_rome_times_stable_uids_and_cancellations() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    raccordo_demo::build_demo(&mut reg, today).unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let first = read(dir.path(), &ics::calendar(&reg.reader(), "Prefettura di Lucca", Range::default(), now).unwrap());
    assert_eq!(first["name"], "Prefettura di Lucca");
    assert_eq!(first["timezones"], serde_json::json!(["Europe/Rome"]));
    assert_eq!(events(&first).len(), expected(&reg), "{first:#}");

    // Each meeting at its Rome time, with its place and its agenda.
    let meetings: Vec<Meeting> = reg.reader().select("SELECT * FROM meeting", []).unwrap();
    assert!(!meetings.is_empty());
    for m in &meetings {
        let e = by_uid(&first, &format!("seduta-{}@raccordo", m.id)).unwrap_or_else(|| panic!("{m:?}"));
        assert_eq!(e["status"], "CONFIRMED");
        if let Some(t) = m.starts_at {
            assert_eq!(
                e["start"]["value"].as_str().unwrap()[..19],
                m.date.and_time(t).format("%Y-%m-%dT%H:%M:%S").to_string()
            );
            assert_eq!(e["start"]["tz"], "Europe/Rome");
            // CET in winter, CEST in summer, as the zone's rules say for that day.
            let winter = matches!(chrono::Datelike::month(&m.date), 11 | 12 | 1 | 2);
            if winter {
                assert_eq!(e["start"]["utc_offset"], 3600.0);
            }
        }
        if let Some(place) = &m.place {
            assert_eq!(e["location"].as_str(), Some(place.as_str()));
        }
        let items: Vec<String> = reg
            .reader()
            .select::<raccordo_register::AgendaItem>("SELECT * FROM agenda_item WHERE meeting_id = ?1", [m.id])
            .unwrap()
            .into_iter()
            .map(|i| i.title)
            .collect();
        for title in items {
            assert!(e["description"].as_str().unwrap().contains(&title), "{title} not in {}", e["description"]);
        }
    }

    // Exported again after a change: the same UIDs; the changed meeting's SEQUENCE grew.
    let mut m = meetings[0].clone();
    m.place = Some("Sala del Consiglio, Palazzo Ducale".into());
    reg.update(m.clone()).unwrap();
    let second = read(dir.path(), &ics::calendar(&reg.reader(), "Prefettura di Lucca", Range::default(), now).unwrap());
    let uids = |v: &Value| {
        let mut u: Vec<String> = events(v).iter().map(|e| e["uid"].as_str().unwrap().to_owned()).collect();
        u.sort();
        u
    };
    assert_eq!(uids(&first), uids(&second));
    let uid = format!("seduta-{}@raccordo", m.id);
    let (before, after) = (by_uid(&first, &uid).unwrap(), by_uid(&second, &uid).unwrap());
    assert!(after["sequence"].as_u64() > before["sequence"].as_u64());
    assert_eq!(after["location"], "Sala del Consiglio, Palazzo Ducale");

    // Deleted: still there, cancelled, so that a calendar that had it learns it is off.
    reg.delete(raccordo_register::Kind::Meeting, m.id).unwrap();
    let third = read(dir.path(), &ics::calendar(&reg.reader(), "Prefettura di Lucca", Range::default(), now).unwrap());
    let gone = by_uid(&third, &uid).unwrap();
    assert_eq!(gone["status"], "CANCELLED");
    assert!(gone["sequence"].as_u64() > after["sequence"].as_u64());

    // A range keeps what falls in it, both ends included.
    let range = Range { from: Some(today), to: Some(today + chrono::Days::new(90)) };
    let ahead = read(dir.path(), &ics::calendar(&reg.reader(), "x", range, now).unwrap());
    assert!(!events(&ahead).is_empty());
    for e in events(&ahead) {
        let day = NaiveDate::parse_from_str(&e["start"]["value"].as_str().unwrap()[..10], "%Y-%m-%d").unwrap();
        assert!(day >= today && day <= today + chrono::Days::new(90), "{e}");
    }

    // One meeting alone, as the window's button on it gives it.
    let other = &meetings[1];
    let one = read(dir.path(), &ics::meeting(&reg.reader(), other.id, now).unwrap());
    assert_eq!(events(&one).len(), 1);
    assert_eq!(events(&one)[0]["uid"], format!("seduta-{}@raccordo", other.id));
}

#[test]
fn the_calendar_of_a_10k_register_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("10k.raccordo")).unwrap();
    raccordo_demo::generate(&mut reg, 10_000, 7, "G").unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 9, 0, 0).unwrap();
    let text = ics::calendar(&reg.reader(), "Registro di prova", Range::default(), now).unwrap();
    assert!(text.lines().all(|l| l.len() <= 76), "a line longer than 75 octets");
    let v = read(dir.path(), &text);
    assert_eq!(events(&v).len(), expected(&reg));
    let mut uids: Vec<&str> = events(&v).iter().map(|e| e["uid"].as_str().unwrap()).collect();
    uids.sort();
    uids.dedup();
    assert_eq!(uids.len(), events(&v).len(), "every UID once");
}
