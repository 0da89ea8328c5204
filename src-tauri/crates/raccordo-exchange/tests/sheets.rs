//! Every list as CSV and as .xlsx, read back by readers nobody here wrote (Python's
//! `csv`, `openpyxl`: tests/tools/sheet_read.py) and compared cell by cell with the
//! register's own table: on the demo register, and on a 10k generated one with the
//! agreement list's filters.

use chrono::NaiveDate;
use raccordo_exchange::table::{self, Cell, List, Table};
use raccordo_exchange::{csv, xlsx};
use raccordo_register::query::{self, AgreementFilter, AgreementSort};
use raccordo_register::{AgreementStatus, Register};
use serde_json::{Value, json};
use std::path::Path;

mod tools;

fn read(file: &Path) -> Value {
    tools::read_with("sheet_read.py", file)
}

/// A cell as Italian Excel shows the CSV field, and as openpyxl reads the workbook's.
fn expected(c: &Cell) -> (String, Value) {
    match c {
        Cell::Text(t) => {
            let csv = if t.starts_with(['=', '+', '-', '@']) { format!("'{t}") } else { t.clone() };
            (csv, json!(t))
        }
        Cell::Date(d) => (d.format("%d/%m/%Y").to_string(), json!(d.to_string())),
        Cell::Time(t) => (t.format("%H:%M").to_string(), json!(t.format("%H:%M").to_string())),
        Cell::Cents(c) => (format!("{},{:02}", c / 100, c % 100), json!(*c as f64 / 100.0)),
        Cell::Int(n) => (n.to_string(), json!(*n as f64)),
        Cell::Empty => (String::new(), Value::Null),
    }
}

/// Writes `t` both ways, reads both back, and compares every cell.
fn round_trip(dir: &Path, t: &Table) {
    let name = t.name.to_lowercase();
    let csv_file = dir.join(format!("{name}.csv"));
    std::fs::write(&csv_file, csv::write(t, csv::Form::Italian)).unwrap();
    let got = read(&csv_file);
    assert_eq!((got["bom"].as_bool(), got["crlf"].as_bool()), (Some(true), Some(true)));
    let rows = got["rows"].as_array().unwrap();
    assert_eq!(rows.len(), t.rows.len() + 1, "{}: rows", t.name);
    assert_eq!(rows[0], json!(t.heads));
    for (i, row) in t.rows.iter().enumerate() {
        let want: Vec<String> = row.iter().map(|c| expected(c).0).collect();
        assert_eq!(rows[i + 1], json!(want), "{} CSV row {i}", t.name);
    }

    let xlsx_file = dir.join(format!("{name}.xlsx"));
    std::fs::write(&xlsx_file, xlsx::write(t).unwrap()).unwrap();
    let got = read(&xlsx_file);
    assert_eq!(got["sheet"], t.name);
    assert_eq!(got["frozen"], "A2", "the heads stay in view");
    let rows = got["rows"].as_array().unwrap();
    assert_eq!(rows.len(), t.rows.len() + 1, "{}: rows", t.name);
    assert_eq!(rows[0], json!(t.heads));
    for (i, row) in t.rows.iter().enumerate() {
        let want: Vec<Value> = row.iter().map(|c| expected(c).1).collect();
        // A workbook has one kind of number: 1200 and 1200.0 are the same cell.
        let as_f64 = |v: &Value| match v.as_f64() {
            Some(n) if v.is_number() => json!(n),
            _ => v.clone(),
        };
        let got: Vec<Value> = rows[i + 1].as_array().unwrap().iter().map(as_f64).collect();
        assert_eq!(got, want, "{} xlsx row {i}", t.name);
    }
}

#[test]
fn every_list_of_the_demo_register_reads_back_cell_by_cell_in_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    raccordo_demo::build_demo(&mut reg, today).unwrap();
    for &list in List::ALL {
        let t = table::table(&reg.reader(), list, &AgreementFilter::default(), today).unwrap();
        assert!(!t.rows.is_empty(), "{}: the demo has some", t.name);
        round_trip(dir.path(), &t);
    }
    // The amounts and the dates the office typed, as Italian Excel shows them.
    let projects = table::table(&reg.reader(), List::Funding, &AgreementFilter::default(), today).unwrap();
    let text = String::from_utf8(csv::write(&projects, csv::Form::Italian)).unwrap();
    assert!(text.lines().skip(1).all(|l| l.split(';').nth(4).is_some_and(|a| a.contains(','))), "{text}");
    let book = dir.path().join("finanziamenti-formati.xlsx");
    std::fs::write(&book, xlsx::write(&projects).unwrap()).unwrap();
    let formats = read(&book)["formats"][0].clone();
    assert!(formats[4].as_str().is_some_and(|f| f.contains("0.00") && f.contains('€')), "{formats}");
    let agreements = table::table(&reg.reader(), List::Agreements, &AgreementFilter::default(), today).unwrap();
    let book = dir.path().join("protocolli-formati.xlsx");
    std::fs::write(&book, xlsx::write(&agreements).unwrap()).unwrap();
    let formats = read(&book)["formats"][0].clone();
    assert!(formats[7].as_str().is_some_and(|f| f.contains("dd/mm/yyyy")), "{formats}");
    let iso = String::from_utf8(csv::write(&projects, csv::Form::Iso)).unwrap();
    assert!(iso.lines().skip(1).all(|l| l.split(';').nth(4).is_some_and(|a| a.contains('.'))), "{iso}");
}

#[test]
fn a_text_a_spreadsheet_would_run_as_a_formula_stays_text() {
    let t = Table {
        name: "Prova",
        heads: vec!["Oggetto", "Nota"],
        rows: vec![vec![Cell::Text("=HYPERLINK(\"http://x\")".into()), Cell::Text("a;b \"c\"\nd".into())]],
    };
    let dir = tempfile::tempdir().unwrap();
    round_trip(dir.path(), &t);
}

#[test]
fn the_agreements_of_a_10k_register_with_the_list_s_filters_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("10k.raccordo")).unwrap();
    raccordo_demo::generate(&mut reg, 10_000, 7, "G").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let all = table::table(&reg.reader(), List::Agreements, &AgreementFilter::default(), today).unwrap();
    assert_eq!(all.rows.len(), 10_000);
    round_trip(dir.path(), &all);
    let filter = AgreementFilter {
        status: Some(AgreementStatus::Vigente),
        expiring_within_days: Some(365),
        ..Default::default()
    };
    let some = table::table(&reg.reader(), List::Agreements, &filter, today).unwrap();
    let total = query::agreements(&reg.reader(), &filter, AgreementSort::Expiry, today, 0, 1).unwrap().total;
    assert_eq!(some.rows.len() as u64, total);
    assert!(total > 0 && total < 10_000, "{total}");
    round_trip(dir.path(), &some);
    for &list in List::ALL {
        let t = table::table(&reg.reader(), list, &AgreementFilter::default(), today).unwrap();
        round_trip(dir.path(), &t);
    }
}
