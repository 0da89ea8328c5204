//! Documents as Raccordo prints them for signature, from the demo register: the files
//! the signed-file tests start from.

#![allow(dead_code)]

use raccordo_documents::{Documents, Request};
use raccordo_register::{Agreement, Meeting, Register};

/// The demo register, in a folder of its own.
pub fn demo() -> (tempfile::TempDir, Register) {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    raccordo_demo::build_demo(&mut reg, chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
    (dir, reg)
}

fn at() -> chrono::DateTime<chrono::Utc> {
    "2026-11-24T09:30:00Z".parse().unwrap()
}

/// The minutes of the demo's first meeting: the file an office sends out for signature.
pub fn minutes_pdf() -> Vec<u8> {
    let (_dir, reg) = demo();
    let m: Vec<Meeting> = reg.reader().select("SELECT * FROM meeting ORDER BY date LIMIT 1", []).unwrap();
    Documents::new(None).make(&reg, &Request::Minutes { meeting_id: m[0].id }, at()).unwrap().pdf
}

/// The sheet of the agreement numbered `number`, as printed for its signatories.
pub fn protocol_pdf(reg: &Register, number: &str) -> (Agreement, Vec<u8>) {
    let a: Vec<Agreement> = reg.reader().select("SELECT * FROM agreement WHERE number = ?1", [number]).unwrap();
    let a = a.into_iter().next().expect("the demo's agreement");
    let pdf = Documents::new(None).make(reg, &Request::Protocol { agreement_id: a.id }, at()).unwrap().pdf;
    (a, pdf)
}

/// The sheet of `agreement_id` as printed for signature, after recording `given
/// family` as its signatory signing digitally (for a party on the register's first
/// administration when the agreement has none).
pub fn sheet_signed_by(reg: &mut Register, agreement_id: uuid::Uuid, given: &str, family: &str) -> Vec<u8> {
    use raccordo_register::{Administration, Party, PartyRole, Person, Signature, SignatureCapacity, SignatureMethod};
    let parties: Vec<Party> = reg.reader().children("agreement_id", agreement_id).unwrap();
    let party = match parties.into_iter().next() {
        Some(p) => p,
        None => {
            let first: Vec<Administration> =
                reg.reader().select("SELECT * FROM administration ORDER BY name LIMIT 1", []).unwrap();
            reg.create(Party::new(agreement_id, first[0].id, PartyRole::Promotore)).unwrap()
        }
    };
    let person = reg.create(Person::new(given, family)).unwrap();
    reg.create(Signature {
        id: raccordo_register::ids::new_id(),
        agreement_id,
        party_id: party.id,
        person_id: person.id,
        office_held_id: None,
        capacity: SignatureCapacity::ProTempore,
        delegation_act: None,
        signed_on: None,
        method: SignatureMethod::Cades,
    })
    .unwrap();
    Documents::new(None).make(reg, &Request::Protocol { agreement_id }, at()).unwrap().pdf
}
