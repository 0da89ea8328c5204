//! Every command of the window, called with arbitrary JSON as the window's side of IPC
//! could send it: the arguments either do not deserialize (the shell answers with the
//! deserializer's error before calling anything), or the command answers Ok or a typed
//! error; it never panics, and a refusal leaves the register as it was (no journal
//! row, no kept file, no setting). The list of commands is `for_each_command!`, so a
//! new command is in this test the moment it exists.

use proptest::prelude::*;
use raccordo_ipc::session::{Places, Session};
use raccordo_ipc::*;
use serde_json::{Value, json};

/// What any write changes: the journal's last row, the kept files, the settings.
fn state(s: &Session) -> (Option<(i64, String)>, i64, String) {
    s.with(|reg| {
        let r = reg.reader();
        let head = r.query_row_opt("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", [])?;
        let blobs = r.count_rows("blob")? as i64;
        let mut stmt = reg.connection().prepare("SELECT key || '=' || value FROM meta ORDER BY key")?;
        let meta = stmt.query_map([], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
        Ok((head, blobs, meta.join("\n")))
    })
    .unwrap()
}

macro_rules! call_every_command {
    ($($module:ident :: $name:ident : $args:ty => $answer:ty),* $(,)?) => {
        /// Calls each command with `args`; gives the names of those that panicked or
        /// changed the register while refusing.
        fn call_all(s: &Session, args: &Value, called: &mut std::collections::BTreeMap<&'static str, usize>) -> Vec<String> {
            let mut wrong = Vec::new();
            $(
                // Opening another register is what `session_open` is for: left out.
                if stringify!($name) != "session_open" {
                    if let Ok(parsed) = serde_json::from_value::<$args>(args.clone()) {
                        *called.entry(stringify!($name)).or_default() += 1;
                        let before = state(s);
                        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            $module::$name(s, parsed)
                        }));
                        match outcome {
                            Err(_) => wrong.push(format!("{}: panic", stringify!($name))),
                            Ok(Err(e)) => {
                                if e.message.trim().is_empty() {
                                    wrong.push(format!("{}: error without a message", stringify!($name)));
                                }
                                if state(s) != before {
                                    wrong.push(format!("{}: refused ({}) but changed the register", stringify!($name), e.message));
                                }
                            }
                            Ok(Ok(_)) => {}
                        }
                    }
                }
            )*
            wrong
        }
    };
}

for_each_command!(call_every_command);

/// A value of any JSON type, mostly of the kinds the commands take (ids of real
/// records, record kinds, statuses), and some that no command should accept.
fn leaf(ids: Vec<String>) -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        prop_oneof![Just(0i64), Just(-1), Just(1), Just(10), Just(1_000_000_000)].prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        Just(json!(u64::MAX)),
        ".{0,40}".prop_map(Value::String),
        prop::sample::select(ids).prop_map(Value::String),
        Just(Value::String(uuid::Uuid::nil().to_string())),
        prop::sample::select(vec![
            "agreement",
            "meeting",
            "person",
            "administration",
            "party",
            "attachment",
            "protocol",
            "minutes",
            "vigente",
            "bozza",
            "expiry",
            "number",
            "present",
        ])
        .prop_map(|s| Value::String(s.into())),
        Just(Value::String("QUJD".into())),
        Just(Value::String("x".repeat(5000))),
        Just(Value::String("ab".repeat(32))),
    ]
}

/// Arguments as the commands take them, then spoiled: a real record of the demo with
/// some fields replaced (the record commands); an object with every argument key the
/// commands use, each of a fitting or unfitting value (the others); no argument; or
/// any nested JSON at all.
fn arbitrary_args(ids: Vec<String>, records: Vec<Value>) -> impl Strategy<Value = Value> {
    const KEYS: &[&str] = &[
        "id",
        "kind",
        "agreement_id",
        "meeting_id",
        "owner_id",
        "owner_kind",
        "content_base64",
        "file_name",
        "media_type",
        "description",
        "sha256",
        "text",
        "limit",
        "offset",
        "filter",
        "sort",
        "user_name",
        "office_id",
        "accept_unverified",
        "confirmed_signer_sha256",
        "demo",
    ];
    let spoiled_record =
        (prop::sample::select(records), prop::collection::vec((any::<prop::sample::Index>(), leaf(ids.clone())), 1..4))
            .prop_map(|(mut r, changes)| {
                if let Some(fields) = r.get_mut("record").and_then(Value::as_object_mut) {
                    let keys: Vec<String> = fields.keys().cloned().collect();
                    for (i, v) in changes {
                        fields.insert(keys[i.index(keys.len())].clone(), v);
                    }
                }
                r
            });
    let every_key = || {
        prop::collection::vec(leaf(ids.clone()), KEYS.len()).prop_map(|values| {
            let mut m: serde_json::Map<String, Value> = KEYS.iter().map(|k| k.to_string()).zip(values).collect();
            m.insert("filter".into(), json!({}));
            m
        })
    };
    let with_request =
        (every_key(), prop::sample::select(vec!["protocol", "minutes", "convocation", "overdue_report"])).prop_map(
            |(mut m, document)| {
                let inner =
                    json!({ "document": document, "agreement_id": m["agreement_id"], "meeting_id": m["meeting_id"] });
                m.insert("request".into(), inner);
                Value::Object(m)
            },
        );
    let any_json = leaf(ids.clone()).prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(prop::sample::select(KEYS).prop_map(str::to_owned), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![
        3 => spoiled_record,
        3 => every_key().prop_map(Value::Object),
        1 => with_request,
        1 => Just(Value::Null),
        1 => any_json,
    ]
}

#[test]
fn every_command_with_arbitrary_json_answers_and_a_refusal_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::start(Places { data_dir: dir.path().to_owned(), explicit: None, demo: true });
    // A register to act on: the demo.
    session::session_open(&s, serde_json::from_value(json!({ "demo": true })).unwrap()).unwrap();
    let ids: Vec<String> = s
        .with(|reg| {
            let r = reg.reader();
            let mut ids: Vec<String> = Vec::new();
            ids.extend(
                r.select::<raccordo_register::Agreement>("SELECT * FROM agreement LIMIT 5", [])?
                    .iter()
                    .map(|a| a.id.to_string()),
            );
            ids.extend(
                r.select::<raccordo_register::Meeting>("SELECT * FROM meeting LIMIT 5", [])?
                    .iter()
                    .map(|m| m.id.to_string()),
            );
            ids.extend(
                r.select::<raccordo_register::Person>("SELECT * FROM person LIMIT 5", [])?
                    .iter()
                    .map(|p| p.id.to_string()),
            );
            Ok(ids)
        })
        .unwrap();
    let records: Vec<Value> = ids
        .iter()
        .filter_map(|id| {
            ["agreement", "meeting", "person"].iter().find_map(|kind| {
                let r = serde_json::from_value(json!({ "kind": kind, "id": id })).ok()?;
                records::record_get(&s, r).ok().and_then(|rec| serde_json::to_value(rec).ok())
            })
        })
        .collect();
    assert!(records.len() >= 10, "the demo's records: {}", records.len());
    let cases = ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() };
    let called = std::cell::RefCell::new(std::collections::BTreeMap::new());
    proptest!(cases, |(args in arbitrary_args(ids.clone(), records.clone()))| {
        let wrong = call_all(&s, &args, &mut called.borrow_mut());
        prop_assert!(wrong.is_empty(), "{wrong:?} with {args}");
    });
    // Arbitrary JSON that never reached a command would prove nothing.
    let called = called.into_inner();
    eprintln!("commands reached: {called:?}");
    assert!(called.len() >= 15, "too few commands reached: {called:?}");
    // The register is still whole after all of it.
    s.with(|reg| raccordo_register::verify::register(reg.connection())?.into_result()).unwrap();
}
