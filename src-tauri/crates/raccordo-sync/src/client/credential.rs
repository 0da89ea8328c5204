//! The installation's credential, in the operating system's keyring (the Secret
//! Service on Linux: GNOME Keyring, KWallet; the Keychain; the Credential Manager),
//! never in a file: a copied register carries no credential.

use super::SyncError;
use uuid::Uuid;

const SERVICE: &str = "raccordo-sync";

fn entry(hub: Uuid, installation: Uuid) -> Result<keyring::Entry, SyncError> {
    keyring::Entry::new(SERVICE, &format!("{hub}/{installation}")).map_err(unavailable)
}

fn unavailable(e: keyring::Error) -> SyncError {
    SyncError::new(
        "keyring",
        format!(
            "Il portachiavi del sistema non è disponibile ({e}): la credenziale del hub vi si conserva, mai in un file. \
             Su Linux avviare un servizio Secret Service (GNOME Keyring o KWallet) nella sessione e riprovare."
        ),
    )
}

pub fn store(hub: Uuid, installation: Uuid, secret: &str) -> Result<(), SyncError> {
    entry(hub, installation)?.set_password(secret).map_err(unavailable)
}

pub fn load(hub: Uuid, installation: Uuid) -> Result<String, SyncError> {
    match entry(hub, installation)?.get_password() {
        Ok(s) => Ok(s),
        Err(keyring::Error::NoEntry) => Err(SyncError::new(
            "credential_missing",
            "La credenziale di questo registro non è nel portachiavi del sistema (il registro è stato copiato da un altro \
             computer, o il portachiavi è stato svuotato): collegarlo di nuovo al hub con un nuovo codice di adesione.",
        )),
        Err(e) => Err(unavailable(e)),
    }
}

pub fn forget(hub: Uuid, installation: Uuid) -> Result<(), SyncError> {
    match entry(hub, installation)?.delete_credential() {
        Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}

/// Whether the keyring answers at all, asked before a join spends its one-time code:
/// a join that cannot keep its credential must fail while the code is still good.
/// A lookup that finds nothing is an answer; only a keyring that cannot be reached
/// (no Secret Service on the session bus, no session bus) is not.
pub fn check_available() -> Result<(), SyncError> {
    match entry(Uuid::nil(), Uuid::nil())?.get_password() {
        Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
        Err(e) => Err(unavailable(e)),
    }
}
