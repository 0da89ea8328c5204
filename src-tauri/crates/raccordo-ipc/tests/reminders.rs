//! The window's reminders on a real register: each told once, whatever how often the
//! daily jobs run; a kind turned off in Impostazioni is neither listed nor told.

use raccordo_ipc::reminders::{self, RemindersSettings};
use raccordo_ipc::session::{Places, Session};
use raccordo_register::Register;

#[test]
fn each_reminder_is_told_once_and_a_kind_turned_off_is_not_told() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.raccordo");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    raccordo_demo::build_demo(&mut Register::open(&file).unwrap(), today).unwrap();
    let s = Session::start(Places { data_dir: dir.path().to_owned(), explicit: Some(file.clone()), demo: false });

    let first = reminders::to_tell(dir.path(), &file, today).unwrap();
    assert!(!first.is_empty());
    assert!(reminders::to_tell(dir.path(), &file, today).unwrap().is_empty(), "told twice");
    // Seven days later the same overdue work is not told again; a new threshold is.
    let later = reminders::to_tell(dir.path(), &file, today + chrono::Days::new(7)).unwrap();
    assert!(later.iter().all(|r| !first.iter().any(|f| f.key == r.key)), "{later:?}");

    // Expiries off: not listed, not told (a fresh data folder has told nothing yet).
    let other = tempfile::tempdir().unwrap();
    let s2 = Session::start(Places { data_dir: other.path().to_owned(), explicit: Some(file.clone()), demo: false });
    let state =
        reminders::reminders_settings(&s2, RemindersSettings { expiries: false, commitments: true, actions: true })
            .unwrap();
    assert!(state.current.iter().all(|r| r.what != raccordo_exchange::reminders::Reminded::Expiry));
    let told = reminders::to_tell(other.path(), &file, chrono::Local::now().date_naive()).unwrap();
    assert!(told.iter().all(|r| r.what != raccordo_exchange::reminders::Reminded::Expiry));
    drop(s);
}
