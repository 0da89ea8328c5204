//! raccordo-cli as a script uses it: the real binary on a real register file.

use std::path::Path;
use std::process::{Command, Output};

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raccordo-cli")).arg("--db").arg(db).args(args).output().expect("run raccordo-cli")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Every line is an id, a tab, a title.
fn lines(o: &Output) -> Vec<(String, String)> {
    assert!(o.status.success(), "{}", stderr(o));
    stdout(o)
        .lines()
        .map(|l| {
            let (id, title) = l.split_once('\t').expect("id<TAB>title");
            assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
            (id.to_owned(), title.to_owned())
        })
        .collect()
}

fn demo_register() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.raccordo");
    let o = cli(&db, &["demo", "--today", "2026-11-24"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (dir, db)
}

#[test]
fn demo_then_list_every_kind() {
    let (_d, db) = demo_register();
    let agreements = lines(&cli(&db, &["list", "agreements"]));
    let titles: Vec<&str> = agreements.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(titles.len(), 2);
    assert!(titles[0].starts_with("2007/1 — Protocollo d'intesa per lo sviluppo di un progetto di cooperazione"));
    assert!(titles[1].starts_with("2016/4 — Accordo tra la Regione Toscana"));
    let people = lines(&cli(&db, &["list", "people"]));
    for name in ["Aronica Carmelo", "Baccelli Stefano", "Favilla Mauro", "Bambini Francesco", "Leone Luca"] {
        assert!(people.iter().any(|(_, t)| t == name), "{name}");
    }
    let projects = lines(&cli(&db, &["list", "projects"]));
    assert!(projects.iter().any(|(_, t)| t == "Open Toscana"));
    let meetings = lines(&cli(&db, &["list", "meetings"]));
    assert_eq!(meetings.len(), 3);
    assert_eq!(meetings[0].1, "Seduta n. 1 del 4 marzo 2008");
    let administrations = lines(&cli(&db, &["list", "administrations"]));
    assert_eq!(administrations.len(), 8_124);
}

#[test]
fn search_prints_matches_best_first() {
    let (_d, db) = demo_register();
    let hits = lines(&cli(&db, &["search", "citta metropolitana firenze"]));
    assert_eq!(hits[0].1, "Città metropolitana di Firenze");
    let hits = lines(&cli(&db, &["search", "Iris"]));
    assert_eq!(hits[0].1, "Iris, portale dei pagamenti e dei debiti verso la PA");
    let hits = lines(&cli(&db, &["search", "amministrazione digitale", "--limit", "1"]));
    assert_eq!(hits.len(), 1);
    assert!(hits[0].1.starts_with("2007/1"), "{}", hits[0].1);
}

#[test]
fn audit_verify_reports_an_intact_chain_and_a_broken_one() {
    let (_d, db) = demo_register();
    let o = cli(&db, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Registro integro: "), "{}", stdout(&o));
    assert!(stdout(&o).contains("corrispondono al registro modifiche."), "{}", stdout(&o));

    // A change to a record table leaves the chain whole: the replay finds it.
    let c = rusqlite::Connection::open(&db).unwrap();
    let changed = c
        .execute("UPDATE agreement SET subject = 'Altro oggetto' WHERE rowid = (SELECT min(rowid) FROM agreement)", [])
        .unwrap();
    assert_eq!(changed, 1);
    let o = cli(&db, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("errore [inconsistent]: Il registro non corrisponde al suo registro modifiche: "),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("il campo subject nel file è «Altro oggetto»"), "{}", stderr(&o));

    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch("DROP TRIGGER journal_no_update; UPDATE journal SET actor = 'qualcun altro' WHERE seq = 7;")
        .unwrap();
    drop(c);
    let o = cli(&db, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "errore [audit_broken]: Registro modifiche alterato: la catena si interrompe alla voce n. 7 (contenuto modificato o non concatenato alla voce precedente).\n"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn errors_carry_code_and_italian_message_on_stderr() {
    let (dir, db) = demo_register();
    let o = cli(&db, &["demo"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "errore [bad_request]: Il registro contiene già dei protocolli: il registro dimostrativo si crea in un file nuovo.\n"
    );
    let o = cli(&db, &["search", "  ?! "]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "errore [bad_request]: Ricerca: scrivi almeno una parola.\n");

    let notes = dir.path().join("appunti.txt");
    std::fs::write(&notes, "appunti, non un registro\n".repeat(200)).unwrap();
    let o = cli(&notes, &["list", "agreements"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("errore [not_a_register]: "), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "appunti, non un registro\n".repeat(200));
}

#[test]
fn generate_adds_a_realistic_register() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("grande.raccordo");
    let o = cli(&db, &["generate", "--agreements", "300", "--seed", "3"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with("Generati 300 protocolli, "), "{}", stdout(&o));
    assert_eq!(lines(&cli(&db, &["list", "agreements"])).len(), 300);
    assert!(cli(&db, &["audit", "verify"]).status.success());
}

#[test]
fn documents_for_scheduled_reports() {
    let (dir, db) = demo_register();
    // The protocol report by register number, at a fixed time: twice the same bytes.
    let out = dir.path().join("scheda.pdf");
    let args = ["document", "protocol", "2007/1", "--out", out.to_str().unwrap(), "--at", "2026-11-24T09:00:00Z"];
    let o = cli(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).starts_with(out.to_str().unwrap()), "{}", stdout(&o));
    let first = std::fs::read(&out).unwrap();
    assert!(first.starts_with(b"%PDF-"));
    let meta = std::fs::read_to_string(dir.path().join("scheda.metadati.json")).unwrap();
    assert!(meta.contains("\"NomeDelDocumento\": \"scheda.pdf\""), "{meta}");
    assert!(cli(&db, &args).status.success());
    assert!(std::fs::read(&out).unwrap() == first, "regenerated file differs");

    // Minutes of a meeting by id, and each report.
    let meeting = &lines(&cli(&db, &["list", "meetings"]))[0].0;
    let minutes = dir.path().join("verbale.pdf");
    let o = cli(&db, &["document", "minutes", meeting, "--out", minutes.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    for (what, extra) in
        [("agreements-report", vec!["--status", "vigente"]), ("projects-report", vec![]), ("overdue-report", vec![])]
    {
        let out = dir.path().join(format!("{what}.pdf"));
        let mut a = vec!["document", what, "--out", out.to_str().unwrap()];
        a.extend(extra);
        let o = cli(&db, &a);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        assert!(out.exists() && dir.path().join(format!("{what}.metadati.json")).exists());
    }
}

#[test]
fn document_errors_say_what_is_wrong() {
    let (dir, db) = demo_register();
    let out = dir.path().join("x.pdf");
    let out = out.to_str().unwrap();
    let o = cli(&db, &["document", "protocol", "1999/99", "--out", out]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("errore [not_found]: Protocollo n. 1999/99"), "{}", stderr(&o));
    let o = cli(&db, &["document", "agreements-report", "--status", "firmato", "--out", out]);
    assert!(stderr(&o).contains("errore [bad_request]: Stato: «firmato» non è un valore ammesso"), "{}", stderr(&o));
    let o = cli(&db, &["document", "minutes", "--out", out]);
    assert!(stderr(&o).contains("indica il record"), "{}", stderr(&o));
    assert!(!Path::new(out).exists(), "nothing written on error");
}

/// `add`, `show`, `set` and `delete`: what scripts (and the sync tests) change the
/// register with, through the register's own checks.
#[test]
fn records_are_added_shown_changed_and_deleted_with_the_registers_checks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("registro.raccordo");
    let base = [
        "agreement",
        "number=2007/12",
        "kind=protocollo_intesa",
        "subject=Protocollo d'intesa per la Valle del Serchio",
        "objectives:=[\"Scambio di banche dati\"]",
        "renewal=none",
        "status=bozza",
        "themes:=[]",
    ];
    let mut args = vec!["add"];
    args.extend(base);
    let o = cli(&db, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let id = stdout(&o).trim().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");

    let shown: serde_json::Value = serde_json::from_str(&stdout(&cli(&db, &["show", "agreement", &id]))).unwrap();
    assert_eq!(shown["number"], "2007/12");
    assert_eq!(shown["objectives"], serde_json::json!(["Scambio di banche dati"]));

    let o = cli(&db, &["set", "agreement", &id, "duration_months:=24", "signature_place=Lucca"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let shown: serde_json::Value = serde_json::from_str(&stdout(&cli(&db, &["show", "agreement", &id]))).unwrap();
    assert_eq!((shown["duration_months"].as_u64(), shown["signature_place"].as_str()), (Some(24), Some("Lucca")));

    // The same number twice: the register's rule, in Italian.
    let o = cli(&db, &args);
    assert!(!o.status.success());
    assert!(stderr(&o).starts_with("errore [validation]: "), "{}", stderr(&o));
    assert!(stderr(&o).contains("2007/12 è già assegnato"), "{}", stderr(&o));
    // A field that does not exist, one missing, a value not allowed, a bad kind.
    for (args, says) in [
        (vec!["set", "agreement", id.as_str(), "titolo=X"], "il campo «titolo» non esiste"),
        (vec!["add", "agreement", "number=2008/1"], "manca il campo"),
        (vec!["set", "agreement", id.as_str(), "status=firmatissimo"], "il valore «firmatissimo» non è ammesso"),
        (vec!["show", "protocollo", id.as_str()], "Tipo di record sconosciuto «protocollo»"),
        (vec!["set", "agreement", id.as_str(), "duration_months"], "scrivi CAMPO=TESTO o CAMPO:=JSON"),
    ] {
        let o = cli(&db, &args);
        assert!(!o.status.success(), "{args:?}");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    let o = cli(&db, &["delete", "agreement", &id]);
    assert_eq!(stdout(&o).trim(), "Eliminato 1 record.", "{}", stderr(&o));
    let o = cli(&db, &["show", "agreement", &id]);
    assert!(stderr(&o).starts_with("errore [not_found]: "), "{}", stderr(&o));
    assert!(cli(&db, &["audit", "verify"]).status.success());
}

/// `backup` killed with SIGKILL at points through the copy and its check, over and
/// over: the register stays whole, the copy already there under that name stays byte
/// for byte, and whatever is left at the name is a checked copy.
#[test]
fn a_backup_killed_half_way_leaves_the_register_and_the_previous_copy_intact() {
    let (dir, db) = demo_register();
    let copy = dir.path().join("copie").join("oggi.raccordo");
    let o = cli(&db, &["backup", "--out", copy.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("integra"), "{}", stdout(&o));
    let mut previous = std::fs::read(&copy).unwrap();
    let first = lines(&cli(&db, &["list", "agreements"]))[0].0.clone();
    let o = cli(&db, &["set", "agreement", &first, "subject=Cambiato dopo la prima copia"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let part = dir.path().join("copie").join("oggi.raccordo.parziale");
    let (mut finished, mut cut_mid_copy) = (0, 0);
    for delay_ms in [0, 5, 15, 30, 60, 100, 150, 250, 400] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_raccordo-cli"))
            .arg("--db")
            .arg(&db)
            .args(["backup", "--out", copy.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let status = child.wait().unwrap();
        let now = std::fs::read(&copy).unwrap();
        if status.success() {
            finished += 1;
        } else {
            // Killed while its copy was being written or checked.
            cut_mid_copy += usize::from(part.exists());
        }
        if now != previous {
            // Replaced (the kill came after the rename): then by a whole, checked copy,
            // read from a scratch copy of its bytes so that the copy stays as it is.
            let scratch = dir.path().join("verifica.raccordo");
            std::fs::write(&scratch, &now).unwrap();
            let o = cli(&scratch, &["audit", "verify"]);
            assert!(o.status.success(), "after a kill at {delay_ms} ms the copy is not whole: {}", stderr(&o));
            for f in ["verifica.raccordo", "verifica.raccordo-wal", "verifica.raccordo-shm"] {
                let _ = std::fs::remove_file(dir.path().join(f));
            }
            previous = now;
        }
        let o = cli(&db, &["audit", "verify"]);
        assert!(o.status.success(), "after a kill at {delay_ms} ms: {}", stderr(&o));
    }
    assert!(cut_mid_copy > 0, "no backup was killed half-way ({finished} finished): raise the register's size");
}

#[test]
fn imports_report_each_row_and_a_refused_row_imports_nothing_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.raccordo");
    let file = dir.path().join("protocolli.csv");
    std::fs::write(
        &file,
        "Numero;Oggetto;Stato;Parti;Sottoscritto il\r\n\
         2021/1;Sportello unico;Vigente;\"Comune di Lucca; Comune di Capannori\";01/02/2021\r\n\
         2021/2;Rete bibliotecaria;Bozza;Comune di Luca;\r\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let count = |db: &Path| lines(&cli(db, &["list", "agreements"])).len();

    let o = cli(&db, &["import", "agreements", f, "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("riga 2\t2021/1\tda importare"), "{out}");
    assert!(
        out.contains("riga 3\t2021/2\trifiutato: ente «Comune di Luca» non trovato (i più vicini: Comune di Lucca"),
        "{out}"
    );
    assert!(stderr(&o).contains("errore [bad_request]: 1 riga sarebbe rifiutata"), "{}", stderr(&o));
    assert_eq!(count(&db), 0);

    let o = cli(&db, &["import", "agreements", f]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).ends_with("1 riga da importare, 1 rifiutata: nulla è stato importato.\n"), "{}", stdout(&o));
    assert_eq!(count(&db), 0);

    let o = cli(&db, &["import", "agreements", f, "--import-good"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("riga 2\t2021/1\timportato"), "{}", stdout(&o));
    assert_eq!(stderr(&o), "avviso: 1 riga rifiutata non è stata importata (vedi sopra).\n");
    assert_eq!(count(&db), 1);

    let o = cli(&db, &["import", "agreements", dir.path().join("manca.csv").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("impossibile leggere il file"), "{}", stderr(&o));

    let ipa = dir.path().join("enti.csv");
    std::fs::write(
        &ipa,
        "Codice_IPA,Denominazione_ente,Codice_fiscale_ente,Codice_Categoria,Codice_comune_ISTAT,Mail1,Tipo_Mail1,Sito_istituzionale,Data_aggiornamento\n\
         c_e715,Comune di Lucca,00378210462,L6,046017,comune.lucca@postacert.toscana.it,Pec,www.comune.lucca.it,2026-11-30\n",
    )
    .unwrap();
    let o = cli(&db, &["import", "ipa", ipa.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "Indice PA (1 ente, aggiornato al 30/11/2026): 0 aggiunti, 1 completato, 0 già aggiornati, 0 note.\n"
    );
    let lucca = lines(&cli(&db, &["search", "c_e715"]));
    assert_eq!(lucca.len(), 1);
    let shown = stdout(&cli(&db, &["show", "administration", &lucca[0].0]));
    assert!(
        shown.contains("\"fiscal_code\": \"00378210462\"") && shown.contains("Completato dall'Indice PA"),
        "{shown}"
    );
}

#[test]
fn an_import_killed_half_way_leaves_the_register_with_none_or_all_of_the_file() {
    // 10,000 agreements of a generated register, exported, then imported into another
    // register (about 2 s) by processes killed with SIGKILL at growing delays: most
    // of them while the import writes.
    let dir = tempfile::tempdir().unwrap();
    let source = dir.path().join("origine.raccordo");
    let o = cli(&source, &["generate", "--agreements", "10000"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let file = dir.path().join("protocolli.csv");
    let o = cli(&source, &["export", "csv", "protocolli", "--out", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let db = dir.path().join("r.raccordo");
    assert!(cli(&db, &["list", "agreements"]).status.success());
    let mut killed = 0;
    for delay_ms in [300, 600, 1000, 1500] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_raccordo-cli"))
            .arg("--db")
            .arg(&db)
            .args(["import", "agreements", file.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
        let done = child.wait().unwrap().success();
        let held = lines(&cli(&db, &["list", "agreements"])).len();
        let o = cli(&db, &["audit", "verify"]);
        assert!(o.status.success(), "after a kill at {delay_ms} ms: {}", stderr(&o));
        if done {
            assert_eq!(held, 10_000, "a finished import holds the whole file");
            break;
        }
        killed += 1;
        assert_eq!(held, 0, "an import killed at {delay_ms} ms left {held} agreements");
    }
    assert!(killed >= 2, "only {killed} imports killed half-way: raise the file's size");
    // Left alone, the import lands whole.
    if lines(&cli(&db, &["list", "agreements"])).is_empty() {
        let o = cli(&db, &["import", "agreements", file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    assert_eq!(lines(&cli(&db, &["list", "agreements"])).len(), 10_000);
}
