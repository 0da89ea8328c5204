//! Bundle files (`sync export`, `sync import`): the same batches as a file, for an
//! office with no line. The real binary on real registers; Python's `json` and
//! `hashlib` read the file as nobody here wrote them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn cli(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_raccordo-cli")).arg("--db").arg(db).args(args).output().expect("run raccordo-cli")
}

#[track_caller]
fn ok(o: Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The code of the `errore [CODE]: …` line, and the line.
#[track_caller]
fn refused(o: Output) -> (String, String) {
    assert!(!o.status.success(), "expected a refusal: {}", String::from_utf8_lossy(&o.stdout));
    let err = String::from_utf8(o.stderr).unwrap();
    let line = err.lines().find(|l| l.starts_with("errore [")).unwrap_or_else(|| panic!("{err}")).to_owned();
    (line["errore [".len()..line.find(']').unwrap()].to_owned(), line)
}

fn numbers(db: &Path) -> Vec<String> {
    ok(cli(db, &["list", "agreements"]))
        .lines()
        .map(|l| l.split('\t').nth(1).unwrap().split(' ').next().unwrap().to_owned())
        .collect()
}

/// Rows of the journal: what any change, even a refused one, would add to.
fn journal_rows(db: &Path) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row("SELECT count(*) FROM journal", [], |r| r.get(0)).unwrap()
}

fn fresh(dir: &Path, name: &str) -> PathBuf {
    let db = dir.join(name);
    ok(cli(&db, &["list", "agreements"]));
    db
}

#[test]
fn a_bundle_carries_what_the_office_reads_applies_once_and_is_refused_whole_when_altered() {
    let dir = tempfile::tempdir().unwrap();
    let prefettura = dir.path().join("prefettura.raccordo");
    ok(cli(&prefettura, &["demo", "--today", "2026-11-24"]));
    let bundle = dir.path().join("provincia.raccordo-sync");
    let said =
        ok(cli(&prefettura, &["sync", "export", "--for", "Provincia di Lucca", "--out", bundle.to_str().unwrap()]));
    assert!(said.contains("per l'ufficio Provincia di Lucca"), "{said}");

    // Python reads it: JSON lines, a header, the changes, a trailer whose SHA-256 is
    // that of every byte before it.
    let check = Command::new("python3")
        .arg("-c")
        .arg(
            "import hashlib, json, sys\n\
             data = open(sys.argv[1], 'rb').read()\n\
             body, last = data.rstrip(b'\\n').rsplit(b'\\n', 1)\n\
             end = json.loads(last)['end']\n\
             lines = body.split(b'\\n')\n\
             head = json.loads(lines[0])\n\
             assert head['format'] == 'raccordo-sync-bundle', head\n\
             assert end['sha256'] == hashlib.sha256(body + b'\\n').hexdigest(), 'checksum'\n\
             assert end['changes'] == len(lines) - 1\n\
             print(len(lines) - 1, ' '.join(sorted({json.loads(l)['kind'] for l in lines[1:]})))",
        )
        .arg(&bundle)
        .output()
        .unwrap();
    let python = ok(check);
    assert!(python.contains("agreement") && python.contains("party"), "{python}");

    // The provincia is a party of 2007/1 only: that is what it receives.
    let provincia = fresh(dir.path(), "provincia.raccordo");
    let said = ok(cli(&provincia, &["sync", "import", bundle.to_str().unwrap()]));
    assert!(said.contains("modifiche applicate") && said.contains(", 0 già presenti"), "{said}");
    assert_eq!(numbers(&provincia), vec!["2007/1"]);
    let again = ok(cli(&provincia, &["sync", "import", bundle.to_str().unwrap()]));
    assert!(again.contains("0 modifiche applicate"), "applied once: {again}");
    assert!(ok(cli(&provincia, &["audit", "verify"])).starts_with("Registro integro"));

    // One byte changed, the trailer cut, bytes after it, not a bundle at all: each
    // refused whole, the register as it was.
    let bytes = std::fs::read(&bundle).unwrap();
    let at = bytes.windows(6).position(|w| w == b"2007/1").unwrap();
    let mut altered = bytes.clone();
    altered[at + 5] = b'9';
    let cut = &bytes[..bytes.len() - 20];
    let mut extended = bytes.clone();
    extended.extend_from_slice(b"{\"seq\":0}\n");
    let cases: [(&str, &[u8], &str); 4] = [
        ("altered", &altered, "checksum_mismatch"),
        ("cut", cut, "bad_bundle"),
        ("extended", &extended, "bad_bundle"),
        ("text", b"protocollo d'intesa\n", "bad_bundle"),
    ];
    for (name, content, code) in cases {
        let target = fresh(dir.path(), &format!("{name}.raccordo"));
        let file = dir.path().join(format!("{name}.raccordo-sync"));
        std::fs::write(&file, content).unwrap();
        let before = journal_rows(&target);
        let (got, line) = refused(cli(&target, &["sync", "import", file.to_str().unwrap()]));
        assert_eq!(got, code, "{name}: {line}");
        assert!(line.contains("Nulla è stato applicato"), "{name}: {line}");
        assert_eq!(journal_rows(&target), before, "{name}: nothing written");
        assert!(numbers(&target).is_empty());
    }

    // A register that works for another office does not take it.
    let before = journal_rows(&prefettura);
    let (code, line) = refused(cli(&prefettura, &["sync", "import", bundle.to_str().unwrap()]));
    assert_eq!(code, "bad_bundle", "{line}");
    assert!(line.contains("è per un altro ufficio"), "{line}");
    assert_eq!(journal_rows(&prefettura), before);

    // A private agreement is in no bundle.
    ok(cli(&prefettura, &["share", "2007/1", "privato"]));
    let private = dir.path().join("private.raccordo-sync");
    let said =
        ok(cli(&prefettura, &["sync", "export", "--for", "Provincia di Lucca", "--out", private.to_str().unwrap()]));
    assert!(said.contains("Scritto") && said.contains(" 0 modifiche"), "{said}");
    let (code, line) = refused(cli(&prefettura, &["sync", "export", "--for", "Ente che non esiste", "--out", "x"]));
    assert_eq!(code, "bad_request", "{line}");
}
