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
        "",
    );
    c.execute("UPDATE journal SET after = ?1, hash = ?2 WHERE seq = 2", (forged, hash)).unwrap();
    assert_eq!(
        audit::verify(c).unwrap().first_broken,
        Some((3, "contenuto modificato o non concatenato alla voce precedente".into()))
    );
}

/// Changes made behind Raccordo's back to what the chain does not cover (the record
/// tables, the kept files, the settings) are found by replaying the journal.
#[test]
fn the_tables_the_files_and_the_settings_are_checked_against_the_journal() {
    let (_d, mut reg) = with_history();
    let (a, p1) = {
        let a: Agreement = reg.reader().select("SELECT * FROM agreement", []).unwrap().remove(0);
        let p1: Party = reg.reader().children("agreement_id", a.id).unwrap().remove(0);
        (a, p1)
    };
    reg.write(|w| w.attach(Kind::Agreement, a.id, "firmato.pdf", "application/pdf", b"%PDF-1.7 firmato", None))
        .unwrap();
    reg.set_settings(None, "Maria Rossi").unwrap();
    let clean = verify::register(reg.connection()).unwrap();
    assert_eq!((clean.first_broken.clone(), clean.first_difference.clone()), (None, None));
    assert_eq!(clean.files, 1);
    assert!(clean.records > 8_000, "the directory and every record: {}", clean.records);
    let c = reg.connection();
    let difference = |c: &rusqlite::Connection| verify::register(c).unwrap().first_difference.unwrap_or_default();

    c.execute("UPDATE agreement SET subject = 'Oggetto cambiato' WHERE id = ?1", [a.id]).unwrap();
    assert_eq!(
        difference(c),
        "Protocollo «2007/12 — Oggetto cambiato»: il campo subject nel file è «Oggetto cambiato», \
         secondo il registro modifiche dovrebbe essere «Protocollo rivisto»."
    );
    let e = verify::register(c).unwrap().into_result().unwrap_err();
    assert_eq!(e.code, ErrorCode::Inconsistent);
    assert!(e.message.starts_with("Il registro non corrisponde al suo registro modifiche: "), "{}", e.message);
    c.execute("UPDATE agreement SET subject = 'Protocollo rivisto' WHERE id = ?1", [a.id]).unwrap();
    assert_eq!(difference(c), "");

    c.execute("UPDATE administration SET pec = 'finta@pec.it' WHERE name = 'Comune di Lucca'", []).unwrap();
    assert!(
        difference(c).starts_with("Ente «Comune di Lucca»: il campo pec nel file è «finta@pec.it»"),
        "{}",
        difference(c)
    );
    c.execute("UPDATE administration SET pec = NULL WHERE name = 'Comune di Lucca'", []).unwrap();

    c.pragma_update(None, "foreign_keys", false).unwrap();
    c.execute("DELETE FROM party WHERE id = ?1", [p1.id]).unwrap();
    assert!(difference(c).contains("manca nel file, ma il registro modifiche non ne registra l'eliminazione"));
    drop(reg);
    let (_d, reg) = with_history();
    let c = reg.connection();
    c.execute("INSERT INTO person (id, given_name, family_name) VALUES (?1, 'Mario', 'Intruso')", [ids::new_id()])
        .unwrap();
    assert_eq!(
        difference(c),
        "Persona «Intruso Mario»: è nel file, ma il registro modifiche non ne registra la creazione."
    );
}

#[test]
fn a_changed_byte_of_a_kept_file_is_reported() {
    let (_d, mut reg) = fresh();
    let (a, _, _) = signed_agreement(&mut reg, "2007/12");
    let att = reg
        .write(|w| w.attach(Kind::Agreement, a.id, "firmato.pdf", "application/pdf", b"%PDF-1.7 firmato", None))
        .unwrap();
    let c = reg.connection();
    c.execute("UPDATE blob SET bytes = ?1 WHERE sha256 = ?2", (b"%PDF-1.7 FIRMATO".as_slice(), &att.sha256)).unwrap();
    let v = verify::register(c).unwrap();
    assert_eq!(
        v.first_difference.unwrap(),
        format!(
            "il file allegato con impronta {} è stato modificato: i suoi byte non hanno più quell'impronta.",
            att.sha256
        )
    );
    // Someone with a SQLite tool can turn the foreign keys off.
    c.pragma_update(None, "foreign_keys", false).unwrap();
    c.execute("DELETE FROM blob", []).unwrap();
    assert_eq!(
        verify::register(c).unwrap().first_difference.unwrap(),
        format!("l'allegato «firmato.pdf» (impronta {}) non ha più il suo contenuto nel file.", att.sha256)
    );
}

#[test]
fn settings_are_journaled_and_a_change_behind_raccordos_back_is_reported() {
    let (_d, mut reg) = fresh();
    let lucca = admin(&reg, "Comune di Lucca");
    reg.set_settings(Some(lucca), "Maria Rossi").unwrap();
    reg.set_settings(Some(lucca), "Maria Bianchi").unwrap();
    let site = reg.settings().site_id;
    let history = audit::history(reg.connection(), site).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[1].op, "settings");
    assert_eq!(history[1].before["user_name"], "Maria Rossi");
    assert_eq!(history[1].after["user_name"], "Maria Bianchi");
    assert_eq!(history[1].after["office_id"], lucca.to_string());
    // Settings belong to this installation: sync never sends them.
    assert!(changelog::since(reg.connection(), 0, 10).unwrap().is_empty());
    verify::register(reg.connection()).unwrap().into_result().unwrap();

    let c = reg.connection();
    c.execute("UPDATE meta SET value = 'Intruso' WHERE key = 'user_name'", []).unwrap();
    assert_eq!(
        verify::register(c).unwrap().first_difference.unwrap(),
        "nelle impostazioni il nome dell'utente è «Intruso», ma il registro modifiche registra «Maria Bianchi»."
    );
    c.execute("UPDATE meta SET value = 'Maria Bianchi' WHERE key = 'user_name'", []).unwrap();
    c.execute("DELETE FROM meta WHERE key = 'office_id'", []).unwrap();
    assert!(verify::register(c).unwrap().first_difference.unwrap().starts_with("nelle impostazioni l'ufficio è vuoto"));
}
