//! Shared by the integration tests: fresh registers in temporary folders, and a
//! dump of a whole register file to compare before and after a refused write.
#![allow(dead_code)]

use raccordo_register::*;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// A new register file (with the directory loaded), copied from one made once per
/// test binary: loading 8,000 administrations for every test would be slow.
pub fn fresh() -> (tempfile::TempDir, Register) {
    static TEMPLATE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    let (_, template) = TEMPLATE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.raccordo");
        drop(Register::open(&path).unwrap());
        (dir, path)
    });
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("registro.raccordo");
    std::fs::copy(template, &path).unwrap();
    let reg = Register::open(&path).unwrap();
    (dir, reg)
}

pub fn admin(reg: &Register, name: &str) -> uuid::Uuid {
    reg.reader().query_one("SELECT id FROM administration WHERE name = ?1", [name]).unwrap().unwrap()
}

pub fn date(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

/// Every row of every table, as text: equal dumps mean an unchanged register.
pub fn dump(reg: &Register) -> String {
    let conn = reg.connection();
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'search_fts_%' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    let mut out = String::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY rowid")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        out.push_str(&format!("## {t}\n"));
        while let Some(r) = rows.next().unwrap() {
            for i in 0..n {
                out.push_str(&format!("{:?}|", r.get_ref(i).unwrap()));
            }
            out.push('\n');
        }
    }
    out
}

/// Runs something that must be refused (a write, a batch), checks the register did
/// not change at all and its chain still holds, and returns the error.
pub fn refused_unchanged<T>(reg: &mut Register, run: impl FnOnce(&mut Register) -> Result<T>) -> Error {
    let before = dump(reg);
    let e = match run(reg) {
        Ok(_) => panic!("the write should have been refused"),
        Err(e) => e,
    };
    assert_eq!(dump(reg), before, "a refused write changed the register");
    verify::register(reg.connection()).unwrap().into_result().unwrap();
    e
}

pub fn codes(e: &Error) -> Vec<(String, FieldCode)> {
    e.fields.iter().map(|f| (f.field.clone(), f.code)).collect()
}

pub fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

/// A signed agreement between two administrations of the directory.
pub fn signed_agreement(reg: &mut Register, number: &str) -> (Agreement, Party, Party) {
    let lucca = admin(reg, "Comune di Lucca");
    let prefettura = admin(reg, "Prefettura di Lucca");
    reg.write(|w| {
        let mut a = Agreement::draft(number, "Protocollo d'intesa per l'amministrazione digitale");
        a.signed_on = Some(date("2007-12-22"));
        a.status = AgreementStatus::Vigente;
        let a = w.create(a)?;
        let mut p1 = Party::new(a.id, prefettura, PartyRole::Capofila);
        p1.adhered_on = a.signed_on;
        let p1 = w.create(p1)?;
        let p2 = w.create(Party::new(a.id, lucca, PartyRole::Promotore))?;
        Ok((a, p1, p2))
    })
    .unwrap()
}
