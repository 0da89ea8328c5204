//! Every record of the register: create, read, update, delete, list, and the links
//! between them.

// Amounts in cents are grouped as euros and cents: `250_000_00` is € 250.000,00.
#![allow(clippy::inconsistent_digit_grouping)]

mod common;
use chrono::NaiveTime;
use common::*;
use raccordo_register::*;
use uuid::Uuid;

/// One record of every kind, linked as in real life. Returns the ids by kind.
fn one_of_each(reg: &mut Register) -> std::collections::BTreeMap<Kind, Uuid> {
    let lucca = admin(reg, "Comune di Lucca");
    let prefettura = admin(reg, "Prefettura di Lucca");
    let mut ids = std::collections::BTreeMap::new();
    reg.write(|w| {
        let mut ente = Administration::typed(
            "Unione dei comuni della Media Valle del Serchio",
            AdministrationKind::UnioneComunita,
        );
        ente.fiscal_code = Some("00378210462".into());
        ente.ipa_code = Some("ucmvs".into());
        ente.pec = Some("unione@pec.example.it".into());
        let ente = w.create(ente)?;
        ids.insert(Kind::Administration, ente.id);
        let mut p = Person::new("Carmelo", "Aronica");
        p.email = Some("prefetto@example.it".into());
        let p = w.create(p)?;
        ids.insert(Kind::Person, p.id);
        let delegate = w.create(Person::new("Anna", "Delegata"))?;
        let office = w.create(OfficeHeld {
            id: ids::new_id(),
            person_id: p.id,
            administration_id: prefettura,
            title: "Prefetto".into(),
            from_date: Some(date("2006-01-01")),
            to_date: Some(date("2009-12-31")),
        })?;
        ids.insert(Kind::OfficeHeld, office.id);
        let mut a = Agreement::draft("2007/12", "Protocollo d'intesa sull'amministrazione digitale");
        a.signed_on = Some(date("2007-12-22"));
        a.expires_on = Some(date("2010-12-22"));
        a.status = AgreementStatus::Vigente;
        a.objectives = vec!["Coordinare i piani".into(), "Condividere le esperienze".into()];
        let a = w.create(a)?;
        ids.insert(Kind::Agreement, a.id);
        let mut party = Party::new(a.id, prefettura, PartyRole::Capofila);
        party.adhered_on = Some(date("2007-12-22"));
        party.act_kind = Some("Decreto".into());
        party.act_number = Some("12".into());
        party.act_date = Some(date("2007-12-10"));
        party.contact_person_id = Some(p.id);
        let party = w.create(party)?;
        ids.insert(Kind::Party, party.id);
        w.create(Party::new(a.id, lucca, PartyRole::Promotore))?;
        let s = w.create(Signature {
            id: ids::new_id(),
            agreement_id: a.id,
            party_id: party.id,
            person_id: p.id,
            office_held_id: Some(office.id),
            capacity: SignatureCapacity::ProTempore,
            delegation_act: None,
            signed_on: Some(date("2007-12-22")),
            method: SignatureMethod::Autografa,
        })?;
        ids.insert(Kind::Signature, s.id);
        let c = w.create(Commitment {
            id: ids::new_id(),
            agreement_id: a.id,
            party_id: Some(party.id),
            description: "Coordinare il tavolo".into(),
            due_on: Some(date("2008-06-30")),
            status: WorkStatus::InCorso,
        })?;
        ids.insert(Kind::Commitment, c.id);
        let t = w.create(ThematicTable {
            id: ids::new_id(),
            agreement_id: a.id,
            theme: "Servizi in rete".into(),
            coordinator_id: Some(p.id),
            opened_on: Some(date("2008-01-10")),
            closed_on: None,
        })?;
        ids.insert(Kind::ThematicTable, t.id);
        let m = w.create(TableMember {
            id: ids::new_id(),
            table_id: t.id,
            person_id: p.id,
            administration_id: prefettura,
            role: MemberRole::Coordinatore,
        })?;
        ids.insert(Kind::TableMember, m.id);
        let meeting = w.create(Meeting {
            id: ids::new_id(),
            agreement_id: a.id,
            table_id: Some(t.id),
            number: 1,
            convened_by_id: Some(p.id),
            convened_on: Some(date("2008-02-01")),
            date: date("2008-02-15"),
            starts_at: NaiveTime::from_hms_opt(10, 0, 0),
            ends_at: NaiveTime::from_hms_opt(12, 0, 0),
            place: Some("Prefettura di Lucca".into()),
            online_link: Some("https://riunioni.example.it/tavolo".into()),
            agenda_note: None,
            chair_id: Some(p.id),
            secretary_id: None,
            minutes_status: MinutesStatus::Bozza,
            minutes_approved_on: None,
            minutes_approved_at_id: None,
        })?;
        ids.insert(Kind::Meeting, meeting.id);
        for (person, presence, delegate) in
            [(p.id, Presence::Present, None), (delegate.id, Presence::Represented, Some(p.id))]
        {
            let att = w.create(Attendance {
                id: ids::new_id(),
                meeting_id: meeting.id,
                person_id: person,
                administration_id: Some(prefettura),
                presence,
                delegate_id: delegate,
                joined_at: None,
                left_at: None,
            })?;
            ids.insert(Kind::Attendance, att.id);
        }
        let item = w.create(AgendaItem {
            id: ids::new_id(),
            meeting_id: meeting.id,
            position: 1,
            title: "Approvazione del piano".into(),
            rapporteur_id: Some(p.id),
            discussion: Some("Ampia discussione sulla città digitale.".into()),
            decision: Some("Il piano è approvato.".into()),
            vote: VoteKind::Counted,
            votes_for: Some(2),
            votes_against: Some(0),
            abstained: Some(0),
        })?;
        ids.insert(Kind::AgendaItem, item.id);
        let action = w.create(Action {
            id: ids::new_id(),
            agreement_id: a.id,
            meeting_id: Some(meeting.id),
            owner_id: Some(p.id),
            description: "Inviare il piano agli enti".into(),
            due_on: Some(date("2008-03-01")),
            status: WorkStatus::DaAvviare,
            done_on: None,
        })?;
        ids.insert(Kind::Action, action.id);
        let mut project = Project::new("Portale dei servizi");
        project.cup = Some("J51B21005000006".into());
        project.cig = Some("Z1A2B3C4D5".into());
        project.lead_administration_id = Some(prefettura);
        project.agreement_id = Some(a.id);
        project.table_id = Some(t.id);
        project.status = ProjectStatus::InCorso;
        let project = w.create(project)?;
        ids.insert(Kind::Project, project.id);
        let pp = w.create(ProjectPartner {
            id: ids::new_id(),
            project_id: project.id,
            administration_id: lucca,
            role: Some("partner tecnico".into()),
        })?;
        ids.insert(Kind::ProjectPartner, pp.id);
        let f = w.create(FundingLine {
            id: ids::new_id(),
            project_id: project.id,
            source: FundingSource::Pnrr,
            measure: Some("M1C1 Inv. 1.4".into()),
            amount_cents: 250_000_00,
            act: Some("Decreto n. 12/2023".into()),
        })?;
        ids.insert(Kind::FundingLine, f.id);
        let ms = w.create(Milestone {
            id: ids::new_id(),
            project_id: project.id,
            title: "Collaudo".into(),
            planned_on: Some(date("2024-06-30")),
            actual_on: None,
        })?;
        ids.insert(Kind::Milestone, ms.id);
        let att =
            w.attach(Kind::Agreement, a.id, "protocollo-firmato.pdf", "application/pdf", b"%PDF-1.7 firmato", None)?;
        ids.insert(Kind::Attachment, att.id);
        Ok(())
    })
    .unwrap();
    ids
}

#[test]
fn every_kind_is_created_read_and_listed() {
    let (_d, mut reg) = fresh();
    let ids = one_of_each(&mut reg);
    assert_eq!(ids.len(), Kind::ALL.len(), "one record of every kind");
    let r = reg.reader();
    for (kind, id) in &ids {
        assert!(r.exists(*kind, *id).unwrap(), "{kind:?}");
        let title = title_of(&r, *kind, *id).unwrap().unwrap();
        assert!(!title.is_empty(), "{kind:?} has a title");
    }
    let a: Agreement = r.require(ids[&Kind::Agreement]).unwrap();
    assert_eq!(a.objectives, ["Coordinare i piani", "Condividere le esperienze"]);
    let parties: Vec<Party> = r.children("agreement_id", a.id).unwrap();
    assert_eq!(parties.len(), 2);
    let funding: Vec<FundingLine> = r.children("project_id", ids[&Kind::Project]).unwrap();
    assert_eq!(funding[0].amount_cents, 250_000_00);
    let att: Attachment = r.require(ids[&Kind::Attachment]).unwrap();
    assert_eq!(att.sha256.len(), 64);
    assert_eq!(att.size, 16);
    for kind in [Kind::Agreement, Kind::Meeting, Kind::Project, Kind::Person] {
        assert!(!query::titles(&r, kind).unwrap().is_empty(), "{kind:?}");
    }
}

#[test]
fn an_update_writes_only_what_changed() {
    let (_d, mut reg) = fresh();
    let ids = one_of_each(&mut reg);
    let mut a: Agreement = reg.reader().require(ids[&Kind::Agreement]).unwrap();
    let changes_before = reg.reader().count_rows("journal").unwrap();
    a.subject = "Protocollo d'intesa sull'amministrazione digitale, testo aggiornato".into();
    a.themes = vec!["open data".into()];
    reg.update(a.clone()).unwrap();
    let again: Agreement = reg.reader().require(a.id).unwrap();
    assert_eq!(again, a);
    let last = changelog::since(reg.connection(), 0, 100_000).unwrap().pop().unwrap();
    let fields: Vec<&String> = last.fields.as_ref().unwrap().keys().collect();
    assert_eq!(fields, ["subject", "themes"]);
    // Saving the same record again changes nothing and logs nothing.
    reg.update(a).unwrap();
    assert_eq!(reg.reader().count_rows("journal").unwrap(), changes_before + 1);
    let history = audit::history(reg.connection(), last.record_id).unwrap();
    assert_eq!(history.last().unwrap().op, "update");
    assert_eq!(history.last().unwrap().before["subject"], "Protocollo d'intesa sull'amministrazione digitale");
}

#[test]
fn every_field_has_the_clock_of_its_last_write() {
    let (_d, mut reg) = fresh();
    let site = reg.settings().site_id;
    let a = reg.create(Agreement::draft("2007/12", "Protocollo")).unwrap();
    let created = changelog::since(reg.connection(), 0, 10).unwrap()[0].hlc;
    let mut b = a.clone();
    b.subject = "Protocollo rivisto".into();
    reg.update(b).unwrap();
    let updated = changelog::since(reg.connection(), 0, 10).unwrap()[1].hlc;
    assert!(updated > created);
    let clocks = changelog::field_clocks(reg.connection(), a.id).unwrap();
    assert_eq!(clocks["subject"], (updated, site));
    assert_eq!(clocks["number"], (created, site));
    assert!(!clocks.contains_key("premises"), "an empty field was never set");
}

#[test]
fn deleting_an_agreement_deletes_what_belongs_to_it_once_nothing_else_refers_to_it() {
    let (_d, mut reg) = fresh();
    let ids = one_of_each(&mut reg);
    let agreement = ids[&Kind::Agreement];
    // The project refers to the agreement (and its table) without belonging to it.
    let e = reg.delete(Kind::Agreement, agreement).unwrap_err();
    assert_eq!(e.code, ErrorCode::InUse);
    assert!(e.message.contains("1 progetti"), "{}", e.message);
    assert!(reg.reader().exists(Kind::Agreement, agreement).unwrap());

    let removed_project = reg.delete(Kind::Project, ids[&Kind::Project]).unwrap();
    assert_eq!(removed_project, 4, "project, partner, funding line, milestone");
    let removed = reg.delete(Kind::Agreement, agreement).unwrap();
    // agreement, 2 parties, signature, commitment, table, member, meeting,
    // 2 attendances, agenda item, action, attachment
    assert_eq!(removed, 13);
    for kind in [Kind::Agreement, Kind::Party, Kind::Meeting, Kind::AgendaItem, Kind::Attachment] {
        assert!(!reg.reader().exists(kind, ids[&kind]).unwrap(), "{kind:?} gone");
    }
    // People and administrations are referred to, never owned: they stay.
    assert!(reg.reader().exists(Kind::Person, ids[&Kind::Person]).unwrap());
    // Tombstones: the ids are remembered and never come back.
    let tomb: i64 = reg.reader().query_one("SELECT count(*) FROM tombstone", []).unwrap().unwrap();
    assert_eq!(tomb, 17);
    let mut again = Agreement::draft("2007/99", "Ritorno");
    again.id = agreement;
    let e = reg.create(again).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadRequest);
    assert!(search::search(&reg.reader(), "città digitale", &[], 10).unwrap().is_empty(), "unindexed");
    audit::verify(reg.connection()).unwrap().into_result().unwrap();
}

#[test]
fn an_id_already_in_the_register_is_refused() {
    let (_d, mut reg) = fresh();
    let p = reg.create(Person::new("Luca", "Leone")).unwrap();
    let before = dump(&reg);
    let e =
        reg.create(Person::new("Altro", "Nome")).map(|_| ()).and_then(|_| reg.create(p.clone()).map(drop)).unwrap_err();
    assert_eq!(e.code, ErrorCode::BadRequest);
    assert_eq!(e.message, "Persona: esiste già un record con questo identificativo.");
    assert_ne!(dump(&reg), before, "the other person was saved");
    assert_eq!(reg.reader().count(Kind::Person).unwrap(), 2);
}

#[test]
fn a_person_in_use_cannot_be_deleted() {
    let (_d, mut reg) = fresh();
    let ids = one_of_each(&mut reg);
    let before = dump(&reg);
    let e = reg.delete(Kind::Person, ids[&Kind::Person]).unwrap_err();
    assert_eq!(e.code, ErrorCode::InUse);
    assert!(e.message.starts_with("Persona: non eliminato"), "{}", e.message);
    assert_eq!(dump(&reg), before);
    let e = reg.delete(Kind::Person, ids::new_id()).unwrap_err();
    assert_eq!(e.code, ErrorCode::NotFound);
}

#[test]
fn attachments_keep_one_copy_per_content() {
    let (_d, mut reg) = fresh();
    let ids = one_of_each(&mut reg);
    let project = ids[&Kind::Project];
    let a2 = reg
        .write(|w| w.attach(Kind::Project, project, "copia.pdf", "application/pdf", b"%PDF-1.7 firmato", None))
        .unwrap();
    let a1: Attachment = reg.reader().require(ids[&Kind::Attachment]).unwrap();
    assert_eq!(a1.sha256, a2.sha256);
    assert_eq!(reg.reader().count_rows("blob").unwrap(), 1);
    let e = reg.write(|w| w.attach(Kind::Meeting, ids::new_id(), "x.pdf", "application/pdf", b"x", None)).unwrap_err();
    assert_eq!(codes(&e), [("owner_id".to_string(), FieldCode::LinkMissing)]);
    assert_eq!(reg.reader().count_rows("blob").unwrap(), 1, "the refused file's bytes are not kept");
}

#[test]
fn the_agreement_list_sorts_by_expiry_and_filters() {
    let (_d, mut reg) = fresh();
    let lucca = admin(&reg, "Comune di Lucca");
    let pisa = admin(&reg, "Comune di Pisa");
    let today = date("2026-11-24");
    reg.write(|w| {
        for (n, expires, status, who) in [
            ("A/1", Some("2027-01-10"), AgreementStatus::Vigente, lucca),
            ("A/2", None, AgreementStatus::Vigente, lucca),
            ("A/3", Some("2026-12-01"), AgreementStatus::Vigente, pisa),
            ("A/4", Some("2030-01-01"), AgreementStatus::Scaduto, lucca),
        ] {
            let mut a = Agreement::draft(n, &format!("Protocollo {n} sulla città digitale"));
            a.signed_on = Some(date("2020-01-01"));
            a.expires_on = expires.map(date);
            a.status = status;
            let a = w.create(a)?;
            w.create(Party::new(a.id, who, PartyRole::Promotore))?;
        }
        Ok(())
    })
    .unwrap();
    let r = reg.reader();
    let numbers = |f: &query::AgreementFilter| -> Vec<String> {
        query::agreements(&r, f, query::AgreementSort::Expiry, today, 0, 50)
            .unwrap()
            .rows
            .into_iter()
            .map(|a| a.number)
            .collect()
    };
    assert_eq!(numbers(&Default::default()), ["A/3", "A/1", "A/4", "A/2"]);
    let f = query::AgreementFilter {
        status: Some(AgreementStatus::Vigente),
        administration_id: Some(lucca),
        ..Default::default()
    };
    assert_eq!(numbers(&f), ["A/1", "A/2"]);
    let f = query::AgreementFilter { expiring_within_days: Some(90), ..Default::default() };
    assert_eq!(numbers(&f), ["A/3", "A/1"]);
    let f = query::AgreementFilter {
        text: Some("citta digitale".into()),
        kind: Some(AgreementKind::ProtocolloIntesa),
        ..Default::default()
    };
    assert_eq!(numbers(&f).len(), 4);
    let page = query::agreements(&r, &Default::default(), query::AgreementSort::Number, today, 1, 2).unwrap();
    assert_eq!((page.total, page.rows.len(), page.rows[0].number.as_str()), (4, 2, "A/2"));
    assert_eq!(
        query::agreements(&r, &Default::default(), query::AgreementSort::Number, today, 0, 0).unwrap_err().code,
        ErrorCode::BadRequest
    );
}

#[test]
fn settings_name_the_office_and_the_user() {
    let (_d, mut reg) = fresh();
    let prefettura = admin(&reg, "Prefettura di Lucca");
    let e = reg.set_settings(Some(ids::new_id()), " ").unwrap_err();
    assert_eq!(
        codes(&e),
        [("user_name".to_string(), FieldCode::Required), ("office_id".to_string(), FieldCode::LinkMissing)]
    );
    let s = reg.set_settings(Some(prefettura), "Maria Rossi").unwrap();
    assert_eq!((s.office_id, s.user_name.as_str()), (Some(prefettura), "Maria Rossi"));
    let p = reg.create(Person::new("Luca", "Leone")).unwrap();
    let h = audit::history(reg.connection(), p.id).unwrap();
    assert_eq!(h[0].actor, "Maria Rossi");
    assert_eq!(h[0].office_id.as_deref(), Some(prefettura.to_string().as_str()));
    let path = reg.path().to_owned();
    drop(reg);
    let reg = Register::open(&path).unwrap();
    assert_eq!(reg.settings().user_name, "Maria Rossi");
}

#[test]
fn titles_of_parties_signatures_members_and_attendance_are_italian() {
    // Titles are what the history and the dashboard's latest changes show.
    let any = ids::new_id();
    assert_eq!(Party::new(any, any, PartyRole::Capofila).title(), "Capofila");
    assert_eq!(Attendance::new(any, any, Presence::Present).title(), "Presente");
    let member =
        TableMember { id: any, table_id: any, person_id: any, administration_id: any, role: MemberRole::Segreteria };
    assert_eq!(member.title(), "Segreteria");
    let signature = Signature {
        id: any,
        agreement_id: any,
        party_id: any,
        person_id: any,
        office_held_id: None,
        capacity: SignatureCapacity::ProTempore,
        delegation_act: None,
        signed_on: None,
        method: SignatureMethod::Pades,
    };
    assert_eq!(signature.title(), "Firma digitale PAdES");
}
