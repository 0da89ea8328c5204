//! What a register sends to a hub, by sharing scope: nothing of a private agreement
//! (not its people), all of a shared one, and the withheld history once it is shared.

mod common;

use common::{admin, fresh};
use raccordo_register::{Agreement, Kind, Party, PartyRole, Person, Scope};

fn agreement_with_contact(reg: &mut raccordo_register::Register, number: &str) -> (Agreement, Person) {
    let a = reg.create(Agreement::draft(number, &format!("Protocollo {number}"))).unwrap();
    let p = reg.create(Person::new("Lucia", "Rossi")).unwrap();
    let mut party = Party::new(a.id, admin(reg, "Provincia di Lucca"), PartyRole::Promotore);
    party.contact_person_id = Some(p.id);
    reg.create(party).unwrap();
    (a, p)
}

#[test]
fn a_private_agreement_and_the_people_only_it_refers_to_are_withheld_until_shared() {
    let (_dir, mut reg) = fresh();
    let (private, lucia) = agreement_with_contact(&mut reg, "P/1");
    reg.set_scope(Kind::Agreement, private.id, Scope::Privato).unwrap();
    let (shared, mario) = agreement_with_contact(&mut reg, "S/1");

    let out = reg.outgoing(1000).unwrap();
    let sent: Vec<_> = out.changes.iter().map(|c| c.record_id).collect();
    assert!(!sent.contains(&private.id) && !sent.contains(&lucia.id), "{sent:?}");
    assert!(sent.contains(&shared.id) && sent.contains(&mario.id));
    assert_eq!(out.withheld, 4, "the agreement, its person, its party and the change of scope");
}
