//! The conflicts screen's commands on real registers: a field changed by two offices
//! at once, resolved by a typed value; a change stamped in the future, listed and
//! applied by a person. Each register is a real file, the changes cross as sync carries
//! them (`changes_since` → `apply_changes`).

use raccordo_ipc::session::{Places, Session};
use raccordo_ipc::sync::{self, HeldArgs, ResolveArgs, ResolveHow};
use raccordo_register::{Agreement, Kind, Register};

fn session(dir: &std::path::Path, name: &str) -> Session {
    let file = dir.join(name);
    Session::start(Places { data_dir: dir.to_owned(), explicit: Some(file), demo: false })
}

fn all_changes(reg: &Register) -> Vec<raccordo_register::changelog::Change> {
    reg.changes_since(0, 100_000).unwrap()
}

#[test]
fn a_field_changed_by_two_offices_is_listed_with_both_sides_and_resolved_by_a_typed_value() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (session(dir.path(), "a.raccordo"), session(dir.path(), "b.raccordo"));
    let id = a.with(|reg| Ok(reg.create(Agreement::draft("2026/1", "Protocollo"))?.id)).unwrap();
    let created = a.with(|reg| Ok(all_changes(reg))).unwrap();
    b.with(|reg| reg.apply_changes(&created).map(drop)).unwrap();
    for (s, subject) in [(&a, "Oggetto di A"), (&b, "Oggetto di B")] {
        s.with(|reg| {
            let mut ag: Agreement = reg.reader().require(id)?;
            ag.subject = subject.into();
            reg.update(ag).map(drop)
        })
        .unwrap();
    }
    let from_b = b.with(|reg| Ok(all_changes(reg))).unwrap();
    a.with(|reg| reg.apply_changes(&from_b).map(drop)).unwrap();

    let list = sync::sync_conflicts(&a, ()).unwrap();
    assert_eq!(list.conflicts.len(), 1, "{:?}", list.conflicts);
    let c = &list.conflicts[0];
    assert_eq!((c.kind, c.record_id, c.field.as_deref()), (Kind::Agreement, id, Some("subject")));
    let values = [c.detail["kept"]["value"].clone(), c.detail["lost"]["value"].clone()];
    assert!(values.contains(&"Oggetto di A".into()) && values.contains(&"Oggetto di B".into()), "{values:?}");
    assert!(list.names[&id].starts_with("2026/1"), "{:?}", list.names);
    let own_side = if c.detail["kept"]["site"] == list.own_site.as_str() { "kept" } else { "lost" };
    assert_eq!(c.detail[own_side]["value"], "Oggetto di A", "the side written here is A's");

    // The record's own view: the conflict waiting, the last change B's (received).
    let rec = raccordo_ipc::records::RecordRef { kind: Kind::Agreement, id };
    let before = sync::record_sync(&a, rec.clone()).unwrap();
    assert_eq!((before.open.len(), before.settled.len()), (1, 0));
    assert!(!before.unshared);

    // An id that is no conflict is refused; a typed value resolves it.
    let other = uuid::Uuid::now_v7().to_string();
    assert!(sync::sync_resolve(&a, ResolveArgs { id: other, how: ResolveHow::KeepStored, value: None }).is_err());
    let left = sync::sync_resolve(
        &a,
        ResolveArgs { id: c.id.to_string(), how: ResolveHow::Value, value: Some("Oggetto concordato".into()) },
    )
    .unwrap();
    assert!(left.conflicts.is_empty());
    let subject = a.with(|reg| Ok(reg.reader().require::<Agreement>(id)?.subject)).unwrap();
    assert_eq!(subject, "Oggetto concordato");

    // The record's history keeps the conflict: both values, the typed one, who and where.
    let after = sync::record_sync(&a, rec).unwrap();
    assert!(after.open.is_empty());
    assert_eq!(after.settled.len(), 1);
    let h = &after.settled[0];
    assert_eq!((h.field.as_deref(), h.outcome), (Some("subject"), raccordo_register::conflicts::Outcome::Typed));
    assert_eq!(h.resolution["value"], "Oggetto concordato");
    assert_eq!(h.resolution["site"], after.own_site.as_str());
    assert!(after.last_change.is_some_and(|l| l.here), "the resolution was written here");
}

#[test]
fn a_change_from_the_future_is_listed_and_applied_when_a_person_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (session(dir.path(), "a.raccordo"), session(dir.path(), "b.raccordo"));
    let id = a.with(|reg| Ok(reg.create(Agreement::draft("2026/2", "Dal futuro"))?.id)).unwrap();
    let changes = a.with(|reg| Ok(all_changes(reg))).unwrap();
    // B's clock an hour behind the stamp: held back.
    let an_hour_before = changes[0].hlc.physical_ms() - 3_600_000;
    b.with(|reg| reg.apply_changes_at(&changes, an_hour_before).map(drop)).unwrap();

    let list = sync::sync_conflicts(&b, ()).unwrap();
    assert_eq!(list.held.len(), 1);
    let h = &list.held[0];
    assert_eq!((h.kind, h.record_id.as_str()), (Kind::Agreement, id.to_string().as_str()));
    assert!(h.fields.contains(&"subject".to_owned()), "{:?}", h.fields);
    assert!(b.with(|reg| Ok(reg.reader().get::<Agreement>(id)?.is_none())).unwrap(), "not applied while held");

    // A made-up clock is refused and changes nothing.
    assert!(sync::sync_accept_held(&b, HeldArgs { site: h.site.clone(), hlc: "dopodomani".into() }).is_err());
    assert!(sync::sync_accept_held(&b, HeldArgs { site: h.site.clone(), hlc: "1".into() }).is_err());
    assert_eq!(sync::sync_conflicts(&b, ()).unwrap().held.len(), 1);

    let after = sync::sync_accept_held(&b, HeldArgs { site: h.site.clone(), hlc: h.hlc.clone() }).unwrap();
    assert!(after.held.is_empty());
    let subject = b.with(|reg| Ok(reg.reader().require::<Agreement>(id)?.subject)).unwrap();
    assert_eq!(subject, "Dal futuro");
}

#[test]
fn a_number_two_offices_used_is_in_both_agreements_history_once_one_is_renumbered() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (session(dir.path(), "a.raccordo"), session(dir.path(), "b.raccordo"));
    let ours = a.with(|reg| Ok(reg.create(Agreement::draft("2026/7", "Protocollo della Garfagnana"))?.id)).unwrap();
    let theirs = b.with(|reg| Ok(reg.create(Agreement::draft("2026/7", "Protocollo della Mediavalle"))?.id)).unwrap();
    let from_b = b.with(|reg| Ok(all_changes(reg))).unwrap();
    a.with(|reg| reg.apply_changes(&from_b).map(drop)).unwrap();
    let rec = raccordo_ipc::records::RecordRef { kind: Kind::Agreement, id: ours };
    assert_eq!(sync::record_sync(&a, rec.clone()).unwrap().open.len(), 1, "the key conflict, waiting");
    a.with(|reg| {
        let mut x: Agreement = reg.reader().require(theirs)?;
        x.number = "2026/8".into();
        reg.update(x).map(drop)
    })
    .unwrap();
    let after = sync::record_sync(&a, rec).unwrap();
    assert!(after.open.is_empty());
    let h = after.settled.iter().find(|s| s.what == raccordo_register::conflicts::Collision::Key).unwrap();
    assert_eq!(h.outcome, raccordo_register::conflicts::Outcome::Changed);
    assert!(after.names[&theirs].starts_with("2026/8"), "{:?}", after.names);
}
