//! The register file: created with its schema, upgraded from every earlier schema,
//! refused when newer or foreign, in WAL mode with foreign keys enforced.

mod common;
use common::*;
use raccordo_register::db::schema;
use raccordo_register::*;

#[test]
fn a_new_file_gets_the_latest_schema_wal_foreign_keys_and_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nuovo.raccordo");
    let reg = Register::open(&path).unwrap();
    let c = reg.connection();
    assert_eq!(schema::version(c).unwrap(), schema::LATEST);
    let mode: String = c.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let page: i64 = c.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
    assert_eq!(page, 16_384);
    let fk: i64 = c.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
    assert_eq!(fk, 1);
    assert_eq!(reg.reader().count(Kind::Administration).unwrap(), 8_124);
    assert_eq!(reg.directory_snapshot().unwrap().as_deref(), Some(directory::SNAPSHOT));
    assert_eq!(reg.settings().site_id.get_version_num(), 7);
    // The directory is not in the change log: every site loads the same snapshot.
    assert!(changelog::since(reg.connection(), 0, 10).unwrap().is_empty());
    let v = audit::verify(c).unwrap();
    assert_eq!((v.entries, v.first_broken), (1, None));
}

#[test]
fn commits_reach_the_file_in_the_background_and_closing_leaves_no_log() {
    let (_d, mut reg) = fresh();
    let path = reg.path().to_owned();
    let wal = path.with_extension("raccordo-wal");
    let before = std::fs::metadata(&path).unwrap().len();
    reg.write(|w| {
        for i in 0..3_000 {
            w.create(Person::new(&format!("Persona {i}"), "Di prova"))?;
        }
        Ok(())
    })
    .unwrap();
    assert!(wal.exists(), "the commit went to the log");
    // The writer's own checkpoint waits for 512 MiB of log: only the background
    // thread copies these pages into the file while the register stays open.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::fs::metadata(&path).unwrap().len() == before {
        assert!(std::time::Instant::now() < until, "no checkpoint in 20 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    drop(reg);
    assert!(!wal.exists(), "closing copies the rest and removes the log");
    let reg = Register::open(&path).unwrap();
    assert_eq!(reg.reader().count(Kind::Person).unwrap(), 3_000);
}

#[test]
fn reopening_keeps_site_clock_and_chain() {
    let (_d, mut reg) = fresh();
    let site = reg.settings().site_id;
    reg.create(Person::new("Luca", "Leone")).unwrap();
    let last = changelog::since(reg.connection(), 0, 10).unwrap()[0].hlc;
    let path = reg.path().to_owned();
    drop(reg);
    let mut reg = Register::open(&path).unwrap();
    assert_eq!(reg.settings().site_id, site);
    reg.create(Person::new("Francesco", "Bambini")).unwrap();
    let changes = changelog::since(reg.connection(), 0, 10).unwrap();
    assert!(changes[1].hlc > last, "the clock goes on after a reopen");
    audit::verify(reg.connection()).unwrap().into_result().unwrap();
}

#[test]
fn a_file_at_schema_1_upgrades_and_keeps_its_records() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vecchio.raccordo");
    {
        let reg = Register::open_at_schema(&path, 1).unwrap();
        assert_eq!(schema::version(reg.connection()).unwrap(), 1);
        // A version-1 build wrote records without a search index.
        reg.connection()
            .execute(
                "INSERT INTO agreement (id, number, kind, subject, objectives, renewal, status, themes)
                 VALUES (?1, '2007/12', 'protocollo_intesa',
                         'Protocollo per la città digitale', '[]', 'none', 'bozza', '[]')",
                [ids::new_id()],
            )
            .unwrap();
    }
    let reg = Register::open(&path).unwrap();
    assert_eq!(schema::version(reg.connection()).unwrap(), schema::LATEST);
    let hits = search::search(&reg.reader(), "citta digitale", &[Kind::Agreement], 5).unwrap();
    assert_eq!(hits.len(), 1, "the upgrade indexed the old records");
    assert_eq!(hits[0].title, "2007/12 Protocollo per la città digitale");
    assert_eq!(reg.reader().count(Kind::Administration).unwrap(), 8_124);
}

#[test]
fn a_file_from_a_newer_raccordo_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("futuro.raccordo");
    drop(Register::open(&path).unwrap());
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", schema::LATEST + 7).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = file_bytes(&path);
    let e = Register::open(&path).err().unwrap();
    assert_eq!(e.code, ErrorCode::SchemaTooNew);
    assert!(e.message.contains(&format!("schema {}", schema::LATEST + 7)), "{}", e.message);
    assert!(e.message.contains("Aggiorna Raccordo"));
    assert_eq!(file_bytes(&path), before, "not a byte changed");
}

#[test]
fn a_file_that_is_not_a_register_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("appunti.txt");
    std::fs::write(&text, "non sono un database, solo appunti di riunione\n".repeat(100)).unwrap();
    let e = Register::open(&text).err().unwrap();
    assert_eq!(e.code, ErrorCode::NotARegister);
    assert_eq!(std::fs::read_to_string(&text).unwrap(), "non sono un database, solo appunti di riunione\n".repeat(100));

    let other = dir.path().join("altro.sqlite");
    {
        let c = rusqlite::Connection::open(&other).unwrap();
        c.execute("CREATE TABLE cose (x)", []).unwrap();
    }
    let before = file_bytes(&other);
    assert_eq!(Register::open(&other).err().unwrap().code, ErrorCode::NotARegister);
    assert_eq!(file_bytes(&other), before);
}

#[test]
fn foreign_keys_hold_even_against_raw_sql() {
    let (_d, reg) = fresh();
    let r = reg.connection().execute(
        "INSERT INTO party (id, agreement_id, administration_id, role) VALUES (?1, ?2, ?3, 'aderente')",
        [ids::new_id(), ids::new_id(), ids::new_id()],
    );
    assert!(r.unwrap_err().to_string().contains("FOREIGN KEY"));
}

#[test]
fn a_register_in_a_missing_folder_is_named_in_italian() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("non-esiste").join("registro.raccordo");
    let e = Register::open(&path).err().unwrap();
    assert_eq!(e.code, ErrorCode::Storage);
    assert!(
        e.message.ends_with("il file non si può aprire né creare (la cartella non esiste o mancano i permessi)."),
        "{}",
        e.message
    );
    assert!(!path.exists());
}

/// An earlier Raccordo committed its first migrations before the file's identity; a
/// crash in between left a file that never opened again. Such a file is completed.
#[test]
fn a_file_left_half_made_by_an_earlier_version_opens_and_completes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a-meta.raccordo");
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(schema::MIGRATIONS[0].sql).unwrap();
        c.execute_batch(schema::MIGRATIONS[1].sql).unwrap();
        c.pragma_update(None, "user_version", 2).unwrap();
    }
    let reg = Register::open(&path).unwrap();
    assert_eq!(schema::version(reg.connection()).unwrap(), schema::LATEST);
    assert_eq!(reg.reader().count(Kind::Administration).unwrap(), 8_124);
    assert_eq!(reg.settings().site_id.get_version_num(), 7);
    verify::register(reg.connection()).unwrap().into_result().unwrap();
}

/// A file at schema 2 with settings, as the previous version left it: the settings
/// become the journal's first settings row, and the file verifies.
#[test]
fn settings_of_an_older_file_become_its_first_settings_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema-2.raccordo");
    {
        let reg = Register::open_at_schema(&path, 2).unwrap();
        reg.connection().execute("INSERT INTO meta (key, value) VALUES ('user_name', 'Maria Rossi')", []).unwrap();
    }
    let reg = Register::open(&path).unwrap();
    assert_eq!(reg.settings().user_name, "Maria Rossi");
    let history = audit::history(reg.connection(), reg.settings().site_id).unwrap();
    assert_eq!((history.len(), history[0].after["user_name"].as_str()), (1, Some("Maria Rossi")));
    verify::register(reg.connection()).unwrap().into_result().unwrap();
}
