//! Sync in the window: joining a hub (its certificate's fingerprint shown to compare
//! before it is trusted), the state the header and the dashboard show, syncing now,
//! leaving; the conflicts (`conflicts.rs`); who receives an agreement (`sharing.rs`);
//! what sync means for one record: its last change, read-only copy, conflicts
//! (`record.rs`). The syncing itself runs in the background (`engine.rs`) on a
//! connection of its own. The work is `raccordo_sync::client`'s,
//! the same the command line uses.

mod conflicts;
pub mod engine;
mod record;
mod sharing;

pub use conflicts::*;
pub use record::*;
pub use sharing::*;

use crate::{Error, Result, Session};
use raccordo_register::{ErrorCode, FieldCode};
use raccordo_sync::client::{self, SyncError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the header and the dashboard say about sync.
#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct SyncState {
    /// The register is an installation of a hub.
    pub joined: bool,
    pub hub_url: Option<String>,
    /// The hub's certificate as pinned at join ("AB:12:…"), when the hub has its own.
    pub pinned: Option<String>,
    pub joined_at: Option<String>,
    /// The last sync that went through (RFC 3339).
    pub last_sync_at: Option<String>,
    /// A sync is running (or asked for).
    pub syncing: bool,
    /// Where a running sync is.
    pub progress: Option<SyncProgress>,
    /// The hub did not answer the last time: the register works on, and sync resumes
    /// when it answers. A normal state, not an error.
    pub offline: bool,
    /// Why the last sync stopped, when a person must do something about it.
    pub error: Option<SyncFailure>,
    /// A pull would delete a large part of the register: it waits for a person.
    pub deletes_held: bool,
    pub changes_waiting: u64,
    pub conflicts: u64,
    /// Changes received with a clock too far ahead, waiting.
    pub held_back: u64,
    /// Agreements and projects no longer shared with this office.
    pub unshared: u64,
    /// Raised each time a sync changed the register: the screens read it again.
    pub data_generation: u64,
}

#[derive(Debug, Clone, Default, Serialize, TS)]
pub struct SyncProgress {
    /// Changes to send when the sync started, and sent so far.
    pub to_send: u64,
    pub sent: u64,
    pub received: u64,
}

/// A sync failure: the hub's refusal or the client's code (`unreachable`, `tls`,
/// `keyring`, …), and in Italian what happened and what to do.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncFailure {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct HubAddressArgs {
    pub url: String,
}

/// What the hub at an address is, before joining it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct HubInspection {
    pub url: String,
    pub hub_id: String,
    /// The system's authorities vouch for its certificate: nothing to compare.
    pub trusted_by_system: bool,
    /// Otherwise the certificate's SHA-256 as people read it aloud ("AB:12:…").
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct JoinArgs {
    pub url: String,
    pub code: String,
    /// The fingerprint the person compared and confirmed ("AB:12:…" or hex), for a
    /// hub whose certificate the system's authorities do not vouch for.
    pub fingerprint: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SyncNowArgs {
    /// The person confirmed a pull that deletes a large part of the register.
    pub confirm_deletes: bool,
}

pub fn sync_state(s: &Session, _: ()) -> Result<SyncState> {
    Ok(s.sync().state())
}

/// The refusals that are about the enrolment code, shown next to that field.
const CODE_REFUSALS: &[&str] = &["code_unknown", "code_used", "code_expired", "other_office", "credential_unknown"];

/// A sync failure as the window's error: `ErrorCode::Sync`, the client's or hub's code
/// in `sync_code`, and the field of the join form it is about, if any.
fn sync_error(e: SyncError) -> Error {
    let field = if CODE_REFUSALS.contains(&e.code.as_str()) {
        Some("code")
    } else if ["unreachable", "tls", "bad_request", "bad_answer", "protocol_mismatch", "schema_mismatch"]
        .contains(&e.code.as_str())
    {
        Some("url")
    } else {
        None
    };
    let mut err = match field {
        Some(f) => on_field(ErrorCode::Sync, f, FieldCode::NotAllowed, &e.message),
        None => Error::new(ErrorCode::Sync, e.message),
    };
    err.sync_code = Some(e.code);
    err
}

/// An id the window sends, or what is wrong with it, naming `what` it should identify.
fn uuid_arg(text: &str, what: &str) -> Result<uuid::Uuid> {
    uuid::Uuid::parse_str(text.trim())
        .map_err(|_| Error::bad_request(format!("{what}: identificativo «{text}» non valido.")))
}

/// An error about one field of the join form, shown next to it.
use crate::on_field;

fn required(field: &str, label: &str) -> Error {
    on_field(ErrorCode::Validation, field, FieldCode::Required, &format!("{label}: campo obbligatorio."))
}

/// Runs a network step to its end on a thread of its own, with a runtime of its own:
/// the shell calls commands from inside its async runtime, where another one cannot
/// block (a panic, found by the window test).
fn on_network_thread<T: Send>(step: impl AsyncFnOnce() -> T + Send) -> Result<T> {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::new(ErrorCode::Storage, format!("Avvio della rete non riuscito: {e}")))?;
                Ok(rt.block_on(step()))
            })
            .join()
            .unwrap_or_else(|_| {
                Err(Error::new(ErrorCode::Storage, "Errore interno della rete: nulla è stato salvato."))
            })
    })
}

/// Asks the hub who it is and, for a certificate of its own, its fingerprint; writes
/// nothing.
pub fn hub_inspect(_: &Session, args: HubAddressArgs) -> Result<HubInspection> {
    if args.url.trim().is_empty() {
        return Err(required("url", "Indirizzo del hub"));
    }
    let seen = on_network_thread(async || client::inspect(&args.url).await)?.map_err(sync_error)?;
    Ok(HubInspection {
        url: seen.url,
        hub_id: seen.hub_id.to_string(),
        trusted_by_system: seen.trusted_by_system,
        fingerprint: seen.fingerprint.as_deref().map(raccordo_sync::protocol::grouped_fingerprint),
    })
}

/// A fingerprint as typed or shown ("AB:12:…", spaces, either case) as the hex the
/// client pins; anything that is not a SHA-256 is refused.
fn pin_of(fingerprint: &str) -> Result<String> {
    let hex: String =
        fingerprint.chars().filter(|c| !matches!(c, ':' | ' ' | '-')).collect::<String>().to_ascii_lowercase();
    if raccordo_sync::protocol::is_sha256(&hex) {
        Ok(hex)
    } else {
        Err(on_field(
            ErrorCode::Validation,
            "fingerprint",
            FieldCode::Sha256Format,
            "Impronta del certificato: 64 cifre esadecimali (32 coppie), come le legge l'ufficio del hub.",
        ))
    }
}

/// Joins the hub with a one-time code: the register becomes that office's installation,
/// the credential goes to the system's keyring, and the background sync starts.
pub fn sync_join(s: &Session, args: JoinArgs) -> Result<SyncState> {
    if args.url.trim().is_empty() {
        return Err(required("url", "Indirizzo del hub"));
    }
    if args.code.trim().is_empty() {
        return Err(required("code", "Codice di adesione"));
    }
    let pin = args.fingerprint.as_deref().filter(|f| !f.trim().is_empty()).map(pin_of).transpose()?;
    let file = s.with(|reg| {
        on_network_thread(async || client::join(reg, &args.url, &args.code, pin.as_deref()).await)?
            .map_err(sync_error)?;
        s.sync().show(reg).map_err(sync_error)?;
        Ok(reg.path().to_path_buf())
    })?;
    s.sync().follow(Some(file));
    Ok(s.sync().state())
}

pub fn sync_now(s: &Session, args: SyncNowArgs) -> Result<SyncState> {
    s.sync().now(args.confirm_deletes);
    Ok(s.sync().state())
}

/// Forgets the hub and the credential; the records stay.
pub fn sync_leave(s: &Session, _: ()) -> Result<SyncState> {
    s.with(|reg| client::leave(reg).map_err(sync_error))?;
    s.sync().follow(None);
    Ok(s.sync().state())
}
