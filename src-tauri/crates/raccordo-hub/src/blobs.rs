//! Attachment files on the hub, by SHA-256, in `DIR/blobs`: a file arrives in parts
//! (`NAME.part` grows until it has all its bytes, then is checked and renamed), so a
//! cut upload resumes where it stopped; it is handed out in parts the same way. Who may
//! send or receive one is the store's to say (`HubStore::blob_readable`).

use crate::store::{HubError, HubResult};
use raccordo_sync::protocol::{BlobStatus, Refusal};
use sha2::{Digest, Sha256};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

fn internal(e: impl std::fmt::Display) -> HubError {
    HubError::internal(e)
}

fn paths(dir: &Path, sha: &str) -> (PathBuf, PathBuf) {
    (dir.join(sha), dir.join(format!("{sha}.part")))
}

pub fn status(dir: &Path, sha: &str) -> HubResult<BlobStatus> {
    let (done, part) = paths(dir, sha);
    if let Ok(m) = std::fs::metadata(&done) {
        return Ok(BlobStatus { have: m.len(), complete: true });
    }
    Ok(BlobStatus { have: std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0), complete: false })
}

/// Adds `bytes` at `offset` of the file `sha` of `total` bytes. A part that does not
/// start where the hub's copy ends writes nothing: the answer says where it ends.
pub fn append(dir: &Path, sha: &str, offset: u64, total: u64, bytes: &[u8]) -> HubResult<BlobStatus> {
    let now = status(dir, sha)?;
    if now.complete || now.have != offset {
        return Ok(now);
    }
    if offset + bytes.len() as u64 > total {
        return Err(HubError::new(
            Refusal::BadRequest,
            format!("Parte del file {sha} oltre la sua lunghezza dichiarata ({total} byte): nulla è stato scritto."),
        ));
    }
    std::fs::create_dir_all(dir).map_err(internal)?;
    let (done, part) = paths(dir, sha);
    let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&part).map_err(internal)?;
    f.write_all(bytes).map_err(internal)?;
    f.sync_data().map_err(internal)?;
    let have = offset + bytes.len() as u64;
    if have < total {
        return Ok(BlobStatus { have, complete: false });
    }
    let mut hash = Sha256::new();
    std::io::copy(&mut std::fs::File::open(&part).map_err(internal)?, &mut hash).map_err(internal)?;
    if raccordo_register::audit::hex(&hash.finalize()) != sha {
        let _ = std::fs::remove_file(&part);
        return Err(HubError::new(
            Refusal::ChecksumMismatch,
            format!("Il file ricevuto non ha l'impronta {sha}: scartato, va inviato di nuovo."),
        ));
    }
    std::fs::rename(&part, &done).map_err(internal)?;
    Ok(BlobStatus { have, complete: true })
}

/// At most `max` bytes of the complete file `sha` from `offset`.
pub fn read(dir: &Path, sha: &str, offset: u64, max: usize) -> HubResult<Vec<u8>> {
    let (done, _) = paths(dir, sha);
    let Ok(mut f) = std::fs::File::open(&done) else {
        return Err(HubError::new(
            Refusal::NotFound,
            format!("Il hub non ha ancora il file {sha}: lo riceverà dall'ufficio che lo ha allegato."),
        ));
    };
    f.seek(SeekFrom::Start(offset)).map_err(internal)?;
    let mut out = Vec::with_capacity(max.min(1 << 20));
    f.take(max as u64).read_to_end(&mut out).map_err(internal)?;
    Ok(out)
}
