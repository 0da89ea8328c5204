//! Only a confirmed signed file makes an agreement *vigente*: an edit that claims it
//! is refused, with its code and message, and leaves the register as it was.

mod common;
use common::*;
use raccordo_register::*;

fn draft(reg: &mut Register, number: &str) -> Agreement {
    reg.create(Agreement::draft(number, "Protocollo per la città digitale")).unwrap()
}

fn attach(reg: &mut Register, a: &Agreement, bytes: &[u8]) -> Attachment {
    reg.write(|w| w.attach(Kind::Agreement, a.id, "firmato.pdf", "application/pdf", bytes, None)).unwrap()
}

#[test]
fn an_edit_cannot_put_a_draft_in_force_nor_claim_a_signed_file() {
    let (_d, mut reg) = fresh();
    let a = draft(&mut reg, "2007/12");
    let mut in_force = a.clone();
    in_force.status = AgreementStatus::Vigente;
    in_force.signed_on = Some(date("2007-12-22"));
    let e = refused_unchanged(&mut reg, |r| r.update(in_force.clone()));
    assert_eq!(codes(&e), vec![("status".to_owned(), FieldCode::NotAllowed)]);
    assert_eq!(
        e.fields[0].message,
        "Stato: un protocollo in bozza o in firma diventa «vigente» solo confermando il file firmato, dopo la \
         verifica delle firme."
    );

    let mut claimed = a.clone();
    claimed.signed_file_sha256 = Some("ab".repeat(32));
    let e = refused_unchanged(&mut reg, |r| r.update(claimed.clone()));
    assert_eq!(codes(&e), vec![("signed_file_sha256".to_owned(), FieldCode::NotAllowed)]);

    let mut created = Agreement::draft("2007/13", "Un altro");
    created.signed_file_sha256 = Some("ab".repeat(32));
    let e = refused_unchanged(&mut reg, |r| r.create(created.clone()));
    assert_eq!(codes(&e), vec![("signed_file_sha256".to_owned(), FieldCode::NotAllowed)]);

    // Nor what the check found at confirmation.
    let mut vouched = a.clone();
    vouched.signature_check = Some("Firme integre e firmatari verificati.".into());
    let e = refused_unchanged(&mut reg, |r| r.update(vouched.clone()));
    assert_eq!(codes(&e), vec![("signature_check".to_owned(), FieldCode::NotAllowed)]);
}

#[test]
fn confirming_a_file_attached_to_the_agreement_puts_it_in_force_and_is_journaled() {
    let (_d, mut reg) = fresh();
    let a = draft(&mut reg, "2007/12");
    let att = attach(&mut reg, &a, b"%PDF-1.7 firmato");
    let signed = reg
        .write(|w| {
            signing::confirm_signed_file(w, a.id, &att.sha256.to_uppercase(), Some(date("2007-12-22")), "verificato")
        })
        .unwrap();
    assert_eq!(signed.status, AgreementStatus::Vigente);
    assert_eq!(signed.signed_file_sha256.as_deref(), Some(att.sha256.as_str()));
    assert_eq!(signed.signed_on, Some(date("2007-12-22")));
    let last = audit::history(reg.connection(), a.id).unwrap().pop().unwrap();
    assert_eq!(last.after["status"], "vigente");
    assert_eq!(last.after["signature_check"], "verificato");
    // Once in force, its life goes on by ordinary edits.
    let mut expired = signed.clone();
    expired.status = AgreementStatus::Scaduto;
    reg.update(expired).unwrap();
    verify::register(reg.connection()).unwrap().into_result().unwrap();
}

#[test]
fn a_file_attached_to_another_agreement_confirms_nothing() {
    let (_d, mut reg) = fresh();
    let a = draft(&mut reg, "2007/12");
    let b = draft(&mut reg, "2007/13");
    let on_a = attach(&mut reg, &a, b"%PDF-1.7 firmato per A");
    let e = refused_unchanged(&mut reg, |r| r.write(|w| signing::confirm_signed_file(w, b.id, &on_a.sha256, None, "")));
    assert_eq!(e.code, ErrorCode::BadRequest);
    assert_eq!(e.message, "File firmato: non è tra gli allegati di questo protocollo. Allegalo prima di confermare.");
}

#[test]
fn a_kept_file_changed_behind_raccordos_back_confirms_nothing() {
    let (_d, mut reg) = fresh();
    let a = draft(&mut reg, "2007/12");
    let att = attach(&mut reg, &a, b"%PDF-1.7 firmato");
    reg.connection()
        .execute("UPDATE blob SET bytes = ?1 WHERE sha256 = ?2", (b"%PDF-1.7 altro".as_slice(), &att.sha256))
        .unwrap();
    let e = signing::attached_file(&reg.reader(), a.id, &att.sha256).unwrap_err();
    assert_eq!(e.code, ErrorCode::Inconsistent);
}

#[test]
fn the_trusted_list_is_kept_journaled_and_checked_by_audit_verify() {
    let (_d, mut reg) = fresh();
    assert!(reg.trusted_list().unwrap().is_none());
    let sha = reg.set_trusted_list(b"<tsl:TrustServiceStatusList/>").unwrap();
    assert_eq!(reg.trusted_list().unwrap().as_deref(), Some(b"<tsl:TrustServiceStatusList/>".as_slice()));
    let row: String = reg
        .connection()
        .query_row("SELECT after FROM journal WHERE op = 'settings' ORDER BY seq DESC LIMIT 1", [], |r| r.get(0))
        .unwrap();
    assert!(row.contains(&sha), "{row}");
    verify::register(reg.connection()).unwrap().into_result().unwrap();
    // Another list named behind Raccordo's back is found.
    reg.connection()
        .execute("UPDATE meta SET value = ?1 WHERE key = 'trusted_list_sha256'", ["cd".repeat(32)])
        .unwrap();
    let e = verify::register(reg.connection()).unwrap().into_result().unwrap_err();
    assert!(e.message.contains("l'elenco di fiducia"), "{}", e.message);
}
