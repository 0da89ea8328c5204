//! Merging the changes of other offices: field by field, the last writer wins; a
//! concurrent different value is kept as a conflict every site sees alike; deletes
//! win and what they cut off is shown; colliding keys keep both records; a clock far
//! ahead is held back. And, as a property over random schedules of edits and
//! exchanges (lost, repeated, reordered), every site ends with the same records and
//! the same conflicts.

mod common;
use common::*;
use proptest::prelude::*;
use raccordo_register::changelog::Change;
use raccordo_register::conflicts::{self, Collision, Outcome};
use raccordo_register::*;
use std::collections::BTreeMap;
use tempfile::TempDir;
use uuid::Uuid;

/// `n` registers, each a separate installation.
fn sites(n: usize) -> Vec<(TempDir, Register)> {
    (0..n)
        .map(|_| {
            let (d, mut r) = fresh();
            r.become_new_site().unwrap();
            (d, r)
        })
        .collect()
}

fn all_changes(r: &Register) -> Vec<Change> {
    r.changes_since(0, usize::MAX >> 1).unwrap()
}

/// Everything site `from` holds, into site `to`.
fn send(s: &mut [(TempDir, Register)], from: usize, to: usize) -> Applied {
    let changes = all_changes(&s[from].1);
    s[to].1.apply_changes(&changes).unwrap()
}

fn records(r: &Register) -> BTreeMap<(Kind, Uuid), db::Fields> {
    changelog::snapshot(r.connection()).unwrap()
}

fn conflict_ids(r: &Register) -> Vec<(Uuid, Collision)> {
    r.conflicts().unwrap().into_iter().map(|c| (c.id, c.what)).collect()
}

fn assert_same(a: &Register, b: &Register) {
    assert!(records(a) == records(b), "the two registers hold different records");
    assert_eq!(conflict_ids(a), conflict_ids(b));
    verify::register(a.connection()).unwrap().into_result().unwrap();
    verify::register(b.connection()).unwrap().into_result().unwrap();
}

fn subject(r: &Register, id: Uuid) -> String {
    r.reader().require::<Agreement>(id).unwrap().subject
}

#[test]
fn a_change_received_twice_is_applied_once() {
    let mut s = sites(2);
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo d'intesa")).unwrap();
    let first = send(&mut s, 0, 1);
    assert_eq!((first.applied, first.already_held), (1, 0));
    let journal = s[1].1.reader().count_rows("journal").unwrap();
    let again = send(&mut s, 0, 1);
    assert_eq!((again.applied, again.already_held), (0, 1));
    assert_eq!(s[1].1.reader().count_rows("journal").unwrap(), journal);
    assert_eq!(subject(&s[1].1, a.id), "Protocollo d'intesa");
    // Sent back, nothing changes either.
    let back = send(&mut s, 1, 0);
    assert_eq!(back.applied, 0);
    assert_same(&s[0].1, &s[1].1);
}

#[test]
fn concurrent_edits_of_one_field_keep_the_later_and_show_the_other_once() {
    let mut s = sites(3);
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    send(&mut s, 0, 1);
    send(&mut s, 0, 2);
    let mut mine = a.clone();
    mine.subject = "Protocollo per la Garfagnana".into();
    s[0].1.update(mine).unwrap();
    let mut theirs: Agreement = s[1].1.reader().require(a.id).unwrap();
    theirs.subject = "Protocollo per la Valle del Serchio".into();
    s[1].1.update(theirs).unwrap();
    // Another field, changed by a third office: no conflict, both land.
    let mut other: Agreement = s[2].1.reader().require(a.id).unwrap();
    other.premises = Some("Visto il protocollo di Lucca".into());
    s[2].1.update(other).unwrap();

    // Every order of exchange.
    for _ in 0..2 {
        for i in 0..3 {
            for j in 0..3 {
                if i != j {
                    let changes = all_changes(&s[i].1);
                    s[j].1.apply_changes(&changes).unwrap();
                }
            }
        }
    }
    assert_same(&s[0].1, &s[1].1);
    assert_same(&s[1].1, &s[2].1);
    let kept = subject(&s[2].1, a.id);
    let conflicts = s[2].1.conflicts().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    let c = &conflicts[0];
    assert_eq!((c.what, c.field.as_deref()), (Collision::Field, Some("subject")));
    assert_eq!(c.detail["kept"]["value"], kept.as_str());
    let lost = c.detail["lost"]["value"].as_str().unwrap().to_owned();
    assert_ne!(lost, kept);
    let premises = s[0].1.reader().require::<Agreement>(a.id).unwrap().premises;
    assert_eq!(premises.as_deref(), Some("Visto il protocollo di Lucca"));

    // One office keeps the value that lost; the resolution reaches the others and
    // the conflict is gone everywhere.
    s[1].1.resolve(c.id, Resolution::KeepLost).unwrap();
    assert!(s[1].1.conflicts().unwrap().is_empty());
    assert_eq!(subject(&s[1].1, a.id), lost);
    for j in [0, 2] {
        let changes = all_changes(&s[1].1);
        s[j].1.apply_changes(&changes).unwrap();
        assert!(s[j].1.conflicts().unwrap().is_empty());
        assert_eq!(subject(&s[j].1, a.id), lost);
    }
    assert_same(&s[0].1, &s[2].1);

    // Every office's history of the agreement tells the same story: the two values,
    // who wrote each, and that office 1 kept the one that had lost.
    let resolver = s[1].1.settings().site_id.to_string();
    for site in &s {
        let settled = conflicts::settled_of(&site.1.reader(), a.id).unwrap();
        assert_eq!(settled.len(), 1, "{settled:?}");
        let h = &settled[0];
        assert_eq!((h.what, h.field.as_deref(), h.outcome), (Collision::Field, Some("subject"), Outcome::Kept));
        let mut values: Vec<&str> = h.sides.iter().map(|v| v["value"].as_str().unwrap()).collect();
        values.sort();
        let mut expected = vec![kept.as_str(), lost.as_str()];
        expected.sort();
        assert_eq!(values, expected);
        assert_eq!(h.resolution["value"], lost.as_str());
        assert_eq!(h.resolution["site"], resolver.as_str());
    }
}

#[test]
fn a_typed_resolution_is_in_the_history_and_a_later_edit_is_not_taken_for_one() {
    let mut s = sites(2);
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    send(&mut s, 0, 1);
    for (i, site) in s.iter_mut().enumerate() {
        let mut x: Agreement = site.1.reader().require(a.id).unwrap();
        x.subject = format!("Protocollo dell'ufficio {i}");
        site.1.update(x).unwrap();
    }
    send(&mut s, 0, 1);
    let c = s[1].1.conflicts().unwrap().pop().unwrap();
    s[1].1.resolve(c.id, Resolution::Value("Protocollo concordato".into())).unwrap();
    let mut x: Agreement = s[1].1.reader().require(a.id).unwrap();
    x.subject = "Protocollo concordato e firmato".into();
    s[1].1.update(x).unwrap();
    send(&mut s, 1, 0);
    for site in &s {
        let settled = conflicts::settled_of(&site.1.reader(), a.id).unwrap();
        assert_eq!(settled.len(), 1, "{settled:?}");
        assert_eq!(settled[0].outcome, Outcome::Typed);
        assert_eq!(settled[0].resolution["value"], "Protocollo concordato");
        assert_eq!(settled[0].sides.len(), 2);
    }
}

#[test]
fn the_same_value_written_by_two_offices_is_no_conflict() {
    let mut s = sites(2);
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    send(&mut s, 0, 1);
    for site in s.iter_mut() {
        let mut x: Agreement = site.1.reader().require(a.id).unwrap();
        x.subject = "Protocollo d'intesa".into();
        site.1.update(x).unwrap();
    }
    send(&mut s, 0, 1);
    send(&mut s, 1, 0);
    assert!(s[0].1.conflicts().unwrap().is_empty());
    assert_same(&s[0].1, &s[1].1);
    // Two equal values: nothing for a person, nothing in the history either.
    for site in &s {
        assert!(conflicts::settled_of(&site.1.reader(), a.id).unwrap().is_empty());
    }
}

/// Office 0 deletes an agreement while office 1, offline, edits it and adds a party;
/// then both exchange everything.
fn deleted_while_edited() -> (Vec<(TempDir, Register)>, Agreement, Party) {
    let mut s = sites(2);
    let lucca = admin(&s[0].1, "Comune di Lucca");
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    send(&mut s, 0, 1);
    s[0].1.delete(Kind::Agreement, a.id).unwrap();
    let mut edited: Agreement = s[1].1.reader().require(a.id).unwrap();
    edited.subject = "Protocollo modificato".into();
    s[1].1.update(edited).unwrap();
    let party = s[1].1.create(Party::new(a.id, lucca, PartyRole::Aderente)).unwrap();
    send(&mut s, 0, 1);
    send(&mut s, 1, 0);
    (s, a, party)
}

#[test]
fn a_delete_wins_and_what_was_changed_or_added_under_it_is_shown() {
    let (mut s, a, party) = deleted_while_edited();
    assert_same(&s[0].1, &s[1].1);
    for site in &s {
        let r = site.1.reader();
        assert!(r.get::<Agreement>(a.id).unwrap().is_none(), "the deleted agreement came back");
        assert!(r.get::<Party>(party.id).unwrap().is_none(), "a party was left without its agreement");
    }
    let mut whats: Vec<(Collision, Uuid)> = s[0].1.conflicts().unwrap().iter().map(|c| (c.what, c.record_id)).collect();
    whats.sort();
    assert_eq!(whats, vec![(Collision::ChangedAfterDelete, a.id), (Collision::UnderDeleted, party.id)]);

    // Letting go closes both, on both sites.
    for c in s[1].1.conflicts().unwrap() {
        s[1].1.resolve(c.id, Resolution::LetGo).unwrap();
    }
    send(&mut s, 1, 0);
    assert!(s[0].1.conflicts().unwrap().is_empty());
    assert_same(&s[0].1, &s[1].1);
    // Both histories show the edit made under the delete, let go by office 1.
    for site in &s {
        let settled = conflicts::settled_of(&site.1.reader(), a.id).unwrap();
        assert_eq!(settled.len(), 1, "{settled:?}");
        assert_eq!((settled[0].what, settled[0].outcome), (Collision::ChangedAfterDelete, Outcome::LetGo));
        assert_eq!(settled[0].sides[0]["value"]["subject"], "Protocollo modificato");
    }
}

#[test]
fn what_a_delete_cut_off_is_restored_as_new_records_on_every_site() {
    let (mut s, a, party) = deleted_while_edited();
    let lucca = party.administration_id;

    // The party is restored: with it, a copy of its agreement as office 1 left it.
    let under = s[1].1.conflicts().unwrap().into_iter().find(|c| c.what == Collision::UnderDeleted).unwrap();
    s[1].1.resolve(under.id, Resolution::Restore).unwrap();
    // The agreement's own conflict, restored too, finds its copy made: no second one.
    let changed = s[1].1.conflicts().unwrap().into_iter().find(|c| c.what == Collision::ChangedAfterDelete).unwrap();
    s[1].1.resolve(changed.id, Resolution::Restore).unwrap();
    send(&mut s, 1, 0);
    assert_same(&s[0].1, &s[1].1);
    for site in &s {
        assert!(site.1.conflicts().unwrap().is_empty());
        let r = site.1.reader();
        let copies: Vec<Agreement> = r.select("SELECT * FROM agreement", []).unwrap();
        assert_eq!(copies.len(), 1, "one copy of the agreement");
        assert_ne!(copies[0].id, a.id, "a new record: the deleted one stays deleted");
        assert_eq!((copies[0].number.as_str(), copies[0].subject.as_str()), ("2007/1", "Protocollo modificato"));
        let parties: Vec<Party> = r.children("agreement_id", copies[0].id).unwrap();
        assert_eq!(parties.len(), 1);
        assert_ne!(parties[0].id, party.id);
        assert_eq!(parties[0].administration_id, lucca);
    }
    // Where it was restored, the history names the copy; the other office, which
    // only received the copy, sees the original closed.
    let copy: Agreement = s[1].1.reader().select("SELECT * FROM agreement", []).unwrap().pop().unwrap();
    let here = conflicts::settled_of(&s[1].1.reader(), a.id).unwrap();
    assert_eq!((here[0].outcome, here[0].restored_as), (Outcome::Restored, Some(copy.id)));
    let party_here = conflicts::settled_of(&s[1].1.reader(), party.id).unwrap();
    assert_eq!((party_here[0].what, party_here[0].outcome), (Collision::UnderDeleted, Outcome::Restored));
    let there = conflicts::settled_of(&s[0].1.reader(), a.id).unwrap();
    assert_eq!(there[0].outcome, Outcome::LetGo);
}

#[test]
fn a_child_that_arrives_before_its_parent_waits_for_it() {
    let mut s = sites(2);
    let lucca = admin(&s[0].1, "Comune di Lucca");
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    let p = s[0].1.create(Party::new(a.id, lucca, PartyRole::Promotore)).unwrap();
    let changes = all_changes(&s[0].1);
    let (parent, child) = changes.split_at(1);
    s[1].1.apply_changes(child).unwrap();
    assert!(s[1].1.reader().get::<Party>(p.id).unwrap().is_none());
    verify::register(s[1].1.connection()).unwrap().into_result().unwrap();
    s[1].1.apply_changes(parent).unwrap();
    assert!(s[1].1.reader().get::<Party>(p.id).unwrap().is_some());
    assert_same(&s[0].1, &s[1].1);
}

#[test]
fn the_same_administration_registered_by_two_offices_is_combined_into_one_everywhere() {
    let mut s = sites(2);
    // Each office, offline, types in the same consortium (same fiscal code) and uses it.
    let mut ids = Vec::new();
    for (i, pec) in [(0, None), (1, Some("consorzio@pec.it"))] {
        let mut c = Administration::typed("Consorzio di bonifica", AdministrationKind::Altro);
        c.fiscal_code = Some("01234567897".into());
        c.pec = pec.map(str::to_owned);
        let c = s[i].1.create(c).unwrap();
        let a = s[i].1.create(Agreement::draft(&format!("2026/{i}"), "Protocollo")).unwrap();
        s[i].1.create(Party::new(a.id, c.id, PartyRole::Aderente)).unwrap();
        ids.push(c.id);
    }
    send(&mut s, 0, 1);
    send(&mut s, 1, 0);
    let key = s[0].1.conflicts().unwrap().into_iter().find(|c| c.what == Collision::Key).unwrap();
    assert_eq!(key.field.as_deref(), Some("fiscal_code"));

    // Office 0 keeps its own and absorbs the other: office 1's party is re-pointed, the
    // PEC only office 1 knew is kept.
    let done = s[0].1.combine(Kind::Administration, ids[0], ids[1]).unwrap();
    assert_eq!((done.repointed, done.filled.clone()), (1, vec!["pec".to_owned()]));
    send(&mut s, 0, 1);
    assert_same(&s[0].1, &s[1].1);
    for site in &s {
        assert!(site.1.conflicts().unwrap().is_empty());
        let r = site.1.reader();
        assert!(r.get::<Administration>(ids[1]).unwrap().is_none());
        assert_eq!(r.require::<Administration>(ids[0]).unwrap().pec.as_deref(), Some("consorzio@pec.it"));
        assert_eq!(r.children::<Party>("administration_id", ids[0]).unwrap().len(), 2);
        // The kept one's history tells the collision, ended by the other's removal.
        let settled = conflicts::settled_of(&r, ids[0]).unwrap();
        assert!(settled.iter().any(|h| h.what == Collision::Key && h.outcome == Outcome::Removed), "{settled:?}");
    }
    // Refused, nothing changed: a record with itself, or what is not an administration or a person.
    assert!(s[0].1.combine(Kind::Administration, ids[0], ids[0]).is_err());
    assert!(s[0].1.combine(Kind::Agreement, ids[0], ids[1]).is_err());
}

#[test]
fn two_offices_using_the_same_number_both_keep_their_agreement() {
    let mut s = sites(2);
    let a = s[0].1.create(Agreement::draft("2026/7", "Protocollo della Garfagnana")).unwrap();
    let b = s[1].1.create(Agreement::draft("2026/7", "Protocollo della Mediavalle")).unwrap();
    send(&mut s, 0, 1);
    send(&mut s, 1, 0);
    assert_same(&s[0].1, &s[1].1);
    let c = s[0].1.conflicts().unwrap();
    assert_eq!(c.len(), 1, "{c:?}");
    assert_eq!((c[0].what, c[0].field.as_deref()), (Collision::Key, Some("number")));
    assert!(s[0].1.reader().get::<Agreement>(a.id).unwrap().is_some());
    assert!(s[0].1.reader().get::<Agreement>(b.id).unwrap().is_some());
    // A local write still refuses the number in use.
    let e = s[0].1.create(Agreement::draft("2026/7", "Un terzo")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    // Renumbering one ends the conflict, and that reaches the other office.
    let mut renumbered: Agreement = s[1].1.reader().require(b.id).unwrap();
    renumbered.number = "2026/8".into();
    s[1].1.update(renumbered).unwrap();
    assert!(s[1].1.conflicts().unwrap().is_empty());
    send(&mut s, 1, 0);
    assert!(s[0].1.conflicts().unwrap().is_empty());
    assert_same(&s[0].1, &s[1].1);
    // Both histories, on both offices, keep the collision and how it ended.
    for site in &s {
        for id in [a.id, b.id] {
            let settled = conflicts::settled_of(&site.1.reader(), id).unwrap();
            assert_eq!(settled.len(), 1, "{settled:?}");
            let h = &settled[0];
            assert_eq!((h.what, h.field.as_deref(), h.outcome), (Collision::Key, Some("number"), Outcome::Changed));
            assert_eq!(h.resolution["value"], serde_json::json!(["2026/8"]));
            assert_eq!(h.resolution["record_id"], serde_json::json!(b.id));
            assert_eq!(h.sides.len(), 2);
        }
    }
    // The number used again later by a third agreement, after the other moved off it:
    // no collision there.
    assert_eq!(conflicts::settled_of(&s[1].1.reader(), b.id).unwrap().len(), 1);
}

#[test]
fn a_merged_state_that_breaks_a_rule_is_kept_and_flagged() {
    let mut s = sites(2);
    let lucca = admin(&s[0].1, "Comune di Lucca");
    let mut a = Agreement::draft("2007/1", "Protocollo");
    a.signed_on = Some(date("2007-12-22"));
    let a = s[0].1.create(a).unwrap();
    send(&mut s, 0, 1);
    // Office 1 records an adhesion in 2008; office 0 moves the signature to 2009.
    let mut p = Party::new(a.id, lucca, PartyRole::Aderente);
    p.adhered_on = Some(date("2008-03-01"));
    s[1].1.create(p).unwrap();
    let mut later: Agreement = s[0].1.reader().require(a.id).unwrap();
    later.signed_on = Some(date("2009-01-10"));
    s[0].1.update(later).unwrap();
    send(&mut s, 0, 1);
    send(&mut s, 1, 0);
    assert_same(&s[0].1, &s[1].1);
    let c = s[0].1.conflicts().unwrap();
    assert!(c.iter().any(|c| c.what == Collision::Rule), "{c:?}");
    // The adhesion deleted on one site: the rule holds again, on both sites.
    let party = c.iter().find(|c| c.kind == Kind::Party).map(|c| c.record_id).expect("the party flagged");
    s[1].1.delete(Kind::Party, party).unwrap();
    send(&mut s, 1, 0);
    assert_same(&s[0].1, &s[1].1);
    let left: Vec<_> = s[0].1.conflicts().unwrap().into_iter().filter(|c| c.what == Collision::Rule).collect();
    assert!(left.is_empty(), "{left:?}");
}

/// A rule that reads a record's siblings: the votes of a meeting's items against its
/// attendance. One office counts two votes with two present, the other meanwhile marks
/// one of them absent (or deletes the attendance): both sites flag the same records.
#[test]
fn votes_counted_on_one_site_and_attendance_cut_on_the_other_are_flagged_alike() {
    for delete in [false, true] {
        let mut s = sites(2);
        let a = s[0].1.create(Agreement::draft("2008/1", "Protocollo")).unwrap();
        let m = s[0].1.create(Meeting::new(a.id, None, 1, date("2008-03-04"))).unwrap();
        let p1 = s[0].1.create(Person::new("Anna", "Rossi")).unwrap();
        let p2 = s[0].1.create(Person::new("Bruno", "Verdi")).unwrap();
        s[0].1.create(Attendance::new(m.id, p1.id, Presence::Present)).unwrap();
        let second = s[0].1.create(Attendance::new(m.id, p2.id, Presence::Present)).unwrap();
        let item = s[0].1.create(AgendaItem::new(m.id, 1, "Approvazione")).unwrap();
        send(&mut s, 0, 1);
        let mut voted = item.clone();
        voted.vote = VoteKind::Counted;
        voted.votes_for = Some(2);
        voted.votes_against = Some(0);
        voted.abstained = Some(0);
        s[0].1.update(voted).unwrap();
        if delete {
            s[1].1.delete(Kind::Attendance, second.id).unwrap();
        } else {
            let mut away = second.clone();
            away.presence = Presence::Absent;
            s[1].1.update(away).unwrap();
        }
        send(&mut s, 0, 1);
        send(&mut s, 1, 0);
        assert_same(&s[0].1, &s[1].1);
        let rules: Vec<Uuid> = s[0]
            .1
            .conflicts()
            .unwrap()
            .into_iter()
            .filter(|c| c.what == Collision::Rule)
            .map(|c| c.record_id)
            .collect();
        assert!(rules.contains(&item.id), "the vote flagged (delete: {delete}): {rules:?}");
    }
}

#[test]
fn a_change_from_the_future_is_held_back_until_accepted() {
    let mut s = sites(2);
    s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    let changes = all_changes(&s[0].1);
    let an_hour_ago = changes[0].hlc.physical_ms() - 3_600_000;
    let held = s[1].1.apply_changes_at(&changes, an_hour_ago).unwrap();
    assert_eq!((held.applied, held.held_back), (0, 1));
    assert_eq!(s[1].1.reader().count(Kind::Agreement).unwrap(), 0);
    assert_eq!(s[1].1.held_back().unwrap().len(), 1);
    // Sent again, it is still held once.
    let again = s[1].1.apply_changes_at(&changes, an_hour_ago).unwrap();
    assert_eq!(again.already_held, 1);
    let c = &s[1].1.held_back().unwrap()[0];
    s[1].1.accept_held(c.site, c.hlc).unwrap();
    assert!(s[1].1.held_back().unwrap().is_empty());
    assert_same(&s[0].1, &s[1].1);
}

/// A change stamped an hour ahead of the receiver's clock, refused there: undone by a
/// newer change that reaches every office, whichever order each receives them in.
#[test]
fn a_change_from_the_future_refused_is_undone_on_every_office() {
    let mut s = sites(3);
    let a = s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    send(&mut s, 0, 1);
    send(&mut s, 0, 2);
    let mut edited = a.clone();
    edited.subject = "Scritto con l'orologio avanti".into();
    s[0].1.update(edited).unwrap();
    let changes = all_changes(&s[0].1);
    let an_hour_ago = changes.last().unwrap().hlc.physical_ms() - 3_600_000;
    assert_eq!(s[1].1.apply_changes_at(&changes, an_hour_ago).unwrap().held_back, 1);
    let c = s[1].1.held_back().unwrap().pop().unwrap();
    // A made-up clock is no held change: refused, nothing changed.
    assert!(s[1].1.reject_held(c.site, raccordo_register::hlc::Stamp(1)).is_err());
    s[1].1.reject_held(c.site, c.hlc).unwrap();
    assert!(s[1].1.held_back().unwrap().is_empty());
    assert_eq!(subject(&s[1].1, a.id), "Protocollo");
    // The office that wrote it, and a third one that gets both, end where office 1 is.
    send(&mut s, 1, 0);
    send(&mut s, 1, 2);
    send(&mut s, 0, 2);
    for site in &s {
        assert_eq!(subject(&site.1, a.id), "Protocollo");
        assert!(site.1.conflicts().unwrap().is_empty());
    }
    assert_same(&s[0].1, &s[1].1);
    assert_same(&s[1].1, &s[2].1);

    // A new record from the future, refused: deleted everywhere.
    let b = s[0].1.create(Agreement::draft("2007/2", "Dal futuro")).unwrap();
    let changes = all_changes(&s[0].1);
    let before = changes.last().unwrap().hlc.physical_ms() - 3_600_000;
    s[1].1.apply_changes_at(&changes, before).unwrap();
    let c = s[1].1.held_back().unwrap().pop().unwrap();
    s[1].1.reject_held(c.site, c.hlc).unwrap();
    send(&mut s, 1, 0);
    assert!(s[0].1.reader().get::<Agreement>(b.id).unwrap().is_none());
    assert_same(&s[0].1, &s[1].1);
}

#[test]
fn the_clock_bound_is_the_register_s_own_and_a_wider_one_lets_the_change_apply() {
    let mut s = sites(2);
    s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    let changes = all_changes(&s[0].1);
    let twenty_minutes_ago = changes[0].hlc.physical_ms() - 20 * 60_000;
    assert_eq!(s[1].1.clock_bound_ms().unwrap(), 5 * 60_000, "five minutes by default");
    let held = s[1].1.apply_changes_at(&changes, twenty_minutes_ago).unwrap();
    assert_eq!(held.held_back, 1);
    assert!(s[1].1.set_clock_bound_ms(0).is_err(), "no bound of nothing");
    s[1].1.set_clock_bound_ms(30 * 60_000).unwrap();
    // The held change's time has come under the wider bound: it applies with the next batch.
    let now = s[1].1.apply_changes_at(&[], twenty_minutes_ago).unwrap();
    assert_eq!((now.applied, s[1].1.held_back().unwrap().len()), (1, 0));
    assert_same(&s[0].1, &s[1].1);
}

#[test]
fn a_malformed_change_refuses_the_whole_batch() {
    let mut s = sites(2);
    s[0].1.create(Agreement::draft("2007/1", "Protocollo")).unwrap();
    s[0].1.create(Agreement::draft("2007/2", "Secondo")).unwrap();
    let mut changes = all_changes(&s[0].1);
    changes[1].fields.as_mut().unwrap().insert("duration_months".into(), "dodici".into());
    let (_, s1) = s.split_at_mut(1);
    let e = refused_unchanged(&mut s1[0].1, |r| r.apply_changes(&changes));
    assert_eq!(e.code, ErrorCode::SyncRefused);
    changes[1].fields.as_mut().unwrap().insert("id".into(), Uuid::nil().to_string().into());
    let e = refused_unchanged(&mut s1[0].1, |r| r.apply_changes(&changes));
    assert_eq!(e.code, ErrorCode::SyncRefused);
}

// ---- the property ----

#[derive(Debug, Clone)]
enum Step {
    CreateAgreement {
        site: usize,
        number: u8,
    },
    EditSubject {
        site: usize,
        pick: usize,
        subject: u8,
    },
    EditStatus {
        site: usize,
        pick: usize,
        status: usize,
    },
    AddParty {
        site: usize,
        pick: usize,
        admin: usize,
    },
    Delete {
        site: usize,
        kind: usize,
        pick: usize,
    },
    /// `from`'s changes into `to`: all of them, a part (the rest comes later, out of
    /// order), twice, or lost (the cursor does not move, so they are sent again).
    Sync {
        from: usize,
        to: usize,
        how: usize,
    },
    Resolve {
        site: usize,
        pick: usize,
        keep_lost: bool,
    },
}

fn step(n: usize) -> impl Strategy<Value = Step> {
    prop_oneof![
        1 => (0..n, 0u8..4).prop_map(|(site, number)| Step::CreateAgreement { site, number }),
        1 => (0..n, any::<usize>(), 0u8..3).prop_map(|(site, pick, subject)| Step::EditSubject { site, pick, subject }),
        1 => (0..n, any::<usize>(), 0usize..3).prop_map(|(site, pick, status)| Step::EditStatus { site, pick, status }),
        1 => (0..n, any::<usize>(), 0usize..3).prop_map(|(site, pick, admin)| Step::AddParty { site, pick, admin }),
        1 => (0..n, 0usize..2, any::<usize>()).prop_map(|(site, kind, pick)| Step::Delete { site, kind, pick }),
        3 => (0..n, 0..n, 0usize..4).prop_map(|(from, to, how)| Step::Sync { from, to, how }),
        1 => (0..n, any::<usize>(), any::<bool>()).prop_map(|(site, pick, keep_lost)| Step::Resolve { site, pick, keep_lost }),
    ]
}

fn ids(r: &Register, kind: Kind) -> Vec<Uuid> {
    query::titles(&r.reader(), kind).unwrap().into_iter().map(|(id, _)| id).collect()
}

/// A local edit; a refusal by the register's rules is part of the game.
fn local(r: &mut Register, admins: &[Uuid], st: &Step) {
    let pick = |r: &Register, kind: Kind, p: usize| {
        let all = ids(r, kind);
        (!all.is_empty()).then(|| all[p % all.len()])
    };
    let result = match *st {
        Step::CreateAgreement { number, .. } => {
            r.create(Agreement::draft(&format!("2026/{number}"), "Protocollo")).map(drop)
        }
        Step::EditSubject { pick: p, subject, .. } => match pick(r, Kind::Agreement, p) {
            Some(id) => {
                let mut a: Agreement = r.reader().require(id).unwrap();
                a.subject = ["Protocollo A", "Protocollo B", "Protocollo C"][subject as usize].into();
                r.update(a).map(drop)
            }
            None => Ok(()),
        },
        Step::EditStatus { pick: p, status, .. } => match pick(r, Kind::Agreement, p) {
            Some(id) => {
                let mut a: Agreement = r.reader().require(id).unwrap();
                a.status = [AgreementStatus::Bozza, AgreementStatus::InFirma, AgreementStatus::Risolto][status];
                r.update(a).map(drop)
            }
            None => Ok(()),
        },
        Step::AddParty { pick: p, admin, .. } => match pick(r, Kind::Agreement, p) {
            Some(id) => r.create(Party::new(id, admins[admin], PartyRole::Aderente)).map(drop),
            None => Ok(()),
        },
        Step::Delete { kind, pick: p, .. } => {
            let kind = [Kind::Agreement, Kind::Party][kind];
            match pick(r, kind, p) {
                Some(id) => r.delete(kind, id).map(drop),
                None => Ok(()),
            }
        }
        Step::Resolve { pick: p, keep_lost, .. } => {
            let field: Vec<_> = r.conflicts().unwrap().into_iter().filter(|c| c.what == Collision::Field).collect();
            if field.is_empty() {
                Ok(())
            } else {
                let how = if keep_lost { Resolution::KeepLost } else { Resolution::KeepStored };
                r.resolve(field[p % field.len()].id, how)
            }
        }
        Step::Sync { .. } => unreachable!(),
    };
    if let Err(e) = result {
        assert!(matches!(e.code, ErrorCode::Validation | ErrorCode::InUse), "{st:?}: {e:?}");
    }
}

fn run_schedule(n: usize, steps: &[Step]) {
    let mut s = sites(n);
    let admins: Vec<Uuid> =
        ["Comune di Lucca", "Provincia di Lucca", "Regione Toscana"].iter().map(|a| admin(&s[0].1, a)).collect();
    // cursor[from][to]: the last of `from`'s journal rows `to` acknowledged.
    let mut cursor = vec![vec![0i64; n]; n];
    for st in steps {
        match *st {
            Step::Sync { from, to, how } if from != to => {
                let batch = s[from].1.changes_since(cursor[from][to], 1_000).unwrap();
                let Some(last) = batch.last().map(|c| c.seq) else { continue };
                let dst = &mut s[to].1;
                match how {
                    0 => {
                        dst.apply_changes(&batch).unwrap();
                        cursor[from][to] = last;
                    }
                    1 => {
                        // The second half first, then the first: out of order.
                        let (a, b) = batch.split_at(batch.len() / 2);
                        dst.apply_changes(b).unwrap();
                        dst.apply_changes(a).unwrap();
                        cursor[from][to] = last;
                    }
                    2 => {
                        dst.apply_changes(&batch).unwrap();
                        dst.apply_changes(&batch).unwrap();
                        cursor[from][to] = last;
                    }
                    // Applied, then a crash before the cursor moved: all sent again later.
                    _ => drop(dst.apply_changes(&batch).unwrap()),
                }
            }
            Step::Sync { .. } => {}
            Step::CreateAgreement { site, .. }
            | Step::EditSubject { site, .. }
            | Step::EditStatus { site, .. }
            | Step::AddParty { site, .. }
            | Step::Delete { site, .. }
            | Step::Resolve { site, .. } => local(&mut s[site].1, &admins, st),
        }
    }
    // Then everyone talks to everyone until nothing new moves.
    loop {
        let mut moved = 0;
        for from in 0..n {
            for to in 0..n {
                if from != to {
                    let batch = all_changes(&s[from].1);
                    moved += s[to].1.apply_changes(&batch).unwrap().applied;
                }
            }
        }
        if moved == 0 {
            break;
        }
    }
    // The same records and conflicts everywhere; and one site's file is what its
    // journal says (every site's is, in the tests above: here it would be most of
    // the run's time).
    let (first, conflicts) = (records(&s[0].1), conflict_ids(&s[0].1));
    for (i, (_, site)) in s.iter().enumerate().skip(1) {
        assert!(first == records(site), "sites 0 and {i} hold different records");
        assert_eq!(conflicts, conflict_ids(site), "sites 0 and {i} list different conflicts");
    }
    verify::register(s[n - 1].1.connection()).unwrap().into_result().unwrap();
}

/// How many schedules: `RACCORDO_SCHEDULES=10000 cargo test --release -p
/// raccordo-register --test merge` for the long run.
fn schedules() -> u32 {
    std::env::var("RACCORDO_SCHEDULES").ok().and_then(|v| v.parse().ok()).unwrap_or(500)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: schedules(), .. ProptestConfig::default() })]
    #[test]
    fn every_schedule_of_edits_and_exchanges_converges(
        (n, steps) in (3usize..=5).prop_flat_map(|n| (Just(n), proptest::collection::vec(step(n), 1..40))),
    ) {
        run_schedule(n, &steps);
    }
}
