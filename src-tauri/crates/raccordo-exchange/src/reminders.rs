//! Reminders: agreements expiring within 90, 30 and 7 days, commitments and actions
//! falling due within a week or already overdue. Each reminder has a key that stays
//! the same while it says the same thing, so that the window notifies each once
//! (an agreement once at 90 days, again at 30, again at 7), and `raccordo-cli
//! reminders` prints the same list for a scheduled mail.

use chrono::NaiveDate;
use raccordo_register::checks::italian_date;
use raccordo_register::{Action, Agreement, AgreementStatus, Commitment, Reader, Result, WorkStatus};
use serde::{Deserialize, Serialize};

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Reminded {
    Expiry,
    Commitment,
    Action,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Reminder {
    pub what: Reminded,
    /// The same while the reminder says the same: what the window remembers as told.
    pub key: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub record_id: uuid::Uuid,
    /// The day it is about (expiry, due date).
    pub day: NaiveDate,
    /// One line in Italian.
    pub text: String,
}

/// The thresholds an agreement is reminded at, in days before its expiry.
pub const EXPIRY_DAYS: [i64; 3] = [7, 30, 90];
/// How far ahead commitments and actions falling due are reminded.
pub const DUE_DAYS: i64 = 7;

fn days_word(n: i64) -> String {
    match n {
        0 => "oggi".to_owned(),
        1 => "domani".to_owned(),
        n => format!("tra {n} giorni"),
    }
}

/// Every reminder due on `today`, by day.
pub fn reminders(r: &Reader, today: NaiveDate) -> Result<Vec<Reminder>> {
    let mut out = Vec::new();
    let last = today + chrono::Days::new(EXPIRY_DAYS[2] as u64);
    for a in r.select::<Agreement>(
        "SELECT * FROM agreement WHERE expires_on BETWEEN ?1 AND ?2 ORDER BY expires_on",
        (today.to_string(), last.to_string()),
    )? {
        if !matches!(a.status, AgreementStatus::Vigente | AgreementStatus::Rinnovato | AgreementStatus::InFirma) {
            continue;
        }
        let Some(day) = a.expires_on else { continue };
        let left = (day - today).num_days();
        let Some(threshold) = EXPIRY_DAYS.iter().find(|t| left <= **t) else { continue };
        out.push(Reminder {
            what: Reminded::Expiry,
            key: format!("scadenza:{}:{day}:{threshold}", a.id),
            record_id: a.id,
            day,
            text: format!(
                "Il protocollo {} scade il {}, {}: {}",
                a.number,
                italian_date(day),
                days_word(left),
                a.subject
            ),
        });
    }
    let until = (today + chrono::Days::new(DUE_DAYS as u64)).to_string();
    let open = |s: WorkStatus| matches!(s, WorkStatus::DaAvviare | WorkStatus::InCorso);
    // "scaduto" for an impegno, "scaduta" for an azione.
    let due = |day: NaiveDate, ending: char| {
        let left = (day - today).num_days();
        if left < 0 {
            format!("scadut{ending} il {}", italian_date(day))
        } else {
            format!("scade il {}, {}", italian_date(day), days_word(left))
        }
    };
    let number = |id| -> Result<String> { Ok(r.get::<Agreement>(id)?.map(|a| a.number).unwrap_or_default()) };
    for c in r.select::<Commitment>("SELECT * FROM commitment WHERE due_on <= ?1 ORDER BY due_on", [&until])? {
        let Some(day) = c.due_on.filter(|_| open(c.status)) else { continue };
        out.push(Reminder {
            what: Reminded::Commitment,
            key: format!("impegno:{}:{day}", c.id),
            record_id: c.id,
            day,
            text: format!("Impegno del protocollo {}: {} ({})", number(c.agreement_id)?, c.description, due(day, 'o')),
        });
    }
    for x in r.select::<Action>("SELECT * FROM action WHERE due_on <= ?1 ORDER BY due_on", [&until])? {
        let Some(day) = x.due_on.filter(|_| open(x.status)) else { continue };
        out.push(Reminder {
            what: Reminded::Action,
            key: format!("azione:{}:{day}", x.id),
            record_id: x.id,
            day,
            text: format!("Azione del protocollo {}: {} ({})", number(x.agreement_id)?, x.description, due(day, 'a')),
        });
    }
    out.sort_by(|a, b| a.day.cmp(&b.day).then_with(|| a.key.cmp(&b.key)));
    Ok(out)
}
