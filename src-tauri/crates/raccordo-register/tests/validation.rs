//! Rules refused before anything is written, each with its stable code and an Italian
//! message naming the field; a refused write leaves the register exactly as it was.

mod common;
use chrono::NaiveTime;
use common::*;
use raccordo_register::*;

/// Runs a write that must be refused: see `refused_unchanged`.
fn refused<T>(reg: &mut Register, f: impl FnOnce(&mut Writer) -> Result<T>) -> Error {
    refused_unchanged(reg, |r| r.write(f))
}

#[test]
fn administration_codes() {
    let (_d, mut reg) = fresh();
    let mut a = Administration::typed("Comunità montana della Garfagnana", AdministrationKind::UnioneComunita);
    a.fiscal_code = Some("00378210463".into());
    a.ipa_code = Some("CM-Garfagnana".into());
    a.pec = Some("cm.garfagnana@".into());
    a.seat_istat_code = Some("46".into());
    a.website = Some("www.example.it".into());
    let e = refused(&mut reg, |w| w.create(a.clone()));
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(
        codes(&e),
        [
            ("ipa_code".into(), FieldCode::IpaFormat),
            ("fiscal_code".into(), FieldCode::FiscalCodeCheckDigit),
            ("seat_istat_code".into(), FieldCode::IstatFormat),
            ("pec".into(), FieldCode::EmailFormat),
            ("website".into(), FieldCode::UrlFormat),
        ]
    );
    assert_eq!(e.message, "Ente: non salvato, 5 campi da correggere.");
    assert!(e.fields[1].message.starts_with("Codice fiscale: la cifra di controllo non torna"));

    a.fiscal_code = Some("003782104".into());
    let e = refused(&mut reg, |w| w.create(a.clone()));
    assert_eq!(e.fields[1].code, FieldCode::FiscalCodeLength);
    assert_eq!(e.fields[1].message, "Codice fiscale: deve avere 11 cifre (ne ha 9).");

    a.name = "   ".into();
    let e = refused(&mut reg, |w| w.create(a.clone()));
    assert_eq!(
        e.fields[0],
        FieldError {
            field: "name".into(),
            code: FieldCode::Required,
            message: "Denominazione: campo obbligatorio.".into()
        }
    );

    // Tidied, then valid: spaces trimmed, codes in their case.
    let mut ok = Administration::typed("  Comunità montana della Garfagnana ", AdministrationKind::UnioneComunita);
    ok.fiscal_code = Some(" 00378210462 ".into());
    ok.ipa_code = Some("CM_GARF".into());
    let ok = reg.create(ok).unwrap();
    assert_eq!((ok.name.as_str(), ok.ipa_code.as_deref()), ("Comunità montana della Garfagnana", Some("cm_garf")));

    let mut twin = Administration::typed("Altro ente", AdministrationKind::Altro);
    twin.fiscal_code = Some("00378210462".into());
    let e = refused(&mut reg, |w| w.create(twin.clone()));
    assert_eq!(codes(&e), [("fiscal_code".into(), FieldCode::Duplicate)]);
    assert!(e.fields[0].message.contains("Comunità montana della Garfagnana"), "{}", e.fields[0].message);
}

#[test]
fn agreement_dates_and_status() {
    let (_d, mut reg) = fresh();
    let mut a = Agreement::draft("2007/12", "Protocollo");
    a.signed_on = Some(date("2007-12-22"));
    a.expires_on = Some(date("2007-12-01"));
    let e = refused(&mut reg, |w| w.create(a.clone()));
    assert_eq!(codes(&e), [("expires_on".into(), FieldCode::DateOrder)]);
    assert_eq!(e.fields[0].message, "Scadenza (1 dicembre 2007) precedente alla sottoscrizione (22 dicembre 2007).");
    let mut b = Agreement::draft("", "");
    b.status = AgreementStatus::Vigente;
    b.duration_months = Some(0);
    let e = refused(&mut reg, |w| w.create(b.clone()));
    assert_eq!(
        codes(&e),
        [
            ("number".into(), FieldCode::Required),
            ("subject".into(), FieldCode::Required),
            ("duration_months".into(), FieldCode::OutOfRange),
            ("signed_on".into(), FieldCode::Required),
        ]
    );
    signed_agreement(&mut reg, "2007/12");
    let e = refused(&mut reg, |w| w.create(Agreement::draft("2007/12", "Doppione")));
    assert_eq!(codes(&e), [("number".into(), FieldCode::Duplicate)]);
}

#[test]
fn adhesions_cannot_precede_the_signature_nor_follow_their_act() {
    let (_d, mut reg) = fresh();
    let (a, _, p2) = signed_agreement(&mut reg, "2007/12");
    let mut early = p2.clone();
    early.adhered_on = Some(date("2007-12-01"));
    let e = refused(&mut reg, |w| w.update(early.clone()));
    assert_eq!(codes(&e), [("adhered_on".into(), FieldCode::DateOrder)]);
    assert_eq!(
        e.fields[0].message,
        "Data di adesione (1 dicembre 2007) precedente alla sottoscrizione del protocollo (22 dicembre 2007)."
    );
    let mut late_act = p2.clone();
    late_act.adhered_on = Some(date("2008-02-01"));
    late_act.act_date = Some(date("2008-03-01"));
    let e = refused(&mut reg, |w| w.update(late_act.clone()));
    assert_eq!(codes(&e), [("adhered_on".into(), FieldCode::DateOrder)]);
    // Moving the signature after an existing adhesion is refused too.
    let mut later = a.clone();
    later.signed_on = Some(date("2008-01-15"));
    let e = refused(&mut reg, |w| w.update(later.clone()));
    assert_eq!(codes(&e), [("signed_on".into(), FieldCode::DateOrder)]);
    // The same administration cannot be a party twice.
    let e = refused(&mut reg, |w| w.create(Party::new(a.id, p2.administration_id, PartyRole::Aderente)));
    assert_eq!(codes(&e), [("administration_id".into(), FieldCode::Duplicate)]);
}

#[test]
fn links_to_missing_records_are_named() {
    let (_d, mut reg) = fresh();
    let missing = ids::new_id();
    let e = refused(&mut reg, |w| w.create(Party::new(missing, missing, PartyRole::Aderente)));
    assert_eq!(
        codes(&e),
        [("agreement_id".into(), FieldCode::LinkMissing), ("administration_id".into(), FieldCode::LinkMissing)]
    );
    assert_eq!(e.fields[0].message, "Protocollo: non esiste nel registro.");
    let mut p = Project::new("Portale");
    p.lead_administration_id = Some(missing);
    let e = refused(&mut reg, |w| w.create(p.clone()));
    assert_eq!(codes(&e), [("lead_administration_id".into(), FieldCode::LinkMissing)]);
}

#[test]
fn a_record_deleted_earlier_in_the_same_write_is_missing_for_a_later_link() {
    // The writer remembers, for one transaction, which records it has seen: a delete
    // must make it forget them.
    let (_d, mut reg) = fresh();
    let lucca = admin(&reg, "Comune di Lucca");
    let e = refused(&mut reg, |w| {
        let a = w.create(Agreement::draft("2026/1", "Protocollo per i servizi on line"))?;
        w.create(Party::new(a.id, lucca, PartyRole::Capofila))?;
        w.delete(Kind::Agreement, a.id)?;
        w.create(Party::new(a.id, lucca, PartyRole::Aderente))
    });
    assert_eq!(codes(&e), [("agreement_id".into(), FieldCode::LinkMissing)]);
}

#[test]
fn signatures_fit_their_party_office_and_delegation() {
    let (_d, mut reg) = fresh();
    let (a, p1, _) = signed_agreement(&mut reg, "2007/12");
    let (other, ..) = signed_agreement_numbered(&mut reg);
    let prefettura = admin(&reg, "Prefettura di Lucca");
    let (aronica, someone, office) = reg
        .write(|w| {
            let p = w.create(Person::new("Carmelo", "Aronica"))?;
            let s = w.create(Person::new("Altra", "Persona"))?;
            let o = w.create(OfficeHeld {
                id: ids::new_id(),
                person_id: p.id,
                administration_id: prefettura,
                title: "Prefetto".into(),
                from_date: Some(date("2008-01-01")),
                to_date: None,
            })?;
            Ok((p, s, o))
        })
        .unwrap();
    let sig = Signature {
        id: ids::new_id(),
        agreement_id: other.id,
        party_id: p1.id,
        person_id: someone.id,
        office_held_id: Some(office.id),
        capacity: SignatureCapacity::Delegation,
        delegation_act: None,
        signed_on: Some(date("2007-12-22")),
        method: SignatureMethod::Pades,
    };
    let e = refused(&mut reg, |w| w.create(sig.clone()));
    assert_eq!(
        codes(&e),
        [
            ("delegation_act".into(), FieldCode::Required),
            ("party_id".into(), FieldCode::LinkMismatch),
            ("office_held_id".into(), FieldCode::LinkMismatch),
            ("office_held_id".into(), FieldCode::DateOrder),
        ]
    );
    assert_eq!(e.fields[3].message, "Carica: il 22 dicembre 2007 la persona non ricopriva «Prefetto».");
    let ok = Signature {
        agreement_id: a.id,
        person_id: aronica.id,
        capacity: SignatureCapacity::ProTempore,
        signed_on: Some(date("2008-01-10")),
        ..sig
    };
    reg.create(ok).unwrap();
}

fn signed_agreement_numbered(reg: &mut Register) -> (Agreement, Party, Party) {
    let lucca = admin(reg, "Comune di Capannori");
    let pref = admin(reg, "Provincia di Lucca");
    reg.write(|w| {
        let a = w.create(Agreement::draft("2008/1", "Altro protocollo"))?;
        let p1 = w.create(Party::new(a.id, pref, PartyRole::Capofila))?;
        let p2 = w.create(Party::new(a.id, lucca, PartyRole::Aderente))?;
        Ok((a, p1, p2))
    })
    .unwrap()
}

fn meeting_with(reg: &mut Register, present: usize) -> (Agreement, Meeting, Vec<Person>) {
    let (a, ..) = signed_agreement(reg, "2007/12");
    reg.write(|w| {
        let m = w.create(Meeting {
            starts_at: NaiveTime::from_hms_opt(10, 0, 0),
            ends_at: NaiveTime::from_hms_opt(12, 0, 0),
            ..Meeting::new(a.id, None, 1, date("2008-03-04"))
        })?;
        let mut people = Vec::new();
        for i in 0..present {
            let p = w.create(Person::new("Componente", &format!("N{i}")))?;
            w.create(Attendance::new(m.id, p.id, Presence::Present))?;
            people.push(p);
        }
        Ok((a, m, people))
    })
    .unwrap()
}

#[test]
fn meetings_end_after_they_start_and_minutes_are_approved_later() {
    let (_d, mut reg) = fresh();
    let (_, m, _) = meeting_with(&mut reg, 0);
    let mut bad = m.clone();
    bad.ends_at = NaiveTime::from_hms_opt(9, 0, 0);
    bad.convened_on = Some(date("2008-03-10"));
    bad.minutes_status = MinutesStatus::Approvato;
    bad.number = 0;
    let e = refused(&mut reg, |w| w.update(bad.clone()));
    assert_eq!(
        codes(&e),
        [
            ("number".into(), FieldCode::OutOfRange),
            ("ends_at".into(), FieldCode::DateOrder),
            ("date".into(), FieldCode::DateOrder),
            ("minutes_approved_on".into(), FieldCode::Required),
        ]
    );
    assert_eq!(e.fields[1].message, "Ora di chiusura precedente all'ora di inizio della seduta.");
}

#[test]
fn a_vote_cannot_count_more_voters_than_were_present() {
    let (_d, mut reg) = fresh();
    let (_, m, people) = meeting_with(&mut reg, 3);
    let item = AgendaItem {
        decision: Some("Approvato".into()),
        vote: VoteKind::Counted,
        votes_for: Some(3),
        votes_against: Some(1),
        abstained: Some(0),
        ..AgendaItem::new(m.id, 1, "Approvazione del piano")
    };
    let e = refused(&mut reg, |w| w.create(item.clone()));
    assert_eq!(codes(&e), [("votes_for".into(), FieldCode::VoteExceedsPresent)]);
    assert_eq!(
        e.fields[0].message,
        "Votazione: 4 voti espressi, ma i presenti (anche per delega) sono 3. Controlla i numeri o le presenze."
    );
    let partial = AgendaItem { votes_against: None, ..item.clone() };
    let e = refused(&mut reg, |w| w.create(partial.clone()));
    assert_eq!(codes(&e), [("votes_for".into(), FieldCode::VoteIncomplete)]);
    let item = reg.create(AgendaItem { votes_for: Some(1), ..item }).unwrap();
    assert_eq!(item.position, 1);
    // Removing attendance below the votes cast is refused, by update or by delete.
    let att: Vec<Attendance> = reg.reader().children("meeting_id", m.id).unwrap();
    let mut absent = att[0].clone();
    absent.presence = Presence::Absent;
    reg.update(absent).unwrap();
    let mut absent2 = att[1].clone();
    absent2.presence = Presence::AbsentJustified;
    let e = refused(&mut reg, |w| w.update(absent2.clone()));
    assert_eq!(codes(&e), [("presence".into(), FieldCode::VoteExceedsPresent)]);
    let e = refused(&mut reg, |w| w.delete(Kind::Attendance, att[2].id));
    assert_eq!(codes(&e), [("presence".into(), FieldCode::VoteExceedsPresent)]);
    let _ = people;
}

#[test]
fn attendance_delegation_rules() {
    let (_d, mut reg) = fresh();
    let (_, m, people) = meeting_with(&mut reg, 1);
    let p = reg.create(Person::new("Nuovo", "Componente")).unwrap();
    let att = Attendance::new(m.id, p.id, Presence::Represented);
    let e = refused(&mut reg, |w| w.create(att.clone()));
    assert_eq!(codes(&e), [("delegate_id".into(), FieldCode::Required)]);
    let absent = Attendance {
        presence: Presence::Absent,
        delegate_id: Some(people[0].id),
        joined_at: NaiveTime::from_hms_opt(10, 30, 0),
        ..att.clone()
    };
    let e = refused(&mut reg, |w| w.create(absent.clone()));
    assert_eq!(codes(&e), [("delegate_id".into(), FieldCode::NotAllowed), ("joined_at".into(), FieldCode::NotAllowed)]);
    let twice = Attendance { person_id: people[0].id, presence: Presence::Present, ..att.clone() };
    let e = refused(&mut reg, |w| w.create(twice.clone()));
    assert_eq!(codes(&e), [("person_id".into(), FieldCode::Duplicate)]);
}

#[test]
fn projects_cup_cig_progress_and_funding() {
    let (_d, mut reg) = fresh();
    let mut p = Project::new("Portale unico");
    p.cup = Some("J51B2100500000".into());
    p.cig = Some("12345".into());
    p.progress_percent = 120;
    p.starts_on = Some(date("2024-01-01"));
    p.ends_on = Some(date("2023-01-01"));
    let e = refused(&mut reg, |w| w.create(p.clone()));
    assert_eq!(
        codes(&e),
        [
            ("cup".into(), FieldCode::CupFormat),
            ("cig".into(), FieldCode::CigFormat),
            ("progress_percent".into(), FieldCode::OutOfRange),
            ("ends_on".into(), FieldCode::DateOrder),
        ]
    );
    assert_eq!(e.fields[0].message, "CUP: deve avere 15 caratteri (ne ha 14).");
    p.cup = Some("j51b21005000006".into());
    p.cig = None;
    p.progress_percent = 30;
    p.ends_on = None;
    let p = reg.create(p).unwrap();
    assert_eq!(p.cup.as_deref(), Some("J51B21005000006"));
    let line = FundingLine {
        id: ids::new_id(),
        project_id: p.id,
        source: FundingSource::Fesr,
        measure: None,
        amount_cents: 0,
        act: None,
    };
    let e = refused(&mut reg, |w| w.create(line.clone()));
    assert_eq!(codes(&e), [("amount_cents".into(), FieldCode::OutOfRange)]);
    let mut twin = Project::new("Altro progetto");
    twin.cup = p.cup.clone();
    let e = refused(&mut reg, |w| w.create(twin.clone()));
    assert_eq!(codes(&e), [("cup".into(), FieldCode::Duplicate)]);
}

#[test]
fn a_batch_that_fails_half_way_leaves_nothing() {
    let (_d, mut reg) = fresh();
    let before = dump(&reg);
    let e = reg
        .write(|w| {
            w.create(Person::new("Prima", "Persona"))?;
            w.create(Agreement::draft("2009/1", "Valido"))?;
            w.create(Person::new("", "Senza nome"))
        })
        .unwrap_err();
    assert_eq!(codes(&e), [("given_name".into(), FieldCode::Required)]);
    assert_eq!(dump(&reg), before);
    // And the register goes on working, with its chain intact.
    reg.create(Person::new("Dopo", "Errore")).unwrap();
    audit::verify(reg.connection()).unwrap().into_result().unwrap();
}

#[test]
fn errors_serialise_with_code_message_and_fields() {
    let (_d, mut reg) = fresh();
    let e = reg.create(Person::new("", "Rossi")).unwrap_err();
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "code": "validation",
            "message": "Persona: non salvato, un campo da correggere. Nome: campo obbligatorio.",
            "fields": [{ "field": "given_name", "code": "required", "message": "Nome: campo obbligatorio." }]
        })
    );
}
