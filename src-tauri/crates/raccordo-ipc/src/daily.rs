//! The window's daily jobs, on a thread of their own: the daily copy of the register
//! (`backups`) and the reminders told through the desktop's notifications
//! (`reminders`). They run a few seconds after a register opens (the window's start
//! comes first) and then every hour, so that a window left open past midnight does
//! the next day's.

use crate::sync::engine::Notify;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

enum Msg {
    /// The register in this file from now on (`None`: none).
    Follow(Option<PathBuf>),
}

/// The handle the session keeps; the thread ends when it is dropped.
pub struct Daily {
    tx: Mutex<mpsc::Sender<Msg>>,
    /// What the daily copy did last (shown in Impostazioni).
    pub(crate) copies: Arc<Mutex<crate::backups::DailyCopy>>,
    notify: Arc<OnceLock<Notify>>,
}

/// How long after a register opens the jobs run: `RACCORDO_DAILY_AFTER_SECS` sets
/// another delay (the window tests).
fn first_delay() -> Duration {
    let secs = std::env::var("RACCORDO_DAILY_AFTER_SECS").ok().and_then(|v| v.parse().ok());
    Duration::from_secs(secs.unwrap_or(20))
}

const RECHECK: Duration = Duration::from_secs(3600);

impl Daily {
    pub fn start(data_dir: PathBuf) -> Daily {
        let (tx, rx) = mpsc::channel();
        let copies = Arc::new(Mutex::new(crate::backups::DailyCopy::default()));
        let notify = Arc::new(OnceLock::new());
        let (theirs, told) = (copies.clone(), notify.clone());
        std::thread::Builder::new()
            .name("raccordo-giornaliero".into())
            .spawn(move || work(rx, &data_dir, &theirs, &told))
            .expect("the daily thread starts");
        Daily { tx: Mutex::new(tx), copies, notify }
    }

    pub fn follow(&self, file: Option<PathBuf>) {
        let _ = self.tx.lock().unwrap_or_else(|e| e.into_inner()).send(Msg::Follow(file));
    }

    /// How reminders reach the person at the desk (the shell's notifications).
    pub fn set_notify(&self, notify: Notify) {
        let _ = self.notify.set(notify);
    }
}

fn work(
    rx: mpsc::Receiver<Msg>,
    data_dir: &Path,
    copies: &Mutex<crate::backups::DailyCopy>,
    notify: &OnceLock<Notify>,
) {
    let mut file: Option<PathBuf> = None;
    let mut wait = RECHECK;
    loop {
        match rx.recv_timeout(wait) {
            Ok(Msg::Follow(f)) => {
                file = f;
                wait = first_delay();
                continue;
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        wait = RECHECK;
        let Some(register) = &file else { continue };
        let today = crate::session::today();
        crate::backups::daily_copy(data_dir, register, today, copies);
        if let Some(n) = notify.get() {
            crate::reminders::tell(data_dir, register, today, n);
        }
    }
}
