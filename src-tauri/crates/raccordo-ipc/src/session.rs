//! Which register the window works on. The app keeps its register in the user's data
//! folder; `--demo` opens a separate demo register, built from the seed texts when it
//! is missing; `--db FILE` opens any register file (tests, benchmarks). On a first
//! start with neither, no register is open until the user picks the demo or an empty one.

use crate::{Error, Result};
use chrono::{Local, NaiveDate};
use raccordo_register::{Administration, Register, Settings};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use ts_rs::TS;
use uuid::Uuid;

/// The register file of this installation, inside the data folder.
pub const MAIN_FILE: &str = "registro.raccordo";
/// The demo register, kept apart so nobody mixes demo data into real acts.
pub const DEMO_FILE: &str = "demo.raccordo";

/// Where registers live, as the shell found them on the command line and the system.
#[derive(Debug, Clone)]
pub struct Places {
    pub data_dir: PathBuf,
    /// `--db FILE`: this file and no other.
    pub explicit: Option<PathBuf>,
    /// `--demo`: the demo register.
    pub demo: bool,
}

pub struct Session {
    places: Places,
    open: Mutex<Option<Open>>,
    /// Why the register asked for at start could not be opened (shown by the window).
    problem: Mutex<Option<Error>>,
    /// The desktop's save dialog and viewer, set by the shell (see [`crate::documents::Desk`]).
    desk: std::sync::OnceLock<Box<dyn crate::documents::Desk>>,
    /// The background sync of the open register, when it has a hub.
    sync: crate::sync::engine::Engine,
    /// The daily jobs on the open register: its copy, the reminders.
    daily: crate::daily::Daily,
}

struct Open {
    reg: Register,
    demo: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SessionState {
    /// A register is open and the screens can be used.
    pub open: bool,
    pub path: Option<String>,
    /// The open register is the demo one: the window says so on every screen.
    pub demo: bool,
    pub settings: Option<Settings>,
    /// The office's name, for the header.
    pub office_name: Option<String>,
    /// The day "expiring", "overdue" and "next" count from.
    pub today: NaiveDate,
    /// The main register file does not exist yet: offer the demo or an empty register.
    pub first_start: bool,
    /// Why the register could not be opened, if it could not.
    pub problem: Option<Error>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct OpenArgs {
    /// `true`: the demo register; `false`: the office's own (created empty if missing).
    pub demo: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SettingsArgs {
    pub office_id: Option<Uuid>,
    pub user_name: String,
}

pub fn today() -> NaiveDate {
    Local::now().date_naive()
}

impl Session {
    /// Opens the register the command line asked for, or the office's own if it
    /// exists; otherwise starts with none open (first start). A register that cannot
    /// be opened (a newer version's, not a register) leaves none open and the reason
    /// in [`SessionState::problem`], for the window to show.
    pub fn start(places: Places) -> Session {
        let session = Session {
            open: Mutex::new(None),
            problem: Mutex::new(None),
            desk: std::sync::OnceLock::new(),
            sync: crate::sync::engine::Engine::start(),
            daily: crate::daily::Daily::start(places.data_dir.clone()),
            places,
        };
        let opened = if let Some(file) = session.places.explicit.clone() {
            Register::open(&file).map(|reg| session.replace(reg, false))
        } else if session.places.demo {
            session.open_demo()
        } else if session.main_file().exists() {
            Register::open(session.main_file()).map(|reg| session.replace(reg, false))
        } else {
            Ok(())
        };
        if let Err(e) = opened {
            *session.problem.lock().unwrap_or_else(|e| e.into_inner()) = Some(e);
        }
        session
    }

    pub fn main_file(&self) -> PathBuf {
        self.places.data_dir.join(MAIN_FILE)
    }

    pub fn demo_file(&self) -> PathBuf {
        self.places.data_dir.join(DEMO_FILE)
    }

    /// Runs `f` on the open register.
    /// Gives the session the desktop's save dialog and viewer (once, at start).
    pub fn set_desk(&self, desk: Box<dyn crate::documents::Desk>) {
        let _ = self.desk.set(desk);
    }

    pub fn desk(&self) -> Option<&dyn crate::documents::Desk> {
        self.desk.get().map(|d| d.as_ref())
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut Register) -> Result<R>) -> Result<R> {
        let mut guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
        match guard.as_mut() {
            Some(open) => f(&mut open.reg),
            None => Err(Error::bad_request("Nessun registro aperto: scegli il registro dimostrativo o uno vuoto.")),
        }
    }

    /// The background sync.
    pub fn sync(&self) -> &crate::sync::engine::Engine {
        &self.sync
    }

    /// The daily jobs (the copy, the reminders).
    pub fn daily(&self) -> &crate::daily::Daily {
        &self.daily
    }

    /// The app's data folder (registers, preferences).
    pub fn data_dir(&self) -> &Path {
        &self.places.data_dir
    }

    /// Puts copy `copy` in place of the open register: every connection of this window
    /// lets go of it (its own, the sync's, the daily copy's), the restore runs, and the
    /// window opens what is there after (see `backup::restore`).
    pub fn restore(&self, copy: &Path) -> Result<raccordo_register::backup::Restored> {
        // A copy that cannot be used is refused before the register is let go.
        let check = raccordo_register::backup::check_copy(copy)?;
        let mut guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let Some(open) = guard.take() else {
            return Err(Error::bad_request("Nessun registro aperto da ripristinare."));
        };
        let (path, demo) = (open.reg.path().to_path_buf(), open.demo);
        drop(open);
        self.sync.follow(None);
        self.daily.follow(None);
        // The sync lets go when its current step ends: wait for it, not for ever.
        let restored = raccordo_register::backup::restore_checked(&path, check, std::time::Duration::from_secs(20));
        drop(guard);
        match Register::open(&path) {
            Ok(reg) => self.replace(reg, demo),
            Err(e) => *self.problem.lock().unwrap_or_else(|e| e.into_inner()) = Some(e),
        }
        restored
    }

    fn replace(&self, reg: Register, demo: bool) {
        // Only a register with a hub is synced: one without costs nothing at start.
        let joined = reg.peer().ok().flatten().is_some().then(|| reg.path().to_path_buf());
        let file = reg.path().to_path_buf();
        *self.open.lock().unwrap_or_else(|e| e.into_inner()) = Some(Open { reg, demo });
        *self.problem.lock().unwrap_or_else(|e| e.into_inner()) = None;
        self.daily.follow(Some(file));
        self.sync.follow(joined);
    }

    fn open_demo(&self) -> Result<()> {
        let file = self.demo_file();
        ensure_dir(&self.places.data_dir)?;
        let fresh = !file.exists();
        let mut reg = Register::open(&file)?;
        if fresh && let Err(e) = raccordo_demo::build_demo(&mut reg, today()) {
            drop(reg);
            // A half-made demo would be opened as is next time: start over instead.
            let _ = std::fs::remove_file(&file);
            return Err(e);
        }
        self.replace(reg, true);
        Ok(())
    }

    pub fn state(&self) -> Result<SessionState> {
        let problem = self.problem.lock().unwrap_or_else(|e| e.into_inner()).clone();
        let guard = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let first_start = self.places.explicit.is_none() && !self.main_file().exists();
        let Some(open) = guard.as_ref() else {
            return Ok(SessionState {
                open: false,
                path: None,
                demo: false,
                settings: None,
                office_name: None,
                today: today(),
                first_start,
                problem,
            });
        };
        let settings = open.reg.settings();
        let office_name = match settings.office_id {
            Some(id) => open.reg.reader().get::<Administration>(id)?.map(|a| a.name),
            None => None,
        };
        Ok(SessionState {
            open: true,
            path: Some(open.reg.path().display().to_string()),
            demo: open.demo,
            settings: Some(settings),
            office_name,
            today: today(),
            first_start,
            problem,
        })
    }
}

fn ensure_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::new(
            raccordo_register::ErrorCode::Storage,
            format!("Impossibile creare la cartella dei dati {}: {e}.", dir.display()),
        )
    })
}

pub fn session_state(s: &Session, _: ()) -> Result<SessionState> {
    s.state()
}

/// Opens the demo register or the office's own (created empty, with the directory).
pub fn session_open(s: &Session, args: OpenArgs) -> Result<SessionState> {
    if args.demo {
        s.open_demo()?;
    } else {
        let file = s.places.explicit.clone().unwrap_or_else(|| s.main_file());
        if let Some(dir) = file.parent() {
            ensure_dir(dir)?;
        }
        s.replace(Register::open(&file)?, false);
    }
    s.state()
}

pub fn settings_save(s: &Session, args: SettingsArgs) -> Result<SessionState> {
    s.with(|reg| reg.set_settings(args.office_id, &args.user_name).map(|_| ()))?;
    s.state()
}
