//! The imports, reading files written by programs nobody here wrote (openpyxl's
//! workbooks, Python's csv in Italian Excel's Windows-1252 and `;`:
//! tests/tools/sheet_write.py), into real registers: agreements with every kind of
//! refusal, dry runs and all-or-nothing leaving the register as it was (its journal's
//! head unchanged), the demo's own export imported again, a 10k register's agreements
//! through Python's csv and back; and the IPA list of bodies, in both its formats,
//! completing the directory (of a new register, the demo, a 10k one) without doubling it.

use chrono::NaiveDate;
use raccordo_exchange::import::{self, ImportMode, ImportReport, RowOutcome};
use raccordo_exchange::ipa;
use raccordo_exchange::read;
use raccordo_register::{
    Administration, AdministrationKind, Agreement, AgreementStatus, Party, PartyRole, Register, Source, verify,
};
use serde_json::{Value, json};
use std::path::Path;

mod tools;
use tools::python;

/// `spec` written by openpyxl (OUT ending in .xlsx) or Python's csv.
fn write_sheet(out: &Path, spec: &Value, csv_args: &[&str]) -> read::Sheet {
    let mut args = vec![out.to_str().unwrap()];
    args.extend_from_slice(csv_args);
    python("sheet_write.py", &args, Some(spec));
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    read::read(&name, &std::fs::read(out).unwrap()).unwrap()
}

fn date(s: &str) -> Value {
    json!({ "date": s })
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The journal's head: unchanged means nothing was written.
fn head(reg: &Register) -> (i64, String) {
    reg.connection()
        .query_row("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
}

fn agreements(reg: &Register) -> Vec<Agreement> {
    reg.reader().select("SELECT * FROM agreement ORDER BY number", []).unwrap()
}

fn by_name(reg: &Register, name: &str) -> Vec<Administration> {
    reg.reader().select("SELECT * FROM administration WHERE name = ?1", [name]).unwrap()
}

fn parties_of(reg: &Register, a: &Agreement) -> Vec<(String, PartyRole)> {
    let mut out: Vec<(String, PartyRole)> = reg
        .reader()
        .select::<Party>("SELECT * FROM party WHERE agreement_id = ?1", [a.id])
        .unwrap()
        .into_iter()
        .map(|p| {
            let admin: Administration = reg.reader().get(p.administration_id).unwrap().unwrap();
            (admin.name, p.role)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

fn outcomes(r: &ImportReport) -> Vec<(u32, RowOutcome)> {
    r.rows.iter().map(|row| (row.line, row.outcome)).collect()
}

/// An office's own list: good rows, and one of each refusal.
fn office_list() -> Value {
    json!({
        "heads": ["N.", "Oggetto", "Tipo", "Stato", "Promotore", "Parti", "Data di sottoscrizione", "Scadenza", "Durata (mesi)", "Rinnovo", "Note dell'ufficio"],
        "rows": [
            ["2019/3", "Sportello unico per le attività produttive", "Convenzione", "Vigente", "Comune di Lucca",
             "c_a657; 00000000000", date("2019-05-06"), date("2024-05-06"), 60, "tacito", "archivio"],
            ["2020/1", "Rete dei servizi bibliotecari", "protocollo", "In firma", null, "COMUNE DI AGLIE'", null, null, null, null, null],
            ["2020/2", "Piano di protezione civile", "Accordo", "Vigente", "Prefettura di Lucca", "Comune di Luca", date("2020-02-03"), null, null, null, null],
            ["2020/3", "Vigilanza associata", "Accordo", "Bozza", null, "Comune di Barga", "31/02/2020", null, null, null, null],
            ["2019/3", "Lo stesso numero due volte", "Accordo", "Bozza", null, null, null, null, null, null, null],
            ["2020/4", "Servizi scolastici", "Accordo", "Vigente", null, "Lucca", null, null, null, null, null],
            ["2020/5", "Un tipo che non c'è", "Patto", "Bozza", null, null, null, null, null, null, null],
        ]
    })
}

/// A register with the directory and one comune whose fiscal code the office knows.
fn register(dir: &Path, name: &str) -> Register {
    let mut reg = Register::open(dir.join(name)).unwrap();
    let mut capannori = by_name(&reg, "Comune di Capannori").remove(0);
    capannori.fiscal_code = Some("00000000000".into());
    reg.update(capannori).unwrap();
    let mut barga = by_name(&reg, "Comune di Barga").remove(0);
    barga.ipa_code = Some("c_a657".into());
    reg.update(barga).unwrap();
    reg
}

#[test]
fn an_office_list_is_checked_row_by_row_and_imports_whole_or_its_good_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(dir.path(), "r.raccordo");
    let sheet = write_sheet(&dir.path().join("protocolli.xlsx"), &office_list(), &[]);
    let before = head(&reg);

    // Dry run: the report of every row, nothing written.
    let report = import::agreements(&mut reg, &sheet, ImportMode::DryRun).unwrap();
    assert_eq!(head(&reg), before, "a dry run writes nothing");
    assert!(!report.written);
    assert_eq!(report.ignored_columns, ["Note dell'ufficio"]);
    use RowOutcome::*;
    assert_eq!(
        outcomes(&report),
        [(2, Good), (3, Good), (4, Refused), (5, Refused), (6, Refused), (7, Refused), (8, Refused)]
    );
    assert_eq!((report.good, report.refused), (2, 5));
    let row = |line: u32| report.rows.iter().find(|r| r.line == line).unwrap();
    let missing = &row(4).missing_parties[0];
    assert_eq!(missing.named, "Comune di Luca");
    assert_eq!(missing.closest.first().map(String::as_str), Some("Comune di Lucca"), "{missing:?}");
    assert_eq!(row(5).problems, ["Data di sottoscrizione: «31/02/2020» non è una data (gg/mm/aaaa)."]);
    assert_eq!(row(6).problems, ["Numero di repertorio: il 2019/3 è già assegnato a un altro protocollo."]);
    let lucca = &row(7);
    assert!(lucca.missing_parties[0].why.starts_with("Nessun ente «Lucca»"), "{lucca:?}");
    assert_eq!(lucca.missing_parties[0].closest, ["Comune di Lucca", "Prefettura di Lucca", "Provincia di Lucca"]);
    assert!(row(8).problems[0].starts_with("Tipo: «Patto» non è tra i valori ammessi"), "{:?}", row(8));

    // The whole file: refused rows, so nothing.
    let report = import::agreements(&mut reg, &sheet, ImportMode::Whole).unwrap();
    assert_eq!(head(&reg), before, "a file with refused rows imports nothing");
    assert!(!report.written && report.rows.iter().all(|r| r.agreement_id.is_none()));

    // The good rows, as asked.
    let report = import::agreements(&mut reg, &sheet, ImportMode::GoodRows).unwrap();
    assert!(report.written);
    assert_eq!(report.rows.iter().filter(|r| r.outcome == Imported).count(), 2);
    let all = agreements(&reg);
    assert_eq!(all.iter().map(|a| a.number.as_str()).collect::<Vec<_>>(), ["2019/3", "2020/1"]);
    let suap = &all[0];
    assert_eq!(suap.kind, raccordo_register::AgreementKind::Convenzione);
    assert_eq!(suap.status, AgreementStatus::Vigente);
    assert_eq!((suap.signed_on, suap.expires_on), (Some(d("2019-05-06")), Some(d("2024-05-06"))));
    assert_eq!(suap.duration_months, Some(60));
    assert_eq!(suap.renewal, raccordo_register::Renewal::Tacit);
    assert_eq!(
        parties_of(&reg, suap),
        [
            ("Comune di Barga".to_owned(), PartyRole::Aderente),
            ("Comune di Capannori".to_owned(), PartyRole::Aderente),
            ("Comune di Lucca".to_owned(), PartyRole::Promotore),
        ]
    );
    assert_eq!(parties_of(&reg, &all[1]), [("Comune di Agliè".to_owned(), PartyRole::Aderente)]);
    assert_eq!(all[1].status, AgreementStatus::InFirma);
    verify::register(reg.connection()).unwrap().into_result().unwrap();

    // Once imported, the same rows are refused (their numbers are taken): nothing more.
    let again = import::agreements(&mut reg, &sheet, ImportMode::GoodRows).unwrap();
    assert_eq!((again.good, again.written), (0, false));
    assert_eq!(agreements(&reg).len(), 2);
}

#[test]
fn italian_excel_csv_in_windows_1252_reads_as_the_workbook_does() {
    let dir = tempfile::tempdir().unwrap();
    let mut from_csv = register(dir.path(), "csv.raccordo");
    let mut from_xlsx = register(dir.path(), "xlsx.raccordo");
    let list = office_list();
    let csv = write_sheet(&dir.path().join("protocolli.csv"), &list, &["--encoding", "cp1252"]);
    let xlsx = write_sheet(&dir.path().join("protocolli.xlsx"), &list, &[]);
    let a = import::agreements(&mut from_csv, &csv, ImportMode::GoodRows).unwrap();
    let b = import::agreements(&mut from_xlsx, &xlsx, ImportMode::GoodRows).unwrap();
    let strip = |r: &ImportReport| {
        r.rows
            .iter()
            .map(|row| (row.line, row.outcome, row.problems.clone(), row.missing_parties.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(&a), strip(&b));
    let fields = |reg: &Register| {
        agreements(reg)
            .into_iter()
            .map(|x| (x.number.clone(), x.subject.clone(), x.status, x.signed_on, x.expires_on, parties_of(reg, &x)))
            .collect::<Vec<_>>()
    };
    assert_eq!(fields(&from_csv), fields(&from_xlsx));
    assert_eq!(agreements(&from_csv)[0].subject, "Sportello unico per le attività produttive", "cp1252 decoded");
}

#[test]
fn libreoffice_s_ods_and_old_excel_s_xls_read_as_the_xlsx_does() {
    let dir = tempfile::tempdir().unwrap();
    let list = office_list();
    let summary = |name: &str| {
        let sheet = write_sheet(&dir.path().join(name), &list, &[]);
        let mut reg = register(dir.path(), &format!("{name}.raccordo"));
        let report = import::agreements(&mut reg, &sheet, ImportMode::GoodRows).unwrap();
        let rows: Vec<_> =
            report.rows.iter().map(|r| (r.line, r.outcome, r.problems.clone(), r.missing_parties.clone())).collect();
        let stored: Vec<_> = agreements(&reg)
            .into_iter()
            .map(|a| {
                (a.number.clone(), a.kind, a.status, a.signed_on, a.expires_on, a.duration_months, parties_of(&reg, &a))
            })
            .collect();
        (rows, stored)
    };
    let xlsx = summary("protocolli.xlsx");
    assert_eq!(xlsx.1.len(), 2);
    assert_eq!(summary("protocolli.ods"), xlsx, "LibreOffice's format (odfpy)");
    assert_eq!(summary("protocolli.xls"), xlsx, "Excel 97-2003 (xlwt)");
}

#[test]
fn a_file_without_the_columns_or_not_a_sheet_is_refused_with_a_message_and_nothing_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(dir.path(), "r.raccordo");
    let before = head(&reg);
    let sheet =
        write_sheet(&dir.path().join("x.xlsx"), &json!({"heads": ["Titolo", "Data"], "rows": [["a", "b"]]}), &[]);
    let e = import::agreements(&mut reg, &sheet, ImportMode::Whole).unwrap_err();
    assert!(e.message.contains("«Numero» e «Oggetto»"), "{}", e.message);
    let e = read::read("finto.xlsx", b"PK\x03\x04\x14\x00\x00\x00 non una cartella").unwrap_err();
    assert!(e.message.contains("non leggibile"), "{}", e.message);
    assert_eq!(head(&reg), before);
}

#[test]
fn the_demo_s_own_export_imports_into_a_new_register_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = Register::open(dir.path().join("demo.raccordo")).unwrap();
    raccordo_demo::build_demo(&mut demo, d("2026-12-07")).unwrap();
    let t = raccordo_exchange::table::table(
        &demo.reader(),
        raccordo_exchange::table::List::Agreements,
        &Default::default(),
        d("2026-12-07"),
    )
    .unwrap();
    let file = dir.path().join("protocolli.xlsx");
    std::fs::write(&file, raccordo_exchange::xlsx::write(&t).unwrap()).unwrap();
    let sheet = read::read("protocolli.xlsx", &std::fs::read(&file).unwrap()).unwrap();
    let mut fresh = Register::open(dir.path().join("nuovo.raccordo")).unwrap();
    let report = import::agreements(&mut fresh, &sheet, ImportMode::Whole).unwrap();
    assert!(report.written && report.refused == 0, "{report:?}");
    let summary = |reg: &Register| {
        agreements(reg)
            .into_iter()
            .map(|a| {
                let parties = parties_of(reg, &a);
                (
                    a.number.clone(),
                    a.kind,
                    a.subject.clone(),
                    a.status,
                    a.signed_on,
                    a.effective_from,
                    a.expires_on,
                    a.renewal,
                    parties,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(summary(&fresh), summary(&demo));
    // In the demo register itself every number is taken: every row refused, nothing written.
    let again = import::agreements(&mut demo, &sheet, ImportMode::Whole).unwrap();
    assert_eq!((again.good, again.written), (0, false));
}

#[test]
fn ten_thousand_agreements_through_python_s_csv_and_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("10k.raccordo")).unwrap();
    raccordo_demo::generate(&mut reg, 10_000, 7, "G").unwrap();
    let t = raccordo_exchange::table::table(
        &reg.reader(),
        raccordo_exchange::table::List::Agreements,
        &Default::default(),
        d("2026-12-07"),
    )
    .unwrap();
    // Python's csv reads the export, renumbers each row (IMP-…) and writes it again.
    let exported = dir.path().join("export.csv");
    std::fs::write(&exported, raccordo_exchange::csv::write(&t, raccordo_exchange::csv::Form::Italian)).unwrap();
    let rows: Value = serde_json::from_slice(&python("sheet_read.py", &[exported.to_str().unwrap()], None)).unwrap();
    let rows = rows["rows"].as_array().unwrap();
    let spec = json!({
        "heads": rows[0],
        "rows": rows[1..].iter().map(|r| {
            let mut r = r.as_array().unwrap().clone();
            r[0] = json!(format!("IMP-{}", r[0].as_str().unwrap()));
            r
        }).collect::<Vec<_>>(),
    });
    let sheet = write_sheet(&dir.path().join("import.csv"), &spec, &[]);
    assert_eq!(sheet.rows.len(), 10_000);
    let report = import::agreements(&mut reg, &sheet, ImportMode::Whole).unwrap();
    assert!(
        report.written && report.refused == 0,
        "{:?}",
        report.rows.iter().find(|r| r.outcome == RowOutcome::Refused)
    );
    let all = agreements(&reg);
    assert_eq!(all.len(), 20_000);
    let by_number: std::collections::HashMap<&str, &Agreement> = all.iter().map(|a| (a.number.as_str(), a)).collect();
    for a in all.iter().filter(|a| !a.number.starts_with("IMP-")) {
        let copy = by_number[format!("IMP-{}", a.number).as_str()];
        assert_eq!(
            (&copy.subject, copy.kind, copy.status, copy.signed_on, copy.effective_from, copy.expires_on, copy.renewal),
            (&a.subject, a.kind, a.status, a.signed_on, a.effective_from, a.expires_on, a.renewal),
            "{}",
            a.number
        );
        assert_eq!(parties_of(&reg, copy), parties_of(&reg, a), "{}: parties in their roles", a.number);
    }
}

/// A small list of bodies in the IPA's current format, as its open data publish it.
fn ipa_list() -> Value {
    let heads = [
        "Codice_IPA",
        "Denominazione_ente",
        "Codice_fiscale_ente",
        "Tipologia",
        "Codice_Categoria",
        "Codice_natura",
        "Acronimo",
        "Codice_comune_ISTAT",
        "Codice_catastale_comune",
        "CAP",
        "Indirizzo",
        "Mail1",
        "Tipo_Mail1",
        "Mail2",
        "Tipo_Mail2",
        "Sito_istituzionale",
        "Data_aggiornamento",
    ];
    let row = |code: &str, name: &str, cf: &str, cat: &str, istat: &str, pec: &str, site: &str, updated: &str| {
        json!([
            code,
            name,
            cf,
            "Pubbliche Amministrazioni",
            cat,
            "2430",
            "",
            istat,
            "",
            "",
            "",
            "info@example.it",
            "Altro",
            pec,
            "Pec",
            site,
            updated
        ])
    };
    json!({ "heads": heads, "rows": [
        row("c_e715", "Comune di Lucca", "00378210462", "L6", "046017", "comune.lucca@postacert.toscana.it", "www.comune.lucca.it", "2026-11-30"),
        row("r_toscan", "Regione Toscana", "01386030488", "L4", "048017", "regionetoscana@postacert.toscana.it", "https://www.regione.toscana.it", "2026-10-02"),
        row("asl_tno", "Azienda USL Toscana nord ovest", "02198590503", "L7", "050026", "direzione.uslnordovest@postacert.toscana.it", "www.uslnordovest.toscana.it", "2026-09-15"),
        row("ucmvs", "Unione dei Comuni della Media Valle del Serchio", "", "L31", "046003", "ucmediavalle@postacert.toscana.it", "", "2026-08-01"),
        row("c_a657", "Comune di Barga", "00298050469", "L6", "046003", "comune.barga@postacert.toscana.it", "", "2026-11-02"),
        row("cbtn", "Consorzio di bonifica Toscana Nord", "12345", "L13", "046017", "", "", "2026-11-01"),
        row("", "Ente senza codice", "", "L13", "", "", "", ""),
    ]})
}

#[test]
fn the_ipa_list_completes_the_directory_without_doubling_it_and_offers_typed_bodies_for_merging() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("r.raccordo")).unwrap();
    let typed = reg
        .create(Administration::typed("Unione dei comuni Media Valle del Serchio", AdministrationKind::UnioneComunita))
        .unwrap();
    let mut barga = by_name(&reg, "Comune di Barga").remove(0);
    barga.pec = Some("protocollo@comune.barga.lu.it".into());
    reg.update(barga.clone()).unwrap();
    let count = |reg: &Register| -> i64 {
        reg.connection().query_row("SELECT count(*) FROM administration", [], |r| r.get(0)).unwrap()
    };
    let before = count(&reg);
    let sheet = write_sheet(&dir.path().join("enti.csv"), &ipa_list(), &["--delimiter", ",", "--encoding", "utf-8"]);
    let today = d("2026-12-07");

    let head_before = head(&reg);
    let dry = ipa::ipa(&mut reg, "enti.csv", &sheet, true, today).unwrap();
    assert_eq!(head(&reg), head_before, "a dry run writes nothing");
    let report = ipa::ipa(&mut reg, "enti.csv", &sheet, false, today).unwrap();
    assert_eq!(ipa::IpaReport { written: false, ..report.clone() }, dry, "the dry run said what happened");
    assert_eq!((report.rows, report.created, report.completed, report.unchanged), (7, 3, 3, 0), "{report:#?}");
    assert_eq!(report.updated_to, Some(d("2026-11-30")));
    assert_eq!(count(&reg), before + 3, "Lucca, the Region and Barga completed, not doubled");

    let lucca = by_name(&reg, "Comune di Lucca");
    assert_eq!(lucca.len(), 1);
    let lucca = &lucca[0];
    assert_eq!(lucca.source, Source::Istat);
    assert_eq!(lucca.ipa_code.as_deref(), Some("c_e715"));
    assert_eq!(lucca.fiscal_code.as_deref(), Some("00378210462"));
    assert_eq!(lucca.pec.as_deref(), Some("comune.lucca@postacert.toscana.it"), "the PEC, not the other address");
    assert_eq!(lucca.website.as_deref(), Some("https://www.comune.lucca.it"));
    let note = lucca.source_note.as_deref().unwrap();
    assert!(
        note.contains("Indice PA il 07/12/2026") && note.contains("«enti.csv»") && note.contains("30/11/2026"),
        "{note}"
    );
    let region = by_name(&reg, "Regione Toscana").remove(0);
    assert_eq!(
        (region.source, region.ipa_code.as_deref()),
        (Source::Istat, Some("r_toscan")),
        "found by kind and seat"
    );

    let asl = by_name(&reg, "Azienda USL Toscana nord ovest").remove(0);
    assert_eq!((asl.source, asl.kind), (Source::Ipa, AdministrationKind::Altro));
    assert_eq!((asl.seat_istat_code.as_deref(), asl.province.as_deref()), (Some("050026"), Some("PI")));
    assert!(asl.source_note.as_deref().unwrap().contains("voce aggiornata al 15/09/2026; importato il 07/12/2026"));
    let consortium = by_name(&reg, "Consorzio di bonifica Toscana Nord").remove(0);
    assert_eq!(consortium.fiscal_code, None, "the invalid code left out, the body kept");
    assert!(report.skipped.iter().any(|n| n.ipa_code == "cbtn" && n.why.contains("«12345» lasciato fuori")));
    assert!(report.skipped.iter().any(|n| n.name == "Ente senza codice" && n.why.contains("Codice IPA mancante")));

    // Barga: its PEC as typed stays, the difference reported; its codes completed.
    let barga_now = by_name(&reg, "Comune di Barga").remove(0);
    assert_eq!(barga_now.pec, barga.pec);
    assert_eq!(barga_now.ipa_code.as_deref(), Some("c_a657"));
    assert!(report.differences.iter().any(|x| x.name == "Comune di Barga" && x.field == "PEC"));

    // The hand-typed union is offered for merging with the IPA's, not merged.
    let ipa_union = by_name(&reg, "Unione dei Comuni della Media Valle del Serchio").remove(0);
    assert_eq!(report.duplicates.len(), 1);
    let dup = &report.duplicates[0];
    assert_eq!((dup.typed_id, dup.ipa_id), (typed.id, ipa_union.id));
    assert!(reg.reader().get::<Administration>(typed.id).unwrap().is_some());
    reg.combine(raccordo_register::Kind::Administration, dup.ipa_id, dup.typed_id).unwrap();

    // Again: nothing changes, nothing doubles.
    let head_after = head(&reg);
    let again = ipa::ipa(&mut reg, "enti.csv", &sheet, false, today).unwrap();
    assert_eq!((again.created, again.completed, again.unchanged), (0, 0, 6), "{again:#?}");
    assert_eq!(head(&reg), head_after);
    verify::register(reg.connection()).unwrap().into_result().unwrap();

    // Another office imports the same list as openpyxl writes it: the same records,
    // with the same ids, so sync finds nothing to collide.
    let mut other = Register::open(dir.path().join("altro.raccordo")).unwrap();
    let xlsx = write_sheet(&dir.path().join("enti.xlsx"), &ipa_list(), &[]);
    let theirs = ipa::ipa(&mut other, "enti.xlsx", &xlsx, false, today).unwrap();
    assert_eq!((theirs.created, theirs.completed), (3, 3));
    assert_eq!(by_name(&other, "Azienda USL Toscana nord ovest")[0].id, asl.id);
}

#[test]
fn the_older_tab_separated_ipa_format_is_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("r.raccordo")).unwrap();
    let tsv = "cod_amm\tdes_amm\tComune\tnome_resp\tcogn_resp\tCap\tProvincia\tRegione\tsito_istituzionale\tIndirizzo\ttitolo_resp\ttipologia_istat\ttipologia_amm\tacronimo\tcf_validato\tCf\tmail1\ttipo_mail1\tmail2\ttipo_mail2\n\
               c_a657\tComune di Barga\tBarga\tCaterina\tCampani\t55051\tLU\tToscana\twww.comune.barga.lu.it\tVia di Mezzo 45\tSindaco\tComuni e loro Consorzi e Associazioni\tPubbliche Amministrazioni\t\tS\t00298050469\tcomune.barga@postacert.toscana.it\tpec\tnull\tnull\n";
    let sheet = read::read("amministrazioni.txt", tsv.as_bytes()).unwrap();
    let report = ipa::ipa(&mut reg, "amministrazioni.txt", &sheet, false, d("2026-12-07")).unwrap();
    // No ISTAT code in this format: the seat is found by the comune's name and province.
    assert_eq!((report.rows, report.created, report.completed), (1, 0, 1), "{report:#?}");
    let barga = by_name(&reg, "Comune di Barga");
    assert_eq!(barga.len(), 1, "completed, not doubled");
    assert_eq!(barga[0].source, Source::Istat);
    assert_eq!(barga[0].ipa_code.as_deref(), Some("c_a657"));
    assert_eq!(barga[0].pec.as_deref(), Some("comune.barga@postacert.toscana.it"));
    assert_eq!(barga[0].website.as_deref(), Some("https://www.comune.barga.lu.it"));
}

#[test]
fn the_ipa_list_into_the_demo_and_a_10k_register_completes_them_and_leaves_their_agreements_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut demo = Register::open(dir.path().join("demo.raccordo")).unwrap();
    raccordo_demo::build_demo(&mut demo, d("2026-12-07")).unwrap();
    let mut big = Register::open(dir.path().join("10k.raccordo")).unwrap();
    raccordo_demo::generate(&mut big, 10_000, 7, "G").unwrap();
    let sheet = write_sheet(&dir.path().join("enti.xlsx"), &ipa_list(), &[]);
    for reg in [&mut demo, &mut big] {
        let count = |reg: &Register, table: &str| -> i64 {
            reg.connection().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
        };
        let (administrations, parties) = (count(reg, "administration"), count(reg, "party"));
        let report = ipa::ipa(reg, "enti.xlsx", &sheet, false, d("2026-12-07")).unwrap();
        assert!(report.written);
        assert_eq!(report.created + report.completed + report.unchanged, 6, "{report:#?}");
        assert_eq!(count(reg, "administration"), administrations + report.created as i64);
        assert_eq!(by_name(reg, "Comune di Lucca").len(), 1, "not doubled");
        assert_eq!(by_name(reg, "Comune di Lucca")[0].ipa_code.as_deref(), Some("c_e715"));
        assert_eq!(count(reg, "party"), parties);
        verify::register(reg.connection()).unwrap().into_result().unwrap();
    }
}

#[test]
fn a_workbook_that_would_expand_to_gigabytes_is_refused_before_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let bomb = dir.path().join("bomba.xlsx");
    // Python's zipfile: 1.1 GB of spaces as the sheet's XML, a megabyte compressed.
    let script = format!(
        "import zipfile\nwith zipfile.ZipFile({:?}, 'w', zipfile.ZIP_DEFLATED, compresslevel=1) as z:\n    with z.open('xl/worksheets/sheet1.xml', 'w', force_zip64=True) as f:\n        block = b' ' * (1 << 24)\n        for _ in range(66):\n            f.write(block)\n",
        bomb.to_str().unwrap()
    );
    let out = std::process::Command::new(tools::python_bin()).args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&bomb).unwrap();
    assert!(bytes.len() < 8 * 1024 * 1024, "{}", bytes.len());
    let e = read::read("bomba.xlsx", &bytes).unwrap_err();
    assert!(e.message.contains("una volta decompresso il file occuperebbe 1056 MB"), "{}", e.message);
}

#[test]
fn damaged_files_give_a_message_or_a_report_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(dir.path(), "r.raccordo");
    let before = head(&reg);
    let xlsx_path = dir.path().join("protocolli.xlsx");
    write_sheet(&xlsx_path, &office_list(), &[]);
    let csv_path = dir.path().join("protocolli.csv");
    write_sheet(&csv_path, &office_list(), &["--encoding", "cp1252"]);
    // Cut short, bytes overwritten, bytes dropped: 150 damaged copies of each, from a
    // fixed sequence so that a failure repeats.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n.max(1)
    };
    for original in [std::fs::read(&xlsx_path).unwrap(), std::fs::read(&csv_path).unwrap()] {
        for round in 0..150 {
            let mut bytes = original.clone();
            match round % 3 {
                0 => bytes.truncate(next(bytes.len())),
                1 => {
                    for _ in 0..1 + next(8) {
                        let at = next(bytes.len());
                        bytes[at] = next(256) as u8;
                    }
                }
                _ => {
                    let at = next(bytes.len());
                    let len = next(64).min(bytes.len() - at);
                    bytes.drain(at..at + len);
                }
            }
            if let Ok(sheet) = read::read("danneggiato", &bytes) {
                // Whatever was read goes through the checks, as a dry run.
                if let Err(e) = import::agreements(&mut reg, &sheet, ImportMode::DryRun) {
                    assert!(!e.message.is_empty());
                }
            }
        }
    }
    assert_eq!(head(&reg), before, "dry runs only: nothing written");
}
