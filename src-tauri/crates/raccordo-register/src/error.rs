//! Errors of the register: a stable code the window and scripts can act on, and the
//! Italian message a person reads. Field problems carry the field they belong to, so
//! a form can show each message next to its field.

use serde::Serialize;

/// What kind of failure: stable across versions, serialised as `snake_case`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields are wrong; see `fields`.
    Validation,
    /// No record with that id (or of that kind).
    NotFound,
    /// The record is still referenced by others and cannot be deleted.
    InUse,
    /// A record with that id already exists.
    Duplicate,
    /// The file was written by a newer Raccordo.
    SchemaTooNew,
    /// The file is not a Raccordo register, or is damaged.
    NotARegister,
    /// The audit chain does not verify.
    AuditBroken,
    /// Input to a command (not a record field) is wrong.
    BadRequest,
    /// SQLite or the file system failed.
    Storage,
    /// Another connection or program (the window, `raccordo-cli`, sync) kept the
    /// register busy for longer than a write waits.
    Busy,
    /// The register is on a network share, where SQLite's write-ahead log is unsafe.
    NetworkShare,
    /// The file disagrees with its own journal, or a kept file with its SHA-256.
    Inconsistent,
    /// A document could not be made or written (a template that does not compose, a disk error).
    Document,
    /// A signed file that cannot be read as PAdES or CAdES.
    Signature,
    /// A trusted list (ETSI TS 119 612) refused: unsigned, altered, older, another signer.
    TrustList,
    /// A signed file whose signers are not verified against a trusted list, confirmed
    /// without the user taking responsibility for it.
    Unverified,
    /// Changes received from another office (a sync batch, a bundle file) that cannot
    /// be applied: malformed, altered, or of another schema. None of them was applied.
    SyncRefused,
    /// Joining or syncing with a hub did not go through: refused by the hub, not
    /// reachable, not trusted, or the keyring unavailable; `sync_code` says which.
    Sync,
    /// A record the hub no longer shares with this office: the copy here is read-only.
    Unshared,
}

/// What is wrong with one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    TooLong,
    FiscalCodeLength,
    FiscalCodeCheckDigit,
    CupFormat,
    CigFormat,
    IpaFormat,
    IstatFormat,
    EmailFormat,
    UrlFormat,
    Sha256Format,
    DateOrder,
    VoteExceedsPresent,
    VoteIncomplete,
    LinkMissing,
    LinkMismatch,
    Duplicate,
    OutOfRange,
    NotAllowed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(rename = "RegisterError"))]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// With [`ErrorCode::Sync`]: the hub's refusal or the client's code
    /// (`unreachable`, `tls`, `code_used`, `credential_revoked`, …), to act on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub sync_code: Option<String>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error { code, message: message.into(), fields: Vec::new(), sync_code: None }
    }

    pub fn not_found(what: &str) -> Self {
        Error::new(ErrorCode::NotFound, format!("{what}: non presente nel registro (forse è stato eliminato)."))
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Error::new(ErrorCode::BadRequest, message)
    }

    /// A write that waited its bounded time for another writer of the same file.
    pub fn busy() -> Self {
        Error::new(
            ErrorCode::Busy,
            "Il registro è occupato da un'altra scrittura (un'altra finestra di Raccordo, raccordo-cli o la \
             sincronizzazione). Riprova fra qualche secondo: questa modifica non è stata salvata, nulla è andato perso.",
        )
    }

    /// The stable code as text, for the command line (`validation`, `not_found`…).
    pub fn code_str(&self) -> String {
        serde_json::to_value(self.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }

    /// One line per problem, for a terminal or a log.
    pub fn describe(&self) -> String {
        let mut out = self.message.clone();
        for f in &self.fields {
            out.push_str(&format!("\n  - {}: {}", f.field, f.message));
        }
        out
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => Error::busy(),
            _ => Error::new(ErrorCode::Storage, format!("Errore nell'archivio del registro: {e}")),
        }
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(ErrorCode::Storage, format!("Dato non leggibile nel registro: {e}"))
    }
}

/// Collects field problems while a record is checked; empty means valid.
#[derive(Debug, Default)]
pub struct Violations(pub Vec<FieldError>);

impl Violations {
    pub fn add(&mut self, field: &str, code: FieldCode, message: impl Into<String>) {
        self.0.push(FieldError { field: field.to_owned(), code, message: message.into() });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|f| f.field == field)
    }

    /// `Ok` when nothing was found, else a validation error naming the record kind.
    pub fn into_result(self, record_label: &str) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let n = self.0.len();
        let message = if n == 1 {
            format!("{record_label}: non salvato, un campo da correggere. {}", self.0[0].message)
        } else {
            format!("{record_label}: non salvato, {n} campi da correggere.")
        };
        Err(Error { code: ErrorCode::Validation, message, fields: self.0, sync_code: None })
    }
}
