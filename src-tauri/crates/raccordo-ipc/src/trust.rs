//! The trusted list in *Impostazioni*: which one is in use, and importing a new one.
//! The list's signature is checked outside the register's lock (a large or crafted
//! file must not hold up every other command); the register then keeps it.

use crate::{Result, Session};
pub use raccordo_documents::trust::ListSummary;
use raccordo_documents::trust::{self, TrustedList};
use serde::Deserialize;
use std::sync::Arc;
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct TrustImportArgs {
    pub file_name: String,
    pub content_base64: String,
    /// The SHA-256 of the list signer's certificate, as the user compared it with the
    /// one the list's operator publishes. Needed for the first list, and for a list
    /// signed by another certificate than the one in use.
    pub confirmed_signer_sha256: Option<String>,
}

/// The trusted list in use, if one was imported.
pub fn trust_list(s: &Session, _: ()) -> Result<Option<ListSummary>> {
    Ok(in_use(s)?.map(|l| l.summary.clone()))
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct TrustInspectArgs {
    pub file_name: String,
    pub content_base64: String,
}

/// Reads a trusted list and checks its signature without importing it, so that the
/// user can compare its signer's fingerprint before confirming.
pub fn trust_inspect(_: &Session, args: TrustInspectArgs) -> Result<ListSummary> {
    let bytes = crate::records::decode_upload("Elenco di fiducia", &args.content_base64)?;
    Ok(trust::parsed(&bytes)?.summary.clone())
}

/// Checks and imports a trusted list (ETSI TS 119 612 XML).
pub fn trust_import(s: &Session, args: TrustImportArgs) -> Result<ListSummary> {
    let bytes = crate::records::decode_upload("Elenco di fiducia", &args.content_base64)?;
    // Parsed and checked here, outside the lock; `import` finds it in the cache.
    trust::parsed(&bytes)?;
    s.with(|reg| trust::import(reg, &bytes, args.confirmed_signer_sha256.as_deref()))
}

/// The list the register keeps, parsed outside the register's lock.
pub(crate) fn in_use(s: &Session) -> Result<Option<Arc<TrustedList>>> {
    let bytes = s.with(|reg| reg.trusted_list())?;
    bytes.map(|b| trust::parsed(&b)).transpose()
}
