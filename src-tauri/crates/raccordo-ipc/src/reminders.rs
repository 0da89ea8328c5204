//! Promemoria: which kinds of reminder the window tells (Impostazioni), what it has
//! told already, so that each is told once (`raccordo_exchange::reminders` gives each
//! a key that changes when the reminder does: an agreement at 90, 30, 7 days), and the
//! telling itself, which the daily jobs run at start and every hour.

use crate::{Error, Result, Session};
use raccordo_exchange::reminders::{self, Reminded, Reminder};
use raccordo_register::ErrorCode;
use serde::{Deserialize, Serialize};
use std::path::Path;
use ts_rs::TS;

/// The preferences file, in the app's data folder.
const PREFS: &str = "promemoria.json";

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct RemindersSettings {
    pub expiries: bool,
    pub commitments: bool,
    pub actions: bool,
}

impl Default for RemindersSettings {
    fn default() -> Self {
        RemindersSettings { expiries: true, commitments: true, actions: true }
    }
}

impl RemindersSettings {
    fn wants(&self, what: Reminded) -> bool {
        match what {
            Reminded::Expiry => self.expiries,
            Reminded::Commitment => self.commitments,
            Reminded::Action => self.actions,
        }
    }
}

#[derive(Default, Serialize, Deserialize)]
struct Prefs {
    #[serde(default)]
    settings: Option<RemindersSettings>,
    /// Keys of the reminders told, with the day they were told.
    #[serde(default)]
    told: Vec<(String, chrono::NaiveDate)>,
}

fn read(data_dir: &Path) -> Prefs {
    std::fs::read(data_dir.join(PREFS)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

fn write(data_dir: &Path, prefs: &Prefs) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(prefs)?;
    std::fs::write(data_dir.join(PREFS), bytes)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("Impostazioni dei promemoria non salvate: {e}")))
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RemindersState {
    pub settings: RemindersSettings,
    /// The reminders of today, of the kinds turned on.
    pub current: Vec<Reminder>,
}

fn state(s: &Session) -> Result<RemindersState> {
    let settings = read(s.data_dir()).settings.unwrap_or_default();
    let all = s.with(|reg| reminders::reminders(&reg.reader(), crate::session::today()))?;
    Ok(RemindersState { current: all.into_iter().filter(|r| settings.wants(r.what)).collect(), settings })
}

pub fn reminders_state(s: &Session, _: ()) -> Result<RemindersState> {
    state(s)
}

pub fn reminders_settings(s: &Session, args: RemindersSettings) -> Result<RemindersState> {
    let mut prefs = read(s.data_dir());
    prefs.settings = Some(args);
    write(s.data_dir(), &prefs)?;
    state(s)
}

/// The reminders of the register at `register` not told yet, of the kinds turned on,
/// noted as told: what the daily jobs pass to the desktop's notifications.
pub fn to_tell(data_dir: &Path, register: &Path, today: chrono::NaiveDate) -> Result<Vec<Reminder>> {
    let conn = raccordo_register::db::open_read_only(register)?;
    let all = reminders::reminders(&raccordo_register::Reader::new(&conn), today)?;
    let mut prefs = read(data_dir);
    let settings = prefs.settings.clone().unwrap_or_default();
    let new: Vec<Reminder> = all
        .iter()
        .filter(|r| settings.wants(r.what) && !prefs.told.iter().any(|(k, _)| *k == r.key))
        .cloned()
        .collect();
    let before = prefs.told.len();
    // A reminder no longer current never comes back under the same key: forgotten, so
    // that the list stays as short as today's reminders.
    prefs.told.retain(|(k, _)| all.iter().any(|r| r.key == *k));
    if !new.is_empty() || prefs.told.len() != before {
        prefs.told.extend(new.iter().map(|r| (r.key.clone(), today)));
        write(data_dir, &prefs)?;
    }
    Ok(new)
}

/// Tells the reminders not told yet through `notify`: each on its own when there are a
/// few, else one message with how many and the first ones. A register that cannot be
/// read now is tried again at the next run.
pub fn tell(data_dir: &Path, register: &Path, today: chrono::NaiveDate, notify: &crate::sync::engine::Notify) {
    let Ok(new) = to_tell(data_dir, register, today) else { return };
    if new.len() <= 3 {
        for r in &new {
            notify("Raccordo: promemoria", &r.text);
        }
    } else {
        let first: Vec<&str> = new.iter().take(3).map(|r| r.text.as_str()).collect();
        notify(
            &format!("Raccordo: {} promemoria", new.len()),
            &format!("{}; … (tutti in Impostazioni › Promemoria)", first.join("; ")),
        );
    }
}
