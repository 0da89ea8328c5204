//! Documents made from the demo register and from a generated one, checked with the
//! tools an archivist would use: `qpdf --check`, `pdffonts`, `pdftotext`, and the XMP
//! packet for PDF/A-2b and PDF/UA-1. The PDFs and their first pages as PNG are kept in
//! `tests/output/documents/` to look at.

use chrono::{DateTime, NaiveDate, Utc};
use raccordo_documents::{Documents, Made, ProjectFilter, Request};
use raccordo_register::query::AgreementFilter;
use raccordo_register::{Kind, Meeting, MinutesStatus, Register};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

fn at() -> DateTime<Utc> {
    "2026-11-24T09:30:00Z".parse().unwrap()
}

fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/output/documents");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn documents() -> &'static Documents {
    static D: OnceLock<Documents> = OnceLock::new();
    D.get_or_init(|| Documents::new(None))
}

struct Demo {
    _dir: tempfile::TempDir,
    reg: Register,
    protocol: uuid::Uuid,
}

fn demo() -> Demo {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    let demo = raccordo_demo::build_demo(&mut reg, NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()).unwrap();
    Demo { _dir: dir, reg, protocol: demo.lucca_protocol }
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} not runnable ({e}): scripts/install-deps installs it"));
    assert!(
        out.status.success(),
        "{cmd} {args:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Writes the document, checks it as an archive would, and returns its text.
fn check(made: &Made, name: &str) -> String {
    let path = output_dir().join(name);
    raccordo_documents::write(made, &path).unwrap();
    let p = path.to_str().unwrap();

    let qpdf = run("qpdf", &["--check", p]);
    assert!(qpdf.contains("No syntax or stream encoding errors"), "{name}: qpdf says\n{qpdf}");

    let fonts = run("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{name}: no fonts?\n{fonts}");
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type encoding emb sub uni object ID: emb and sub are the 3rd and 4th from the end-2.
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "{name}: font not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "{name}: font not subset: {row}");
        assert!(row.contains("Titillium") || row.contains("Noto"), "{name}: unexpected font {row}");
    }

    let info = run("pdfinfo", &[p]);
    assert!(info.contains("Tagged:          yes"), "{name}: not tagged\n{info}");
    assert!(info.contains("Author:          "), "{name}: no author\n{info}");
    assert!(info.contains("Keywords:"), "{name}: no keywords\n{info}");
    assert!(info.contains("Subject:"), "{name}: no subject\n{info}");

    let raw = std::fs::read(&path).unwrap();
    let xmp = String::from_utf8_lossy(&raw);
    assert!(
        xmp.contains("<pdfaid:part>2</pdfaid:part>") && xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"),
        "{name}: XMP does not declare PDF/A-2b"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{name}: XMP does not declare PDF/UA-1");
    assert!(xmp.contains("/Lang (it-IT)") || xmp.contains("/Lang(it-IT)"), "{name}: language is not it-IT");
    assert!(xmp.contains("/StructTreeRoot"), "{name}: no structure tree");

    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(raccordo_documents::metadata_path(&path)).unwrap()).unwrap();
    let hex = meta["IdDoc"]["ImprontaCrittograficaDelDocumento"]["ImprontaEsadecimale"].as_str().unwrap();
    let sum = run("sha256sum", &[p]);
    assert!(sum.starts_with(hex), "{name}: metadata SHA-256 is not the file's");
    assert_eq!(meta["NomeDelDocumento"], name);

    run("pdftoppm", &["-png", "-r", "70", "-f", "1", "-l", "3", p, &p.replace(".pdf", "")]);
    run("pdftotext", &["-layout", p, "-"])
}

#[test]
fn protocol_report_of_the_lucca_protocol() {
    let d = demo();
    let made = documents().make(&d.reg, &Request::Protocol { agreement_id: d.protocol }, at()).unwrap();
    let text = check(&made, "scheda-protocollo-lucca.pdf");
    for expected in [
        "Prefettura di Lucca",
        "22 dicembre 2007",
        "Parti e adesioni",
        "Firmatari",
        "Provincia di Lucca",
        "Comune di Lucca",
        "Pagina 1 di",
        "Firma",
    ] {
        assert!(text.contains(expected), "protocol report lacks «{expected}»:\n{text}");
    }
    // Accented letters come back as letters, not as broken glyphs.
    for accented in ["società", "comunità", "progettualità"] {
        assert!(text.contains(accented), "«{accented}» not given back:\n{text}");
    }
    assert!(made.record.tipologia_documentale.starts_with("Scheda del protocollo"));
}

#[test]
fn same_data_and_time_give_the_same_bytes() {
    let d = demo();
    let a = documents().make(&d.reg, &Request::Protocol { agreement_id: d.protocol }, at()).unwrap();
    let fresh = Documents::new(None);
    let b = fresh.make(&d.reg, &Request::Protocol { agreement_id: d.protocol }, at()).unwrap();
    assert!(a.pdf == b.pdf, "regenerated PDF differs");
    assert_eq!(a.record.to_json(), b.record.to_json());
    let later = documents()
        .make(&d.reg, &Request::Protocol { agreement_id: d.protocol }, at() + chrono::Duration::hours(1))
        .unwrap();
    assert!(later.pdf != a.pdf, "the generation time is part of the document");
}

fn meetings(reg: &Register) -> Vec<Meeting> {
    reg.reader().select("SELECT * FROM meeting ORDER BY date, number", []).unwrap()
}

#[test]
fn minutes_draft_and_approved_and_convocation() {
    let d = demo();
    let all = meetings(&d.reg);
    let draft = all.iter().find(|m| m.minutes_status == MinutesStatus::Bozza).expect("a draft in the demo");
    let approved =
        all.iter().find(|m| m.minutes_status == MinutesStatus::Approvato).expect("approved minutes in the demo");

    let made = documents().make(&d.reg, &Request::Minutes { meeting_id: draft.id }, at()).unwrap();
    let text = check(&made, "verbale-bozza.pdf");
    for expected in [
        "BOZZA",
        "Verbale della seduta",
        "Presenti",
        "ordine del giorno",
        "si è riunito",
        "Il Presidente",
        "Il Segretario verbalizzante",
        "Pagina 1 di",
    ] {
        assert!(text.contains(expected), "draft minutes lack «{expected}»:\n{text}");
    }

    let made = documents().make(&d.reg, &Request::Minutes { meeting_id: approved.id }, at()).unwrap();
    let text = check(&made, "verbale-approvato.pdf");
    assert!(text.contains("Verbale approvato"), "approved minutes do not say so:\n{text}");
    assert!(!text.contains("BOZZA"), "approved minutes marked as draft");
    assert_eq!(made.record.tipologia_documentale, "Verbale di seduta");

    let made = documents().make(&d.reg, &Request::Convocation { meeting_id: draft.id }, at()).unwrap();
    let text = check(&made, "convocazione.pdf");
    assert!(text.contains("Convocazione della seduta") && text.contains("Ordine del giorno"), "{text}");
    assert_eq!(made.record.dati_di_registrazione.tipologia_di_flusso, "U");
}

#[test]
fn register_reports_of_the_demo() {
    let d = demo();
    let made = documents().make(&d.reg, &Request::ProjectsReport { filter: ProjectFilter::default() }, at()).unwrap();
    let text = check(&made, "report-progetti.pdf");
    assert!(text.contains("Finanziamenti per fonte") && text.contains("Totale") && text.contains("€"), "{text}");
    let made = documents().make(&d.reg, &Request::OverdueReport, at()).unwrap();
    let text = check(&made, "report-scadenze.pdf");
    assert!(text.contains("Azioni scadute") && text.contains("Impegni scaduti"), "{text}");
    assert!(text.contains("1 azione e 1 impegno oltre la scadenza"), "{text}");
    let made =
        documents().make(&d.reg, &Request::AgreementsReport { filter: AgreementFilter::default() }, at()).unwrap();
    let text = check(&made, "report-protocolli-demo.pdf");
    assert!(text.contains("Protocolli per stato e scadenza"), "{text}");
}

#[test]
fn agreements_report_of_a_thousand_agreements() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("mille.raccordo")).unwrap();
    raccordo_demo::generate(&mut reg, 1000, 7, "GEN").unwrap();
    let total = reg.reader().count(Kind::Agreement).unwrap();
    assert_eq!(total, 1000);
    let made = documents().make(&reg, &Request::AgreementsReport { filter: AgreementFilter::default() }, at()).unwrap();
    let text = check(&made, "report-protocolli-1000.pdf");
    // Every agreement is one numbered row: its register number appears once.
    let mut stmt = reg.connection().prepare("SELECT number FROM agreement ORDER BY number").unwrap();
    let numbers: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(|n| n.unwrap()).collect();
    let rows = numbers.iter().filter(|n| text.contains(n.as_str())).count();
    assert_eq!(rows, 1000, "rows in the report");
    // The last page says "Pagina N di N".
    let pages: usize = run("pdfinfo", &[output_dir().join("report-protocolli-1000.pdf").to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert!(pages > 10, "1000 rows on {pages} pages?");
    let last_page = text.split('\u{c}').rfind(|p| !p.trim().is_empty()).unwrap();
    assert!(last_page.contains(&format!("Pagina {pages} di {pages}")), "last page:\n{last_page}");
}

#[test]
fn a_missing_record_is_a_clear_error() {
    let d = demo();
    let e = documents().make(&d.reg, &Request::Minutes { meeting_id: uuid::Uuid::now_v7() }, at()).err().unwrap();
    assert_eq!(e.code_str(), "not_found");
    assert!(e.message.starts_with("Seduta"), "{}", e.message);
}

#[test]
fn an_office_template_with_a_mistake_says_where() {
    let d = demo();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("verbale.typ"),
        "#import \"lib.typ\": *\n#show: documento\n= Verbale\n#doc.nonesiste\n",
    )
    .unwrap();
    let docs = Documents::new(Some(dir.path()));
    let m = &meetings(&d.reg)[0];
    let e = docs.make(&d.reg, &Request::Minutes { meeting_id: m.id }, at()).err().unwrap();
    assert_eq!(e.code_str(), "document");
    assert!(e.message.contains("verbale.typ, riga 4"), "{}", e.message);
    // The other templates are still the built-in ones.
    docs.make(&d.reg, &Request::Convocation { meeting_id: m.id }, at()).unwrap();
}

#[test]
fn odd_template_files_are_refused_with_a_note_and_a_looping_one_is_stopped() {
    let d = demo();
    let dir = tempfile::tempdir().unwrap();
    // A name with a backslash (made on Windows, or by hand) and a symbolic link to a
    // template elsewhere: neither is used, each is said, the built-in one prints.
    std::fs::write(dir.path().join("sub\\verbale.typ"), "#panic(\"non usato\")").unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("convocazione.typ"), "#panic(\"non usato\")").unwrap();
    std::os::unix::fs::symlink(elsewhere.path().join("convocazione.typ"), dir.path().join("convocazione.typ")).unwrap();
    let docs = Documents::new(Some(dir.path()));
    let m = &meetings(&d.reg)[0];
    let made = docs.make(&d.reg, &Request::Convocation { meeting_id: m.id }, at()).unwrap();
    assert_eq!(made.template_notes.len(), 2, "{:?}", made.template_notes);
    assert!(made.template_notes.iter().any(|n| n.contains("collegamento simbolico")), "{:?}", made.template_notes);
    assert!(made.template_notes.iter().any(|n| n.contains("solo lettere, cifre")), "{:?}", made.template_notes);
    docs.make(&d.reg, &Request::Minutes { meeting_id: m.id }, at()).unwrap();

    // A template that loops for ever is stopped by the layout engine with an error.
    let looping = tempfile::tempdir().unwrap();
    std::fs::write(looping.path().join("verbale.typ"), "#let n = 0\n#while true { n += 1 }\n").unwrap();
    let docs = Documents::new(Some(looping.path()));
    let e = docs.make(&d.reg, &Request::Minutes { meeting_id: m.id }, at()).err().unwrap();
    assert_eq!(e.code_str(), "document");
    assert!(e.message.contains("verbale.typ, riga 2"), "{}", e.message);
    // And one that calls itself without end.
    std::fs::write(looping.path().join("verbale.typ"), "#let f(x) = f(x + 1)\n#f(0)\n").unwrap();
    let docs = Documents::new(Some(looping.path()));
    let e = docs.make(&d.reg, &Request::Minutes { meeting_id: m.id }, at()).err().unwrap();
    assert!(e.message.contains("verbale.typ"), "{}", e.message);
}

#[test]
fn the_office_logo_heads_every_page() {
    let mut d = demo();
    let office = d.reg.settings().office_id.expect("the demo sets its office");
    let png = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../assets/icons/128x128.png")).unwrap();
    d.reg.write(|w| w.attach(Kind::Administration, office, "logo-prefettura.png", "image/png", &png, None)).unwrap();
    let made = documents().make(&d.reg, &Request::Protocol { agreement_id: d.protocol }, at()).unwrap();
    check(&made, "scheda-protocollo-con-logo.pdf");
    let path = output_dir().join("scheda-protocollo-con-logo.pdf");
    let images = run("pdfimages", &["-list", path.to_str().unwrap()]);
    let pages: usize = run("pdfinfo", &[path.to_str().unwrap()])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert_eq!(
        images.lines().skip(2).filter(|l| l.split_whitespace().nth(2) == Some("image")).count(),
        pages,
        "one logo a page:\n{images}"
    );
}

/// Documents from the 100k register: one agreement's report, one meeting's minutes, a
/// filtered report; the whole register in one report is refused with the reason.
#[test]
fn documents_from_the_100k_register() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("centomila.raccordo")).unwrap();
    raccordo_demo::generate(&mut reg, 100_000, 1, "GEN").unwrap();
    let r = reg.reader();
    let agreement: uuid::Uuid = r
        .query_one(
            "SELECT agreement_id FROM party GROUP BY agreement_id ORDER BY count(*) DESC, agreement_id LIMIT 1",
            [],
        )
        .unwrap()
        .unwrap();
    let meeting: uuid::Uuid = r
        .query_one(
            "SELECT meeting_id FROM agenda_item GROUP BY meeting_id ORDER BY count(*) DESC, meeting_id LIMIT 1",
            [],
        )
        .unwrap()
        .unwrap();
    let made = documents().make(&reg, &Request::Protocol { agreement_id: agreement }, at()).unwrap();
    let text = check(&made, "centomila-scheda.pdf");
    assert!(text.contains("Parti e adesioni") && text.contains("Pagina 1 di"), "{text}");
    let made = documents().make(&reg, &Request::Minutes { meeting_id: meeting }, at()).unwrap();
    let text = check(&made, "centomila-verbale.pdf");
    assert!(text.contains("Verbale della seduta"), "{text}");

    let filter = AgreementFilter {
        status: Some(raccordo_register::AgreementStatus::Vigente),
        expiring_within_days: Some(60),
        ..Default::default()
    };
    let expected = raccordo_register::query::agreements(
        &r,
        &filter,
        raccordo_register::query::AgreementSort::Expiry,
        raccordo_documents::local_day(at()),
        0,
        1,
    )
    .unwrap()
    .total;
    assert!(expected > 0 && expected < 20_000, "{expected}");
    let made = documents().make(&reg, &Request::AgreementsReport { filter }, at()).unwrap();
    let text = check(&made, "centomila-report-in-scadenza.pdf");
    assert!(
        text.contains(&format!("{} protocolli", raccordo_documents::italian::number(expected))),
        "count not stated:\n{}",
        &text[..2000.min(text.len())]
    );

    let e =
        documents().make(&reg, &Request::AgreementsReport { filter: AgreementFilter::default() }, at()).err().unwrap();
    assert_eq!(e.code_str(), "bad_request");
    assert!(e.message.contains("100.000 protocolli") && e.message.contains("Restringi i filtri"), "{}", e.message);
}
