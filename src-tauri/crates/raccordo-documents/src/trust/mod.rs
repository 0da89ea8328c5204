//! Trust in the signers: an EU-format trusted list (`list`, its own XML signature
//! checked by `xmldsig` over `c14n`), and each signer's certificate chain evaluated
//! against it (`chain`), with the certificates and revocation lists a PDF carries in
//! its DSS (`dss`). `signed` asks; nothing here reads the register.

pub mod c14n;
pub mod chain;
pub mod dss;
pub mod list;
pub mod ocsp;
pub mod xmldsig;

pub use list::{ListSummary, TrustedList};

use raccordo_register::Result;
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};

/// The list in `bytes`, parsed and its signature checked once per process: the window
/// checks many files against the same list.
pub fn parsed(bytes: &[u8]) -> Result<Arc<TrustedList>> {
    static LAST: Mutex<Option<([u8; 32], Arc<TrustedList>)>> = Mutex::new(None);
    let key: [u8; 32] = Sha256::digest(bytes).into();
    if let Some((k, list)) = LAST.lock().unwrap_or_else(|p| p.into_inner()).as_ref()
        && *k == key
    {
        return Ok(list.clone());
    }
    let list = Arc::new(TrustedList::parse(bytes)?);
    *LAST.lock().unwrap_or_else(|p| p.into_inner()) = Some((key, list.clone()));
    Ok(list)
}

/// The trusted list the register keeps, if one was imported.
pub fn of_register(reg: &raccordo_register::Register) -> Result<Option<Arc<TrustedList>>> {
    reg.trusted_list()?.map(|bytes| parsed(&bytes)).transpose()
}

/// Imports a trusted list into the register, after its signature is checked. The
/// first list, or one signed by another certificate than the list in use, is taken
/// only with `confirmed_signer`: the SHA-256 of its signer's certificate, which the
/// office has compared with the one the list's operator publishes. A list older than
/// the one in use is refused.
pub fn import(
    reg: &mut raccordo_register::Register,
    bytes: &[u8],
    confirmed_signer: Option<&str>,
) -> Result<ListSummary> {
    let new = parsed(bytes)?;
    if let Some(fingerprint) = confirmed_signer {
        new.signed_by(fingerprint)?;
    }
    match of_register(reg)? {
        Some(old) => old.may_be_replaced_by(&new, confirmed_signer)?,
        None if confirmed_signer.is_none() => {
            return Err(raccordo_register::Error::new(
                raccordo_register::ErrorCode::TrustList,
                format!(
                    "Elenco di fiducia da confermare: è firmato da «{}», certificato con impronta SHA-256 {}. \
                     Confronta l'impronta con quella pubblicata dal gestore dell'elenco (per l'Italia, AgID) e \
                     conferma l'importazione.",
                    new.summary.signer, new.summary.signer_sha256
                ),
            ));
        }
        None => {}
    }
    reg.set_trusted_list(bytes)?;
    Ok(new.summary.clone())
}
