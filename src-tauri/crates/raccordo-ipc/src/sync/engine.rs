//! The window's background sync: a thread of its own, with its own connection to the
//! register and the link to the hub it keeps (`client::Syncer`), so that the window's
//! commands never wait for the network. It syncs when the register is opened, a short
//! pause after each save (any connection's: the window's, or `raccordo-cli`'s, seen
//! through SQLite's `data_version`), every few minutes, and when asked; what it is
//! doing and what it found is a [`SyncState`] the window reads at any time.

use super::{SyncFailure, SyncProgress, SyncState};
use raccordo_register::Register;
use raccordo_sync::client::{self, RunOptions, SyncError, Syncer};
use std::path::PathBuf;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long after a save the sync waits for the next one (a person filling a form
/// saves several records in a row: they go in one sync).
const AFTER_SAVE: Duration = Duration::from_secs(3);
/// How often it syncs with nothing saved here, to receive the partners' changes:
/// every two minutes, or every `RACCORDO_SYNC_EVERY_SECS` seconds (an office that
/// wants its partners' changes sooner; the window tests).
fn every() -> Duration {
    let secs = std::env::var("RACCORDO_SYNC_EVERY_SECS").ok().and_then(|v| v.parse().ok()).filter(|s| *s > 0);
    Duration::from_secs(secs.unwrap_or(120))
}
/// How often it tries again while the hub does not answer (at most).
const OFFLINE_RETRY: Duration = Duration::from_secs(60);
/// How often it looks for saves of other connections.
const TICK: Duration = Duration::from_millis(500);

/// Errors that no retry mends: a person must act (the window notifies them once).
const NEEDS_A_PERSON: &[&str] = &[
    "credential_revoked",
    "credential_unknown",
    "credential_missing",
    "protocol_mismatch",
    "schema_mismatch",
    "site_copy",
    "keyring",
    "tls",
    "deletes_held",
];

/// A message for the person at the desk, through the operating system's notifications.
pub type Notify = Box<dyn Fn(&str, &str) + Send + Sync>;

enum Msg {
    /// Sync the register in this file (`None`: none is open, or it has no hub).
    Follow(Option<PathBuf>),
    Now {
        confirm_deletes: bool,
    },
}

struct Shared {
    state: Mutex<SyncState>,
    notify: OnceLock<Notify>,
}

impl Shared {
    fn update(&self, f: impl FnOnce(&mut SyncState)) {
        f(&mut self.state.lock().unwrap_or_else(|e| e.into_inner()));
    }

    fn snapshot(&self) -> SyncState {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn notify(&self, title: &str, body: &str) {
        if let Some(n) = self.notify.get() {
            n(title, body);
        }
    }
}

/// The handle the session keeps; the thread ends when it is dropped.
pub struct Engine {
    tx: Mutex<mpsc::Sender<Msg>>,
    shared: Arc<Shared>,
}

impl Engine {
    pub fn start() -> Engine {
        let (tx, rx) = mpsc::channel();
        let shared = Arc::new(Shared { state: Mutex::new(SyncState::default()), notify: OnceLock::new() });
        let theirs = shared.clone();
        std::thread::Builder::new()
            .name("raccordo-sync".into())
            .spawn(move || work(rx, &theirs))
            .expect("the sync thread starts");
        Engine { tx: Mutex::new(tx), shared }
    }

    fn send(&self, msg: Msg) {
        // The thread only ends when this handle is dropped: a send cannot fail before.
        let _ = self.tx.lock().unwrap_or_else(|e| e.into_inner()).send(msg);
    }

    /// Syncs the register in `file` from now on (`None`: stop).
    pub fn follow(&self, file: Option<PathBuf>) {
        if file.is_none() {
            self.shared.update(|s| *s = SyncState::default());
        }
        self.send(Msg::Follow(file));
    }

    /// Shows `reg`'s hub and counts at once, read on the caller's connection: joining
    /// answers the window with the joined state, not the one before (the thread, maybe
    /// busy with another sync, reads it again on its own).
    pub fn show(&self, reg: &Register) -> Result<(), SyncError> {
        let status = client::status(reg)?;
        self.shared.update(|s| apply_status(s, &status));
        Ok(())
    }

    /// Syncs as soon as the thread is free.
    pub fn now(&self, confirm_deletes: bool) {
        self.shared.update(|s| {
            if s.joined {
                s.syncing = true;
            }
        });
        self.send(Msg::Now { confirm_deletes });
    }

    pub fn state(&self) -> SyncState {
        self.shared.snapshot()
    }

    /// How the desktop tells the person about a conflict or an error that needs them.
    pub fn set_notify(&self, notify: Notify) {
        let _ = self.shared.notify.set(notify);
    }
}

/// The register the thread syncs, and when it syncs next.
struct Watched {
    reg: Register,
    syncer: Syncer,
    /// SQLite's count of other connections' commits, when last looked at.
    data_version: i64,
    /// A save was seen: sync at this time, unless another save comes first.
    after_save: Option<Instant>,
    next: Instant,
}

fn work(rx: mpsc::Receiver<Msg>, shared: &Shared) {
    let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        shared.update(|s| {
            s.error =
                Some(failure("unreachable", "Avvio della rete non riuscito: la sincronizzazione non è disponibile."))
        });
        return;
    };
    let mut watched: Option<Watched> = None;
    loop {
        let now_asked = match rx.recv_timeout(TICK) {
            Ok(Msg::Follow(file)) => {
                watched = file.and_then(|f| watch(f, shared));
                true
            }
            Ok(Msg::Now { confirm_deletes }) => {
                if let Some(w) = watched.as_mut() {
                    sync(w, &rt, shared, confirm_deletes);
                }
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
            Err(RecvTimeoutError::Disconnected) => return,
        };
        let Some(w) = watched.as_mut() else { continue };
        let now = Instant::now();
        if let Some(v) = data_version(&w.reg)
            && v != w.data_version
        {
            w.data_version = v;
            w.after_save = Some(now + AFTER_SAVE);
            refresh(w, shared);
        }
        if now_asked || w.after_save.is_some_and(|t| now >= t) || now >= w.next {
            sync(w, &rt, shared, false);
        }
    }
}

/// Opens the register in `file` for the thread, if it has a hub.
fn watch(file: PathBuf, shared: &Shared) -> Option<Watched> {
    let reg = match Register::open(&file) {
        Ok(r) => r,
        Err(e) => {
            shared.update(|s| s.error = Some(failure("register", &e.message)));
            return None;
        }
    };
    let mut w = Watched {
        data_version: data_version(&reg)?,
        reg,
        syncer: Syncer::default(),
        after_save: None,
        next: Instant::now(),
    };
    refresh(&mut w, shared);
    shared.snapshot().joined.then_some(w)
}

fn data_version(reg: &Register) -> Option<i64> {
    reg.connection().query_row("PRAGMA data_version", [], |r| r.get(0)).ok()
}

fn failure(code: &str, message: &str) -> SyncFailure {
    SyncFailure { code: code.to_owned(), message: message.to_owned() }
}

/// The register's side of the state: its hub, what waits, the conflicts.
fn refresh(w: &mut Watched, shared: &Shared) {
    match client::status(&w.reg) {
        Ok(st) => shared.update(|s| apply_status(s, &st)),
        Err(e) => shared.update(|s| s.error = Some(failure(&e.code, &e.message))),
    }
}

fn apply_status(s: &mut SyncState, st: &client::Status) {
    s.joined = st.peer.is_some();
    if let Some(p) = &st.peer {
        s.hub_url = Some(p.hub_url.clone());
        s.pinned = p.pin_sha256.as_deref().map(raccordo_sync::protocol::grouped_fingerprint);
        s.joined_at = Some(p.joined_at.clone());
        s.last_sync_at = p.last_sync_at.clone();
    }
    s.changes_waiting = st.changes_waiting;
    s.conflicts = st.conflicts;
    s.held_back = st.held_back;
    s.unshared = st.unshared;
}

fn sync(w: &mut Watched, rt: &tokio::runtime::Runtime, shared: &Shared, confirm_deletes: bool) {
    let before = shared.snapshot();
    shared.update(|s| {
        s.syncing = true;
        s.progress = Some(SyncProgress { to_send: before.changes_waiting, sent: 0, received: 0 });
    });
    let result = rt.block_on(w.syncer.run(&mut w.reg, RunOptions { confirm_deletes }, |p| {
        shared.update(|s| {
            s.progress = Some(SyncProgress { to_send: before.changes_waiting, sent: p.pushed, received: p.pulled })
        })
    }));
    let now = Instant::now();
    w.after_save = None;
    let offline = result.as_ref().is_err_and(|e| e.code == "unreachable");
    w.next = now + if offline { every().min(OFFLINE_RETRY) } else { every() };
    // The sync's own writes are this connection's: not a save to sync again for.
    w.data_version = data_version(&w.reg).unwrap_or(w.data_version);
    shared.update(|s| {
        s.syncing = false;
        s.progress = None;
        match &result {
            Ok(outcome) => {
                s.offline = false;
                s.error = None;
                s.deletes_held = false;
                if outcome.applied + outcome.files_received + outcome.unshared > 0 || outcome.hub_restored {
                    s.data_generation += 1;
                }
            }
            Err(e) if e.code == "unreachable" => s.offline = true,
            Err(e) => {
                s.offline = false;
                s.deletes_held = e.code == "deletes_held";
                s.error = Some(failure(&e.code, &e.message));
            }
        }
    });
    refresh(w, shared);
    // Outside the state's lock: a notification is a D-Bus call, and the window reads
    // the state every two seconds.
    let after = shared.snapshot();
    tell_the_person(&before, &after, result.err(), shared);
}

/// A notification for a conflict that appeared, and for an error that a person must
/// mend, once each (not at every retry).
fn tell_the_person(before: &SyncState, after: &SyncState, error: Option<SyncError>, shared: &Shared) {
    if after.conflicts > before.conflicts {
        shared.notify(
            "Raccordo: conflitti da risolvere",
            &format!(
                "{} tra le modifiche di questo ufficio e quelle dei partner: aprire «Sincronizzazione» per decidere.",
                raccordo_register::words::count(after.conflicts, "conflitto in attesa", "conflitti in attesa")
            ),
        );
    }
    if let Some(e) = error
        && NEEDS_A_PERSON.contains(&e.code.as_str())
        && before.error.as_ref().map(|f| f.code.as_str()) != Some(e.code.as_str())
    {
        shared.notify("Raccordo: la sincronizzazione si è fermata", &e.message);
    }
}
