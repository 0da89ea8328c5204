//! Property: whatever sequence of edits people make (valid or not, in batches that
//! may fail half-way), the audit chain stays valid and replaying the change log over
//! the directory snapshot gives back exactly the records in the tables.

mod common;
use chrono::{Days, NaiveDate};
use common::*;
use proptest::prelude::*;
use raccordo_register::*;
use uuid::Uuid;

#[derive(Debug, Clone)]
enum Op {
    CreatePerson {
        given: String,
    },
    RenamePerson {
        pick: usize,
        given: String,
    },
    CreateAgreement {
        number: u8,
        signed: Option<u16>,
        expires: Option<u16>,
    },
    EditAgreement {
        pick: usize,
        subject: String,
        status: usize,
    },
    AddParty {
        pick: usize,
        admin: usize,
        adhered: Option<u16>,
    },
    Delete {
        kind: usize,
        pick: usize,
    },
    /// Two writes in one transaction, the second invalid: neither lands.
    FailingBatch {
        given: String,
    },
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[A-Za-zàèìòù ]{1,12}", Just("Città".to_string())]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        name().prop_map(|given| Op::CreatePerson { given }),
        (any::<usize>(), name()).prop_map(|(pick, given)| Op::RenamePerson { pick, given }),
        (0u8..6, proptest::option::of(0u16..400), proptest::option::of(0u16..400))
            .prop_map(|(number, signed, expires)| Op::CreateAgreement { number, signed, expires }),
        (any::<usize>(), name(), 0usize..6).prop_map(|(pick, subject, status)| Op::EditAgreement {
            pick,
            subject,
            status
        }),
        (any::<usize>(), 0usize..4, proptest::option::of(0u16..400)).prop_map(|(pick, admin, adhered)| Op::AddParty {
            pick,
            admin,
            adhered
        }),
        (0usize..3, any::<usize>()).prop_map(|(kind, pick)| Op::Delete { kind, pick }),
        name().prop_map(|given| Op::FailingBatch { given }),
    ]
}

fn ids_of(reg: &Register, kind: Kind) -> Vec<Uuid> {
    query::titles(&reg.reader(), kind).unwrap().into_iter().map(|(id, _)| id).collect()
}

fn day(offset: u16) -> NaiveDate {
    date("2007-01-01") + Days::new(offset.into())
}

fn counts(reg: &Register) -> Vec<u64> {
    ["journal", "person", "agreement", "party", "tombstone", "search_doc"]
        .iter()
        .map(|t| reg.reader().count_rows(t).unwrap())
        .collect()
}

fn apply(reg: &mut Register, admins: &[Uuid], op: &Op) {
    let before = counts(reg);
    let result: Result<()> = match op.clone() {
        Op::CreatePerson { given } => reg.create(Person::new(&given, "Rossi")).map(drop),
        Op::RenamePerson { pick, given } => {
            let ids = ids_of(reg, Kind::Person);
            if ids.is_empty() {
                return;
            }
            let mut p: Person = reg.reader().require(ids[pick % ids.len()]).unwrap();
            p.given_name = given;
            reg.update(p).map(drop)
        }
        Op::CreateAgreement { number, signed, expires } => {
            let mut a = Agreement::draft(&format!("2007/{number}"), "Protocollo");
            a.signed_on = signed.map(day);
            a.expires_on = expires.map(day);
            reg.create(a).map(drop)
        }
        Op::EditAgreement { pick, subject, status } => {
            let ids = ids_of(reg, Kind::Agreement);
            if ids.is_empty() {
                return;
            }
            let mut a: Agreement = reg.reader().require(ids[pick % ids.len()]).unwrap();
            a.subject = subject;
            a.status = AgreementStatus::ALL[status];
            reg.update(a).map(drop)
        }
        Op::AddParty { pick, admin, adhered } => {
            let ids = ids_of(reg, Kind::Agreement);
            if ids.is_empty() {
                return;
            }
            let mut p = Party::new(ids[pick % ids.len()], admins[admin], PartyRole::Aderente);
            p.adhered_on = adhered.map(day);
            reg.create(p).map(drop)
        }
        Op::Delete { kind, pick } => {
            let kind = [Kind::Person, Kind::Agreement, Kind::Party][kind];
            let ids = ids_of(reg, kind);
            if ids.is_empty() {
                return;
            }
            reg.delete(kind, ids[pick % ids.len()]).map(drop)
        }
        Op::FailingBatch { given } => {
            let r = reg.write(|w| {
                w.create(Person::new(&given, "Bianchi"))?;
                w.create(Person::new("", "Senza nome"))
            });
            assert!(r.is_err());
            r.map(drop)
        }
    };
    if let Err(e) = result {
        assert!(
            matches!(e.code, ErrorCode::Validation | ErrorCode::InUse),
            "only rule violations are expected here: {e:?}"
        );
        assert_eq!(counts(reg), before, "a refused write left traces: {op:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]
    #[test]
    fn any_sequence_of_edits_keeps_the_chain_and_the_log_faithful(ops in proptest::collection::vec(op(), 1..30)) {
        let (_d, mut reg) = fresh();
        let admins: Vec<Uuid> = ["Comune di Lucca", "Provincia di Lucca", "Prefettura di Lucca", "Regione Toscana"]
            .iter()
            .map(|n| admin(&reg, n))
            .collect();
        for op in &ops {
            apply(&mut reg, &admins, op);
        }
        let v = audit::verify(reg.connection()).unwrap();
        prop_assert_eq!(v.first_broken, None);
        let replayed = changelog::replay(reg.connection(), directory::base_state().unwrap()).unwrap();
        let stored = changelog::snapshot(reg.connection()).unwrap();
        prop_assert_eq!(replayed.len(), stored.len());
        prop_assert!(replayed == stored, "the change log replays to a different state");
        // Clocks grow strictly along the log.
        let log = changelog::since(reg.connection(), 0, 1_000_000).unwrap();
        prop_assert!(log.windows(2).all(|w| w[0].hlc < w[1].hlc));
    }
}
