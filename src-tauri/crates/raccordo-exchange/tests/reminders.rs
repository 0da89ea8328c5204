//! The reminders of a day on the demo register: each agreement in force expiring within
//! 90 days, at the threshold its days left reach (90, 30, 7), with a key that changes
//! with the threshold; open commitments and actions falling due within a week or overdue.

use chrono::{Days, NaiveDate};
use raccordo_exchange::reminders::{self, Reminded};
use raccordo_register::{Agreement, AgreementStatus, Register};

#[test]
fn each_agreement_is_reminded_at_90_30_and_7_days_and_work_falling_due_once_a_week_ahead() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Register::open(dir.path().join("demo.raccordo")).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    raccordo_demo::build_demo(&mut reg, today).unwrap();
    let r = reg.reader();
    let all = reminders::reminders(&r, today).unwrap();
    let expiring: Vec<Agreement> = r
        .select::<Agreement>("SELECT * FROM agreement WHERE expires_on IS NOT NULL", [])
        .unwrap()
        .into_iter()
        .filter(|a| a.status == AgreementStatus::Vigente && a.expires_on.unwrap() <= today + Days::new(90))
        .collect();
    assert!(!expiring.is_empty(), "the demo has an agreement expiring within 90 days");
    for a in &expiring {
        let reminder = all.iter().find(|x| x.record_id == a.id).unwrap_or_else(|| panic!("{}", a.number));
        assert_eq!(reminder.what, Reminded::Expiry);
        assert!(reminder.text.starts_with(&format!("Il protocollo {} scade il", a.number)), "{}", reminder.text);
    }
    let due = |sql: &str| r.query_one::<i64>(sql, [(today + Days::new(7)).to_string()]).unwrap().unwrap() as usize;
    let open = "status IN ('da_avviare', 'in_corso') AND due_on <= ?1";
    assert_eq!(
        all.iter().filter(|x| x.what == Reminded::Commitment).count(),
        due(&format!("SELECT count(*) FROM commitment WHERE {open}"))
    );
    assert_eq!(
        all.iter().filter(|x| x.what == Reminded::Action).count(),
        due(&format!("SELECT count(*) FROM action WHERE {open}"))
    );
    assert!(all.iter().any(|x| x.what != Reminded::Expiry), "the demo has work falling due");

    // The same agreement 30 and 7 days before: a new key each time, so told again.
    let a = &expiring[0];
    let day = a.expires_on.unwrap();
    let key_at = |d: NaiveDate| {
        reminders::reminders(&r, d).unwrap().into_iter().find(|x| x.record_id == a.id).map(|x| (x.key, x.text))
    };
    let (k90, _) = key_at(day - Days::new(60)).unwrap();
    let (k30, _) = key_at(day - Days::new(30)).unwrap();
    let (k29, _) = key_at(day - Days::new(29)).unwrap();
    let (k7, t7) = key_at(day - Days::new(7)).unwrap();
    assert!(k90.ends_with(":90") && k30.ends_with(":30") && k7.ends_with(":7"), "{k90} {k30} {k7}");
    assert_eq!(k30, k29, "the same reminder between two thresholds");
    assert!(t7.contains("tra 7 giorni"), "{t7}");
    assert!(key_at(day + Days::new(1)).is_none(), "no reminder once expired");
    assert!(key_at(day - Days::new(91)).is_none(), "none before 90 days");
}
