//! Copies of the register and putting one back, on real files: a copy taken while
//! another connection writes is the register at one instant; a damaged copy is
//! refused and changes nothing; a restore keeps the register aside and makes a new
//! installation; a register open elsewhere is not restored under its feet.

mod common;
use common::*;
use raccordo_register::backup::{self, check_copy};
use raccordo_register::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier};

fn agreement(reg: &mut Register, n: usize) -> Agreement {
    reg.create(Agreement::draft(&format!("B/{n}"), &format!("Protocollo numero {n}"))).unwrap()
}

fn count(reg: &Register, table: &str) -> i64 {
    reg.connection().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
}

#[test]
fn a_copy_taken_while_another_connection_writes_is_the_register_at_one_instant() {
    let (dir, mut reg) = fresh();
    agreement(&mut reg, 0);
    let path = reg.path().to_path_buf();
    let stop = Arc::new(AtomicBool::new(false));
    let started = Arc::new(Barrier::new(2));
    let writer = {
        let (stop, started, path) = (stop.clone(), started.clone(), path.clone());
        std::thread::spawn(move || {
            let mut other = Register::open(&path).unwrap();
            started.wait();
            let mut n = 1;
            while !stop.load(Ordering::Relaxed) {
                let a = agreement(&mut other, n);
                let mut edited = a.clone();
                edited.subject = format!("{} (modificato)", a.subject);
                other.update(edited).unwrap();
                n += 1;
            }
            n
        })
    };
    started.wait();
    let mut seen = Vec::new();
    for i in 0..8 {
        let out = dir.path().join(format!("copie/copia-{i}.raccordo"));
        // backup_to checks the copy: SQLite's structure, the chain, every record
        // against its history (a write caught half-way would not match).
        let check = reg.backup_to(&out).unwrap();
        assert_eq!(check.path, out);
        let copy = Register::open(&out).unwrap();
        // Each agreement is created then edited in two transactions: a copy holds
        // whole transactions only, so each created one it holds is there as created
        // or as edited, and its history says the same.
        let agreements = count(&copy, "agreement");
        let creates: i64 = copy
            .connection()
            .query_row("SELECT count(*) FROM journal WHERE kind = 'agreement' AND op = 'create'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(agreements, creates);
        seen.push(agreements);
    }
    stop.store(true, Ordering::Relaxed);
    let written = writer.join().unwrap();
    assert!(written > 8, "the writer wrote during the copies ({written})");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    assert!(seen.first() < seen.last(), "the copies were taken while the register grew: {seen:?}");
}

/// Overwrites the middle fifth of a file with bytes no SQLite page holds.
fn damage(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let (from, to) = (bytes.len() * 2 / 5, bytes.len() * 3 / 5);
    bytes[from..to].fill(0x5a);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_damaged_copy_or_a_file_that_is_no_copy_is_refused_and_changes_nothing() {
    let (dir, mut reg) = fresh();
    agreement(&mut reg, 1);
    let copy = dir.path().join("copia.raccordo");
    reg.backup_to(&copy).unwrap();
    damage(&copy);
    let e = check_copy(&copy).unwrap_err();
    assert_eq!(e.code, ErrorCode::Inconsistent, "{}", e.message);
    assert!(e.message.contains("danneggiata"), "{}", e.message);

    // Changed behind Raccordo's back, structure intact: the history says otherwise.
    let edited = dir.path().join("modificata.raccordo");
    reg.backup_to(&edited).unwrap();
    let conn = rusqlite::Connection::open(&edited).unwrap();
    conn.execute("UPDATE agreement SET subject = 'Scritto con sqlite3'", []).unwrap();
    drop(conn);
    let e = check_copy(&edited).unwrap_err();
    assert!(e.message.contains("non corrisponde al suo registro modifiche"), "{}", e.message);

    let not_a_copy = dir.path().join("appunti.raccordo");
    std::fs::write(&not_a_copy, "non è un registro").unwrap();
    assert_eq!(check_copy(&not_a_copy).unwrap_err().code, ErrorCode::NotARegister);

    let path = reg.path().to_path_buf();
    let before = dump(&reg);
    drop(reg);
    for bad in [&copy, &edited, &not_a_copy, &dir.path().join("mancante.raccordo")] {
        assert!(backup::restore(&path, bad).is_err(), "{}", bad.display());
    }
    let reg = Register::open(&path).unwrap();
    assert_eq!(dump(&reg), before, "a refused restore changed the register");
    let aside = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("prima-del-ripristino"));
    assert!(!aside, "nothing was set aside for a restore that did not start");
}

#[test]
fn a_restore_keeps_the_register_aside_and_makes_a_new_installation() {
    let (dir, mut reg) = fresh();
    let a = agreement(&mut reg, 1);
    let copy = dir.path().join("copia.raccordo");
    reg.backup_to(&copy).unwrap();
    let mut later = a.clone();
    later.subject = "Scritto dopo la copia".into();
    reg.update(later).unwrap();
    agreement(&mut reg, 2);
    let old_site = reg.settings().site_id;
    let path = reg.path().to_path_buf();

    // Not while another connection has it open: nothing changes.
    let e = backup::restore(&path, &copy).unwrap_err();
    assert_eq!(e.code, ErrorCode::Busy, "{}", e.message);
    assert!(e.message.contains("aperto in un altro programma"), "{}", e.message);
    assert_eq!(count(&reg, "agreement"), 2);
    drop(reg);

    let r = backup::restore(&path, &copy).unwrap();
    assert_ne!(r.site_id, old_site);
    let reg = Register::open(&path).unwrap();
    assert_eq!(reg.settings().site_id, r.site_id);
    assert_eq!(count(&reg, "agreement"), 1);
    assert_eq!(reg.reader().require::<Agreement>(a.id).unwrap().subject, a.subject);
    assert!(reg.peer().unwrap().is_none());
    verify::register(reg.connection()).unwrap().into_result().unwrap();
    // The register as it was before, kept aside whole.
    let aside = Register::open(r.kept_aside.as_ref().unwrap()).unwrap();
    assert_eq!(count(&aside, "agreement"), 2);
    assert_eq!(aside.reader().require::<Agreement>(a.id).unwrap().subject, "Scritto dopo la copia");
    assert_eq!(aside.settings().site_id, old_site);
}

fn day(s: &str) -> chrono::NaiveDate {
    s.parse().unwrap()
}

#[test]
fn the_rotation_keeps_seven_days_and_the_four_weeks_before_them() {
    let every: Vec<_> = day("2026-10-01").iter_days().take_while(|d| *d <= day("2026-12-07")).collect();
    let mut kept = backup::days_kept(every);
    kept.sort();
    // 2026-12-07 is a Monday: the last seven days reach back into the week of 30
    // November, so the weekly copies are the Sundays of the four weeks before it.
    let expected: Vec<_> = ["2026-11-08", "2026-11-15", "2026-11-22", "2026-11-29"]
        .into_iter()
        .map(day)
        .chain(day("2026-12-01").iter_days().take(7))
        .collect();
    assert_eq!(kept, expected);
    // A PC used only some days: the same rule on the days there are.
    let sparse = ["2026-12-07", "2026-12-02", "2026-11-20", "2026-11-03", "2026-10-30", "2026-10-29"].map(day);
    assert_eq!(backup::days_kept(sparse.to_vec()).len(), 6);
}

#[test]
fn a_daily_copy_is_made_once_a_day_and_the_rotation_spares_copies_made_by_hand() {
    let (dir, mut reg) = fresh();
    agreement(&mut reg, 1);
    let folder = dir.path().join("chiavetta");
    let path = reg.path().to_path_buf();
    let by_hand = folder.join(backup::manual_name(&path, day("2026-10-02").and_hms_opt(9, 30, 0).unwrap()));
    reg.backup_to(&by_hand).unwrap();
    let days: Vec<_> = day("2026-10-01").iter_days().step_by(3).take(14).collect();
    for d in &days {
        assert!(backup::daily(&path, &folder, *d).unwrap().is_some(), "{d}");
        assert!(backup::daily(&path, &folder, *d).unwrap().is_none(), "a second copy on {d}");
    }
    let mut left: Vec<_> = backup::copies(&path, &folder).unwrap().into_iter().map(|c| c.name).collect();
    left.sort();
    let mut expected: Vec<_> = backup::days_kept(days).into_iter().map(|d| backup::daily_name(&path, d)).collect();
    expected.push(by_hand.file_name().unwrap().to_string_lossy().into_owned());
    expected.sort();
    assert_eq!(left, expected);
    // Every third day from 1 October: the 7 newest reach back to 22 October, and the
    // weeks before hold the copies of 16, 10 and 4 October (the weeks only run out).
    assert_eq!(left.len(), 7 + 3 + 1, "{left:?}");
}
