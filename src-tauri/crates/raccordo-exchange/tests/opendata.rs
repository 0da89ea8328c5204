//! The transparency open data on real registers: the office's signed agreements in CSV
//! (read back by Python's csv) and JSON, described by a DCAT-AP_IT record, and not one
//! person's name, e-mail or phone of the register in any file written, even where a
//! text of an agreement holds one.

use chrono::NaiveDate;
use raccordo_exchange::opendata::{self, FILES};
use raccordo_register::{Agreement, Person, Register};
use serde_json::Value;
use std::path::Path;

mod tools;

/// Every person's full name (both ways round), e-mail and phone that some file holds,
/// by plain substring search over the files (of `limit` people: the busiest first).
fn personal_data_in(reg: &Register, dir: &Path, limit: usize) -> Vec<String> {
    let texts: Vec<String> =
        FILES.iter().map(|f| std::fs::read_to_string(dir.join(f)).unwrap().to_lowercase()).collect();
    let mut found = Vec::new();
    let people: Vec<Person> = reg
        .reader()
        .select(
            "SELECT p.* FROM person p LEFT JOIN signature s ON s.person_id = p.id
             GROUP BY p.id ORDER BY count(s.id) DESC LIMIT ?1",
            [limit as i64],
        )
        .unwrap();
    for p in people {
        let words = [
            Some(format!("{} {}", p.given_name, p.family_name)),
            Some(format!("{} {}", p.family_name, p.given_name)),
            p.email.clone(),
            p.phone.clone(),
        ];
        for w in words.into_iter().flatten().filter(|w| w.chars().count() >= 5) {
            if texts.iter().any(|t| t.contains(&w.to_lowercase())) {
                found.push(w);
            }
        }
    }
    found
}

fn office_of(reg: &Register) -> uuid::Uuid {
    reg.settings().office_id.expect("the demo names its office")
}

fn signed_of(reg: &Register, office: uuid::Uuid) -> usize {
    reg.connection()
        .query_row(
            "SELECT count(*) FROM agreement WHERE status IN ('vigente', 'scaduto', 'rinnovato', 'risolto')
               AND id IN (SELECT agreement_id FROM party WHERE administration_id = ?1)",
            [office],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
}

#[test]
fn the_demo_office_s_agreements_are_published_with_dcat_ap_it_and_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    raccordo_demo::build_demo(&mut reg, today).unwrap();
    let office = office_of(&reg);
    // A subject that names a person of the register, as offices sometimes write them.
    let person: Person = reg.reader().select("SELECT * FROM person LIMIT 1", []).unwrap().pop().unwrap();
    let full = format!("{} {}", person.given_name, person.family_name);
    let mut a: Agreement = reg
        .reader()
        .select(
            "SELECT * FROM agreement WHERE status = 'vigente' AND id IN
               (SELECT agreement_id FROM party WHERE administration_id = ?1) LIMIT 1",
            [office],
        )
        .unwrap()
        .pop()
        .expect("the demo office signed an agreement");
    a.subject = format!("{} (firmato per la Prefettura da {full})", a.subject);
    reg.update(a.clone()).unwrap();

    let out = dir.path().join("opendata");
    // DCAT-AP_IT names the publisher by its code: without one, refused, nothing written.
    let mut prefettura: raccordo_register::Administration = reg.reader().require(office).unwrap();
    if prefettura.ipa_code.is_none() && prefettura.fiscal_code.is_none() {
        let e = opendata::publish(&reg.reader(), office, &out, today).unwrap_err();
        assert!(e.message.contains("codice IPA"), "{}", e.message);
        assert!(!out.exists());
        prefettura.ipa_code = Some("m_it".into());
        reg.update(prefettura).unwrap();
    }
    let done = opendata::publish(&reg.reader(), office, &out, today).unwrap();
    assert_eq!(done.agreements, signed_of(&reg, office));
    assert!(done.redacted >= 1);
    assert_eq!(personal_data_in(&reg, &out, usize::MAX >> 2), Vec::<String>::new());

    // The CSV as Italian Excel reads it, through Python's csv.
    let csv = tools::read_with("sheet_read.py", &out.join(FILES[0]));
    let rows = csv["rows"].as_array().unwrap();
    assert_eq!(rows.len(), done.agreements + 1);
    let row = rows.iter().find(|r| r[0] == a.number).unwrap();
    assert!(row[2].as_str().unwrap().contains("[omissis]"), "{row}");

    let json: Value = serde_json::from_str(&std::fs::read_to_string(out.join(FILES[1])).unwrap()).unwrap();
    assert_eq!(json["accordi"].as_array().unwrap().len(), done.agreements);

    // DCAT-AP_IT: a dataset with title, publisher (IPA code), licence, modified date,
    // and a distribution for each file, each pointing at a file that exists.
    let dcat: Value = serde_json::from_str(&std::fs::read_to_string(out.join(FILES[2])).unwrap()).unwrap();
    assert!(dcat["@type"].as_array().unwrap().contains(&Value::from("dcatapit:Dataset")));
    assert!(dcat["dct:title"].as_str().unwrap().contains("Prefettura di Lucca"));
    let office_row: raccordo_register::Administration = reg.reader().require(office).unwrap();
    let id = office_row.ipa_code.clone().or(office_row.fiscal_code.clone()).unwrap();
    assert_eq!(dcat["dct:publisher"]["dct:identifier"], id.as_str());
    assert_eq!(dcat["dct:modified"]["@value"].as_str().unwrap().len(), 10);
    let distributions = dcat["dcat:distribution"].as_array().unwrap();
    assert_eq!(distributions.len(), 2);
    for d in distributions {
        assert_eq!(d["dct:license"]["@id"], "https://creativecommons.org/licenses/by/4.0/");
        assert!(out.join(d["dcat:accessURL"]["@id"].as_str().unwrap()).exists(), "{d}");
    }
}

#[test]
fn the_open_data_of_the_busiest_administration_of_a_10k_register_hold_no_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("10k.raccordo")).unwrap();
    raccordo_demo::generate(&mut reg, 10_000, 7, "G").unwrap();
    let busiest: uuid::Uuid = reg
        .connection()
        .query_row(
            "SELECT administration_id FROM party GROUP BY administration_id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    // The ISTAT directory has no IPA codes: the office types its own.
    let mut office: raccordo_register::Administration = reg.reader().require(busiest).unwrap();
    office.ipa_code = Some("c_d998".into());
    reg.update(office).unwrap();
    let out = dir.path().join("opendata");
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let done = opendata::publish(&reg.reader(), busiest, &out, today).unwrap();
    assert_eq!(done.agreements, signed_of(&reg, busiest));
    assert!(done.agreements > 0);
    assert_eq!(personal_data_in(&reg, &out, 1000), Vec::<String>::new());
}
