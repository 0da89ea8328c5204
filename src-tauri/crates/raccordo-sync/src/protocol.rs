//! The sync protocol, as `docs/sync-protocol.md` writes it down: what travels between
//! a register and a hub, the versions both sides check, the limits and the refusals.
//! Both sides use these types; nothing here does input or output.

use raccordo_register::changelog::Change;
use raccordo_register::hlc::Stamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The protocol this build speaks. A peer on another one is refused before anything
/// is applied ([`Refusal::ProtocolMismatch`]).
pub const PROTOCOL: u32 = 1;

/// The register schema whose changes this build sends and understands: a change's
/// fields are the columns of that schema. A peer on another one is refused
/// ([`Refusal::SchemaMismatch`]), so a newer client never writes into an older hub
/// what that hub's other offices could not read.
pub const SCHEMA: u32 = raccordo_register::db::schema::LATEST;

/// The header that carries the SHA-256 (hex) of a batch's body, both ways. A body
/// whose bytes do not give it is refused whole ([`Refusal::ChecksumMismatch`]).
pub const CHECKSUM_HEADER: &str = "raccordo-sha256";

/// The header that names the hub (its id) on every answer: a client that keeps its
/// connection between syncs knows at each answer that the same hub still answers.
pub const HUB_ID_HEADER: &str = "raccordo-hub";

/// How an installation proves itself: `Authorization: Bearer INSTALLATION.SECRET`.
pub fn bearer(installation: Uuid, secret: &str) -> String {
    format!("Bearer {installation}.{secret}")
}

/// The installation and secret of an `Authorization` header, if it has that shape.
pub fn parse_bearer(header: &str) -> Option<(Uuid, &str)> {
    let token = header.strip_prefix("Bearer ")?;
    let (id, secret) = token.split_once('.')?;
    let ok = !secret.is_empty() && secret.len() <= 128;
    ok.then_some((Uuid::parse_str(id).ok()?, secret))
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    raccordo_register::audit::hex(&Sha256::digest(bytes))
}

/// A certificate's fingerprint in the form people compare aloud: pairs of hex digits
/// ("AB:12:…"), as the hub prints it and the window shows it before pinning.
pub fn grouped_fingerprint(sha256: &str) -> String {
    sha256.as_bytes().chunks(2).map(|p| String::from_utf8_lossy(p).to_uppercase()).collect::<Vec<_>>().join(":")
}

/// The hub's limits, announced by [`Hello`] so that a client sizes its batches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Most changes in one pushed batch.
    pub max_batch_changes: usize,
    /// Most changes the hub returns in one pulled batch.
    pub max_pull_changes: usize,
    /// Requests one installation may make per minute (a burst of as many, then
    /// one every 60/N seconds).
    pub requests_per_minute: u32,
    /// Largest attachment file, in bytes.
    pub max_attachment_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_body_bytes: 8 << 20,
            max_batch_changes: 2000,
            max_pull_changes: 2000,
            requests_per_minute: 600,
            max_attachment_bytes: 64 << 20,
        }
    }
}

/// `GET /v1/hello`: who the hub is and what it speaks. Needs no credential.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hello {
    pub hub_id: Uuid,
    /// Raised each time the hub learns it was restored from an older copy.
    pub epoch: u64,
    pub protocol: u32,
    pub schema: u32,
    pub limits: Limits,
}

/// `POST /v1/enrol`: an installation joins with a one-time code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrolRequest {
    pub protocol: u32,
    pub schema: u32,
    pub code: String,
    /// The register's site id: every change it writes carries it.
    pub site: Uuid,
    /// The register's clock: the hub refuses a site it knows whose clock went back.
    pub clock: Stamp,
    /// The office the register already works for, if any: a code for another office
    /// is refused before it is used ([`Refusal::OtherOffice`]).
    pub office: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolled {
    pub hub_id: Uuid,
    pub installation_id: Uuid,
    /// The credential, shown once: the hub keeps only its hash.
    pub secret: String,
    /// The administration whose office this installation now is.
    pub office_id: Uuid,
    pub office_name: String,
}

/// `POST /v1/push`: changes of the sender's journal, in its order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushBatch {
    pub protocol: u32,
    pub schema: u32,
    pub site: Uuid,
    pub clock: Stamp,
    pub changes: Vec<Change>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PushAck {
    /// Changes the hub did not hold before.
    pub accepted: u64,
    /// Changes it already held (a batch sent again): nothing done for them.
    pub already_held: u64,
    /// The hub's log head after the batch.
    pub head: Cursor,
}

/// A position in the hub's log: its sequence number and the chain hash there (the
/// SHA-256 of the hash before and of the change). A cursor whose hash the hub does
/// not have at that position means the hub is not the one the cursor came from: a
/// copy restored from an older backup ([`Refusal::HubRestored`]).
///
/// `within` is set while the office receives the history of a group just shared with
/// it (the entry after `seq` is that share): the log position of that history reached.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Cursor {
    pub seq: i64,
    pub link: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within: Option<i64>,
}

/// `GET /v1/pull?after=SEQ&link=HASH[&within=SEQ]&schema=N&protocol=N`: the next
/// changes the installation's office may read, after the cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PullBatch {
    pub protocol: u32,
    pub schema: u32,
    pub hub_id: Uuid,
    pub changes: Vec<Change>,
    /// Where the next pull starts.
    pub next: Cursor,
    /// Whether more changes follow `next`.
    pub more: bool,
    /// Groups (by their root's id) shared with the office from now on: their history
    /// is in `changes`, or follows.
    #[serde(default)]
    pub shared: Vec<Uuid>,
    /// Groups no longer shared with the office: it receives nothing further of them,
    /// and the hub refuses its writes to them.
    #[serde(default)]
    pub unshared: Vec<Uuid>,
}

/// `GET /v1/blob/SHA/status`, and the answer to every `PUT /v1/blob/SHA`: how much of
/// an attachment's file the hub holds. Files travel in parts, so a cut upload resumes
/// from `have`, and a cut download from the bytes received.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlobStatus {
    pub have: u64,
    pub complete: bool,
}

/// The bytes of one part of a file, up to the body limit and at most this.
pub const BLOB_PART_BYTES: usize = 4 << 20;

/// Whether `s` is a SHA-256 in hex, as attachments are named.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Why a hub refuses a request: the `code` of every error body, with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    BadRequest,
    NotFound,
    ProtocolMismatch,
    SchemaMismatch,
    ChecksumMismatch,
    BodyTooLarge,
    BatchTooLarge,
    AttachmentTooLarge,
    RateLimited,
    CredentialMissing,
    CredentialUnknown,
    CredentialRevoked,
    CodeUnknown,
    CodeUsed,
    CodeExpired,
    /// Enrolling a site that another installation already syncs under.
    SiteKnown,
    /// A site whose clock is older than what the hub saw from it: a copy of a register.
    SiteCopy,
    /// A code for an office other than the one the register works for.
    OtherOffice,
    /// A change that has the same origin as one the hub holds, and other content.
    SiteConflict,
    /// The cursor is not in the hub's log: the hub was restored from an older copy.
    HubRestored,
    /// A write to a record outside the scope shared with the sender's office.
    OutOfScope,
    Internal,
}

impl Refusal {
    pub fn status(self) -> u16 {
        use Refusal::*;
        match self {
            BadRequest | ChecksumMismatch => 400,
            CredentialMissing | CredentialUnknown => 401,
            CredentialRevoked | CodeUnknown | CodeUsed | CodeExpired | OutOfScope => 403,
            NotFound => 404,
            ProtocolMismatch | SchemaMismatch | SiteKnown | SiteCopy | OtherOffice | SiteConflict | HubRestored => 409,
            BodyTooLarge | BatchTooLarge | AttachmentTooLarge => 413,
            RateLimited => 429,
            Internal => 500,
        }
    }

    /// The code as it travels (`snake_case`).
    pub fn as_str(self) -> &'static str {
        use Refusal::*;
        match self {
            BadRequest => "bad_request",
            NotFound => "not_found",
            ProtocolMismatch => "protocol_mismatch",
            SchemaMismatch => "schema_mismatch",
            ChecksumMismatch => "checksum_mismatch",
            BodyTooLarge => "body_too_large",
            BatchTooLarge => "batch_too_large",
            AttachmentTooLarge => "attachment_too_large",
            RateLimited => "rate_limited",
            CredentialMissing => "credential_missing",
            CredentialUnknown => "credential_unknown",
            CredentialRevoked => "credential_revoked",
            CodeUnknown => "code_unknown",
            CodeUsed => "code_used",
            CodeExpired => "code_expired",
            SiteKnown => "site_known",
            SiteCopy => "site_copy",
            OtherOffice => "other_office",
            SiteConflict => "site_conflict",
            HubRestored => "hub_restored",
            OutOfScope => "out_of_scope",
            Internal => "internal",
        }
    }
}

/// The body of every refusal: its code and, in Italian, what is wrong and what to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub code: Refusal,
    pub message: String,
}

/// The refusal for a peer on another protocol or schema, if it is one.
pub fn version_refusal(protocol: u32, schema: u32) -> Option<ErrorBody> {
    if protocol != PROTOCOL {
        return Some(ErrorBody {
            code: Refusal::ProtocolMismatch,
            message: format!(
                "Protocollo di sincronizzazione {protocol}, ma l'altra parte parla il {PROTOCOL}: aggiornare Raccordo dove è più vecchio. Nulla è stato applicato."
            ),
        });
    }
    if schema != SCHEMA {
        let who = if schema > SCHEMA { "il hub" } else { "Raccordo su questo computer" };
        return Some(ErrorBody {
            code: Refusal::SchemaMismatch,
            message: format!(
                "Registro allo schema {schema}, ma l'altra parte è allo schema {SCHEMA}: aggiornare {who}. Nulla è stato applicato."
            ),
        });
    }
    None
}
