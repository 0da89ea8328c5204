//! `Register::write_many`: records prepared on a second thread and written on this
//! one, with the same checks as `Writer::create`, all in one transaction.

mod common;
use common::*;
use raccordo_register::*;

fn agreement(number: &str) -> Agreement {
    let mut a = Agreement::draft(number, "  Protocollo per la fatturazione elettronica  ");
    a.signed_on = Some(date("2024-03-01"));
    a.status = AgreementStatus::Vigente;
    a
}

#[test]
fn a_batch_lands_whole_with_its_journal_and_search_entries() {
    let (_d, mut reg) = fresh();
    let lucca = admin(&reg, "Comune di Lucca");
    let prefettura = admin(&reg, "Prefettura di Lucca");
    let ids = reg
        .write_many(|b| {
            let mut ids = Vec::new();
            for i in 0..2_000 {
                let a = b.create(agreement(&format!("2024/{i}")))?;
                b.create(Party::new(a, lucca, PartyRole::Capofila))?;
                b.create(Party::new(a, prefettura, PartyRole::Aderente))?;
                ids.push(a);
            }
            Ok(ids)
        })
        .unwrap();
    assert_eq!(reg.reader().count(Kind::Agreement).unwrap(), 2_000);
    assert_eq!(reg.reader().count(Kind::Party).unwrap(), 4_000);
    // Tidied on the producer's thread, as `Writer::create` tidies.
    let a: Agreement = reg.reader().get(ids[1_999]).unwrap().unwrap();
    assert_eq!(a.subject, "Protocollo per la fatturazione elettronica");
    // Written in the order created: the journal follows it.
    let changes = changelog::since(reg.connection(), 0, 10).unwrap();
    assert_eq!(changes[0].record_id, ids[0]);
    assert_eq!(changes[1].kind, Kind::Party);
    assert_eq!(search::search(&reg.reader(), "fatturazione", &[Kind::Agreement], 5).unwrap().len(), 5);
    verify::register(reg.connection()).unwrap().into_result().unwrap();
    let replayed = changelog::replay(reg.connection(), directory::base_state().unwrap()).unwrap();
    assert!(replayed == changelog::snapshot(reg.connection()).unwrap(), "the change log replays to another state");
}

#[test]
fn a_refused_record_in_a_batch_leaves_the_register_as_it_was() {
    let (_d, mut reg) = fresh();
    let lucca = admin(&reg, "Comune di Lucca");
    let e = refused_unchanged(&mut reg, |r| {
        r.write_many(|b| {
            for i in 0..500 {
                b.create(agreement(&format!("2024/{i}")))?;
            }
            // An adhesion before the agreement was signed, then far more records than
            // the queue holds: the producer must stop, and the refusal be what returns.
            let a = b.create(agreement("2024/bad"))?;
            let mut p = Party::new(a, lucca, PartyRole::Aderente);
            p.adhered_on = Some(date("2020-01-01"));
            b.create(p)?;
            for i in 0..20_000 {
                b.create(agreement(&format!("2025/{i}")))?;
            }
            Ok(())
        })
    });
    assert_eq!(e.code, ErrorCode::Validation);
    assert_eq!(codes(&e), [("adhered_on".into(), FieldCode::DateOrder)]);
}

#[test]
fn an_error_of_the_producer_rolls_the_batch_back() {
    let (_d, mut reg) = fresh();
    let e = refused_unchanged(&mut reg, |r| {
        r.write_many(|b| {
            b.create(agreement("2024/1"))?;
            Err::<(), _>(Error::bad_request("Importazione interrotta."))
        })
    });
    assert_eq!(e.message, "Importazione interrotta.");
}
