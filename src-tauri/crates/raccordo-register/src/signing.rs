//! An agreement becomes *vigente* by the file its signatories signed, and by nothing
//! else: the register sets the signed statuses and `signed_file_sha256` only here.
//! Checking the signatures themselves is `raccordo-documents::signed`'s job (this crate
//! does not read PDFs); its callers (the window's confirmation, the command line)
//! check the file first, then confirm it here. What the register itself holds to: the
//! file is one attached to this same agreement and still has the SHA-256 it was kept
//! under, and the confirmation is one journaled update like any other.

use crate::error::{Error, ErrorCode, Result};
use crate::model::{Agreement, AgreementStatus};
use crate::store::Writer;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The bytes of a file attached to `agreement_id` under `sha256`, checked against it:
/// what a caller checks the signatures of before [`confirm_signed_file`].
pub fn attached_file(r: &crate::db::Reader, agreement_id: Uuid, sha256: &str) -> Result<Vec<u8>> {
    let sha256 = normalized(sha256);
    let attached: Option<i64> =
        r.query_one("SELECT 1 FROM attachment WHERE owner_id = ?1 AND sha256 = ?2", (agreement_id, &sha256))?;
    let bytes = match attached {
        Some(_) => r.blob(&sha256)?,
        None => None,
    };
    let bytes = bytes.ok_or_else(|| {
        Error::bad_request("File firmato: non è tra gli allegati di questo protocollo. Allegalo prima di confermare.")
    })?;
    if crate::audit::hex(&Sha256::digest(&bytes)) != sha256 {
        return Err(Error::new(
            ErrorCode::Inconsistent,
            "File firmato: il contenuto conservato non corrisponde più alla sua impronta SHA-256. \
             Esegui «audit verify» e allega di nuovo il file ricevuto.",
        ));
    }
    Ok(bytes)
}

/// Marks the agreement *vigente*, signed in the file attached under `sha256`, whose
/// signatures the caller has checked. An agreement with no signature date takes
/// `signed_on` (the earliest signing time the file declares). `check`: what the
/// check found, in Italian (the signers verified, or that the user confirmed them
/// under their own responsibility), kept on the agreement and so in its history.
pub fn confirm_signed_file(
    w: &mut Writer,
    agreement_id: Uuid,
    sha256: &str,
    signed_on: Option<NaiveDate>,
    check: &str,
) -> Result<Agreement> {
    let mut a: Agreement = w.reader().require(agreement_id)?;
    let sha256 = normalized(sha256);
    // Read again inside the write: the file is the one attached now, not when checked.
    attached_file(&w.reader(), agreement_id, &sha256)?;
    if a.signed_on.is_none() {
        a.signed_on = signed_on;
    }
    a.signed_file_sha256 = Some(sha256);
    a.signature_check = Some(check.trim().chars().take(crate::checks::MAX_TEXT).collect());
    a.status = AgreementStatus::Vigente;
    w.update_confirming_signature(a)
}

/// A SHA-256 as the register keeps it: lower-case hex, no spaces.
fn normalized(sha256: &str) -> String {
    sha256.trim().to_ascii_lowercase()
}
