//! The audit history is append-only and hash-chained: any later change to a row
//! shows as the first broken link.

mod common;
use common::*;
use raccordo_register::*;

fn with_history() -> (tempfile::TempDir, Register) {
    let (d, mut reg) = fresh();
    reg.act_as("Maria Rossi");
    let (a, _, p2) = signed_agreement(&mut reg, "2007/12");
    let mut a2 = a.clone();
    a2.subject = "Protocollo rivisto".into();
    reg.update(a2).unwrap();
    reg.delete(Kind::Party, p2.id).unwrap();
    (d, reg)
}

#[test]
fn every_write_is_recorded_with_who_what_and_values() {
    let (_d, reg) = with_history();
    let v = audit::verify(reg.connection()).unwrap();
    assert_eq!(v.first_broken, None);
    assert_eq!(v.entries, 6, "directory load, 3 creates, 1 update, 1 delete");
    let recent = audit::recent(reg.connection(), 3).unwrap();
    assert_eq!(recent[0].op, "delete");
    assert_eq!(recent[0].actor, "Maria Rossi");
    assert_eq!(recent[0].before["role"], "promotore");
    assert_eq!(recent[1].op, "update");
    assert_eq!(recent[1].after["subject"], "Protocollo rivisto");
    assert_eq!(recent[1].before["subject"], "Protocollo d'intesa per l'amministrazione digitale");
}

#[test]
fn rows_cannot_be_changed_or_removed_through_sql() {
    let (_d, reg) = with_history();
    let c = reg.connection();
    let e = c.execute("UPDATE journal SET actor = 'altri' WHERE seq = 2", []).unwrap_err();
    assert!(e.to_string().contains("non si può modificare"), "{e}");
    assert!(c.execute("DELETE FROM journal WHERE seq = 2", []).is_err());
}

/// With the triggers dropped (someone with the file and a SQLite tool), an edit
/// still shows: the check names the first entry whose link breaks.
#[test]
fn tampering_is_reported_at_the_first_broken_link() {
    let (_d, reg) = with_history();
    let c = reg.connection();
    c.execute_batch("DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete;").unwrap();

    c.execute("UPDATE journal SET after = replace(after, 'rivisto', 'falsificato') WHERE seq = 5", []).unwrap();
    let v = audit::verify(c).unwrap();
    assert_eq!(v.first_broken, Some((5, "contenuto modificato o non concatenato alla voce precedente".into())));
    let e = v.into_result().unwrap_err();
    assert_eq!(e.code, ErrorCode::AuditBroken);
    assert_eq!(
        e.message,
        "Registro modifiche alterato: la catena si interrompe alla voce n. 5 (contenuto modificato o non concatenato alla voce precedente)."
    );
    c.execute("UPDATE journal SET after = replace(after, 'falsificato', 'rivisto') WHERE seq = 5", []).unwrap();
    assert_eq!(audit::verify(c).unwrap().first_broken, None);

    c.execute("DELETE FROM journal WHERE seq = 3", []).unwrap();
    assert_eq!(audit::verify(c).unwrap().first_broken, Some((4, "manca la voce n. 3".into())));
}

#[test]
fn a_rewritten_row_with_a_fresh_hash_still_breaks_the_next_link() {
    let (_d, reg) = with_history();
    let c = reg.connection();
    c.execute_batch("DROP TRIGGER journal_no_update;").unwrap();
    let all = audit::recent(c, 6).unwrap();
    let e = all.iter().find(|e| e.seq == 2).unwrap().clone();
    let prev = all.iter().find(|e| e.seq == 1).unwrap().hash.clone();
    let forged = e.after.to_string().replace("Protocollo", "Accordo");
    assert_ne!(forged, e.after.to_string());
    let hlc = e.hlc.to_string();
    let office = e.office_id.clone().unwrap_or_default();
    let hash = audit::link_hash(
        &prev,
        e.seq,
        [&hlc, &e.site, &e.kind, &e.record_id, &e.op, &forged, "", &e.at, &e.actor, &office],
    );
    c.execute("UPDATE journal SET after = ?1, hash = ?2 WHERE seq = 2", (forged, hash)).unwrap();
    assert_eq!(
        audit::verify(c).unwrap().first_broken,
        Some((3, "contenuto modificato o non concatenato alla voce precedente".into()))
    );
}
