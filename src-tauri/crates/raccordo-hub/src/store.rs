//! What the hub keeps, behind one interface: the offices and their enrolment codes,
//! the installations and the hash of each credential, and the log of every change
//! received, in the order the hub received it, chained by hash. [`crate::sqlite`] is
//! the implementation; a PostgreSQL one implements the same trait.
//!
//! Every method that writes does all its work in one transaction: a batch is in the
//! log whole, with the installation's clock, or not at all.

use raccordo_sync::protocol::{Cursor, Refusal};
use serde::Serialize;
use uuid::Uuid;

/// Why a store call failed: the refusal the hub answers with, and its Italian words.
#[derive(Debug, Clone, PartialEq)]
pub struct HubError {
    pub refusal: Refusal,
    pub message: String,
}

impl HubError {
    pub fn new(refusal: Refusal, message: impl Into<String>) -> HubError {
        HubError { refusal, message: message.into() }
    }

    pub fn internal(e: impl std::fmt::Display) -> HubError {
        HubError::new(Refusal::Internal, format!("Errore interno del hub ({e}): nulla è stato applicato; riprovare."))
    }
}

impl std::fmt::Display for HubError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

pub type HubResult<T> = Result<T, HubError>;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identity {
    pub hub_id: Uuid,
    pub epoch: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Office {
    pub id: Uuid,
    pub name: String,
    pub added_at: String,
    pub revoked_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Installation {
    pub id: Uuid,
    pub office_id: Uuid,
    pub site: Uuid,
    pub secret_sha256: String,
    pub enrolled_at: String,
    pub last_contact: Option<String>,
    /// The highest clock the installation's register showed: a copy shows an older one.
    pub site_clock: u64,
    /// Conflicts waiting in its register, as it said at its last pull.
    pub conflicts: u64,
    /// Its office was revoked.
    pub revoked: bool,
}

/// A received change as the log keeps it: its origin, what it touches, its body (the
/// change's JSON with the sender's sequence number cleared) and that body's SHA-256.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedChange {
    pub site: Uuid,
    pub hlc: u64,
    pub kind: String,
    pub record_id: Uuid,
    /// `create`, `update` or `delete`.
    pub op: String,
    /// The fields of it that route the record (`raccordo_register::sharing`).
    pub tracked: Vec<Route>,
    pub body: String,
    pub digest: String,
}

/// One routing field a change sets: what it tells, its place among the record's
/// parent fields, its new value (an id, a scope; `None`: emptied).
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub field: &'static str,
    pub role: raccordo_register::sharing::Role,
    pub ord: i64,
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Pushed {
    pub accepted: u64,
    pub already_held: u64,
}

/// One pulled page of the log.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// `(hub seq, body)`, in log order.
    pub changes: Vec<(i64, String)>,
    pub next: Cursor,
    pub more: bool,
    /// Groups shared with the office from this page on, and those no longer shared.
    pub shared: Vec<Uuid>,
    pub unshared: Vec<Uuid>,
}

/// An office with its installations, for `status` and `office list`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficeStatus {
    pub office: Office,
    pub installations: Vec<Installation>,
    /// Enrolment codes given and not used, still valid.
    pub codes_open: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Totals {
    pub changes: u64,
    pub records: u64,
    pub head: i64,
    /// Deleted records whose history waits for an installation to acknowledge it.
    pub purge_waiting: u64,
}

/// What one purge did (`crate::purge`).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Purged {
    /// Deleted records whose creation and updates were emptied.
    pub histories: u64,
    /// Deleted records whose delete was emptied too: nothing of them is left to send.
    pub tombstones: u64,
    /// Entries of the log emptied, and the bytes their bodies held.
    pub changes: u64,
    pub bytes: u64,
    /// Deleted records whose history still waits, and the installations it waits for.
    pub waiting: u64,
    pub held_back_by: Vec<PurgeWait>,
}

/// An installation that has not acknowledged the log as far as a purge needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PurgeWait {
    pub installation: Uuid,
    pub office: String,
    pub acked_seq: i64,
    pub last_contact: Option<String>,
    pub revoked: bool,
}

pub trait HubStore: Send + Sync {
    fn identity(&self) -> HubResult<Identity>;

    /// The hub learnt it was restored from an older copy (a cursor it does not have).
    fn raise_epoch(&self) -> HubResult<u64>;

    /// Registers an office (again: nothing changes but a revocation lifted).
    fn add_office(&self, id: Uuid, name: &str, now: &str) -> HubResult<()>;

    /// Keeps the hash of a one-time enrolment code for `office`, valid until `expires_at`.
    fn add_code(&self, office: Uuid, code_sha256: &str, now: &str, expires_at: &str) -> HubResult<()>;

    /// Spends the code whose hash is `code_sha256` for a new installation of its office
    /// with site `site`, keeping the hash of its secret. Refused, the code stays unspent.
    #[allow(clippy::too_many_arguments)]
    fn enrol(
        &self,
        code_sha256: &str,
        site: Uuid,
        clock: u64,
        claimed_office: Option<Uuid>,
        installation: Uuid,
        secret_sha256: &str,
        now: &str,
    ) -> HubResult<Office>;

    fn installation(&self, id: Uuid) -> HubResult<Option<Installation>>;

    /// Appends the changes the hub does not hold to the log, in one transaction, and
    /// notes the installation's clock. A change whose origin the log holds with other
    /// content refuses the whole batch ([`Refusal::SiteConflict`]), and so does one to
    /// a record outside what the sender's office may write ([`Refusal::OutOfScope`]).
    /// The offices that gain or lose a group by the batch get it noted in the log.
    fn push(&self, from: &Installation, clock: u64, changes: &[LoggedChange], now: &str)
    -> HubResult<(Pushed, Cursor)>;

    /// The log after `after` for `to`, at most `limit` changes: those its office
    /// reads, not those `to` sent itself, and the history of each group shared with the
    /// office meanwhile. A cursor the log does not have refuses ([`Refusal::HubRestored`]).
    /// Asking after `after` acknowledges the log up to it (`crate::purge`).
    fn pull(&self, to: &Installation, after: &Cursor, limit: usize, conflicts: u64, now: &str) -> HubResult<Page>;

    /// Whether `office` may send or receive the file with SHA-256 `sha`: it reads an
    /// attachment of that file.
    fn blob_readable(&self, office: Uuid, sha: &str) -> HubResult<bool>;

    /// Revokes an office: its installations are refused from now on. `false`: unknown.
    fn revoke(&self, office: Uuid, now: &str) -> HubResult<bool>;

    fn offices(&self, now: &str) -> HubResult<Vec<OfficeStatus>>;

    fn totals(&self) -> HubResult<Totals>;

    /// Empties what the log keeps of deleted records once every installation that
    /// could hold them has acknowledged it (`crate::purge`).
    fn purge(&self) -> HubResult<Purged>;

    /// The bodies of the log's changes to records of `kind`, for looking up offices
    /// among the administrations offices added by hand.
    fn bodies_of_kind(&self, kind: &str) -> HubResult<Vec<String>>;
}
