//! A signed file against the agreement it is attached to: the sheet Raccordo printed
//! for it (PAdES by pyHanko, CAdES by OpenSSL) is recognised; the same sheet for
//! another agreement, or another document, is not; signers are matched by name
//! against the agreement's signatories, each difference said.

use raccordo_documents::agreement_file;
use raccordo_documents::signed;
use raccordo_register::{Party, Person, Signature, SignatureCapacity, SignatureMethod};

#[path = "support/pki.rs"]
mod pki;
#[path = "support/printed.rs"]
mod printed;
use pki::Pki;

#[test]
fn the_printed_sheet_is_recognised_and_its_signers_matched() {
    let pki = Pki::new();
    let (_dir, mut reg) = printed::demo();
    let (a, sheet) = printed::protocol_pdf(&reg, "2007/1");
    let pades = pki.pades("rossi", &sheet, "Firma1");
    let p7m = pki.cades("rossi", &sheet, &["-certfile", "ca.pem"]);
    for file in [&pades, &p7m] {
        let check = signed::check(file, None).unwrap();
        let m = agreement_file::compare(&reg.reader(), a.id, file, &check).unwrap();
        assert!(m.printed_for_it, "{m:#?}");
        // The demo's signatories signed on paper; Mario Rossi is not one of them.
        assert!(!m.signatories_match);
        assert_eq!(m.problems, ["«Mario Rossi» ha firmato il file, ma non è tra i firmatari di questo protocollo."]);
    }

    // Another agreement's file, and a document Raccordo did not print for this one.
    let check = signed::check(&pades, None).unwrap();
    let (other, _) = printed::protocol_pdf(&reg, "2016/4");
    let m = agreement_file::compare(&reg.reader(), other.id, &pades, &check).unwrap();
    assert!(!m.printed_for_it && m.problems[0].contains("non è la scheda di questo protocollo"), "{m:#?}");
    let minutes = pki.pades("rossi", &printed::minutes_pdf(), "Firma1");
    let check_minutes = signed::check(&minutes, None).unwrap();
    assert!(!agreement_file::compare(&reg.reader(), a.id, &minutes, &check_minutes).unwrap().printed_for_it);

    // Rossi and Bianchi recorded as signing digitally: Rossi matches (the certificate
    // writes "ROSSI MARIO"), Bianchi's signature is missing, by name.
    let party: Vec<Party> = reg.reader().children("agreement_id", a.id).unwrap();
    for (given, family) in [("Mario", "Rossi"), ("Anna", "Bianchi")] {
        let person = reg.create(Person::new(given, family)).unwrap();
        reg.create(Signature {
            id: raccordo_register::ids::new_id(),
            agreement_id: a.id,
            party_id: party[0].id,
            person_id: person.id,
            office_held_id: None,
            capacity: SignatureCapacity::ProTempore,
            delegation_act: None,
            signed_on: None,
            method: SignatureMethod::Pades,
        })
        .unwrap();
    }
    let m = agreement_file::compare(&reg.reader(), a.id, &pades, &check).unwrap();
    assert!(m.printed_for_it && !m.signatories_match);
    assert_eq!(m.problems.len(), 1, "{m:#?}");
    assert!(m.problems[0].starts_with("Manca la firma di «Anna Bianchi» ("), "{m:#?}");
    assert!(m.problems[0].ends_with("prevista con firma digitale per questo protocollo."), "{m:#?}");

    let both = pki.pades("ec", &pades, "Firma2");
    let check = signed::check(&both, None).unwrap();
    assert!(check.all_intact, "{check:#?}");
    // Giulia Neri's certificate is not Anna Bianchi's.
    let m = agreement_file::compare(&reg.reader(), a.id, &both, &check).unwrap();
    assert!(m.problems.iter().any(|p| p.contains("«Giulia Neri» ha firmato")), "{m:#?}");
}
