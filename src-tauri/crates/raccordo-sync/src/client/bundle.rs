//! The same batches as a file, for an office with no line for days: a bundle carried
//! on a USB key or sent by PEC (`docs/sync-protocol.md`, «Bundle files»).
//!
//! A bundle is JSON lines: a header (format, protocol, schema, who made it and for
//! which office), one change per line, and a trailer with the number of changes and
//! the SHA-256 of every byte before it. It holds what the office it is for reads by
//! the sharing scopes, as the hub would hand it. Importing reads it once, applying
//! the changes as they come, all in one transaction, and checks the trailer at the
//! end: a file cut short or with one byte changed is refused whole, nothing applied.
//! Applying the same bundle twice changes nothing.

use super::SyncError;
use crate::protocol::{PROTOCOL, SCHEMA};
use raccordo_register::changelog::{self, Change};
use raccordo_register::{Applied, Register};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;
use uuid::Uuid;

pub const FORMAT: &str = "raccordo-sync-bundle";

/// Changes read from the file per piece applied.
const CHUNK: usize = 2000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub protocol: u32,
    pub schema: u32,
    /// The site of the register that made it.
    pub from_site: Uuid,
    pub from_office: Option<Uuid>,
    /// The office it is for: it holds what that office reads.
    pub for_office: Uuid,
    pub created_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Trailer {
    /// Changes in the file.
    pub changes: u64,
    /// SHA-256 (hex) of every byte before the trailer's line.
    pub sha256: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct TrailerLine {
    end: Trailer,
}

fn io_error(path: &Path, e: std::io::Error) -> SyncError {
    SyncError::new("file", format!("{}: {e}", path.display()))
}

/// Writes the bundle for `office` at `out` (through a file beside it, renamed at the
/// end, so that a cut leaves no half bundle); the number of changes in it.
pub fn export(reg: &Register, office: Uuid, out: &Path) -> Result<u64, SyncError> {
    let partial = out.with_extension("part");
    let file = std::fs::File::create(&partial).map_err(|e| io_error(&partial, e))?;
    let mut w = HashingWriter { inner: BufWriter::new(file), hash: Sha256::new() };
    let header = Header {
        format: FORMAT.to_owned(),
        protocol: PROTOCOL,
        schema: SCHEMA,
        from_site: reg.settings().site_id,
        from_office: reg.own_office()?,
        for_office: office,
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    w.write_all(&line(&header)?).map_err(|e| io_error(&partial, e))?;
    let mut after = 0;
    let mut count = 0u64;
    loop {
        let (changes, last) = reg.changes_for_office(office, after, CHUNK)?;
        for c in changes {
            w.write_all(&line(&Change { seq: 0, ..c })?).map_err(|e| io_error(&partial, e))?;
            count += 1;
        }
        match last {
            Some(seq) => after = seq,
            None => break,
        }
    }
    let trailer = TrailerLine {
        end: Trailer { changes: count, sha256: raccordo_register::audit::hex(&w.hash.finalize_reset()) },
    };
    let mut inner = w.inner;
    inner.write_all(&line(&trailer)?).map_err(|e| io_error(&partial, e))?;
    let file = inner.into_inner().map_err(|e| io_error(&partial, e.into_error()))?;
    file.sync_all().map_err(|e| io_error(&partial, e))?;
    std::fs::rename(&partial, out).map_err(|e| io_error(out, e))?;
    Ok(count)
}

/// What an import did, and whose bundle it was.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    pub header: Header,
    pub applied: Applied,
}

/// Applies the bundle at `path`, refused whole if anything in it is wrong.
pub fn import(reg: &mut Register, path: &Path) -> Result<Imported, SyncError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut reader = BufReader::new(file);
    let refused =
        |why: String| SyncError::new("bad_bundle", format!("{}: {why} Nulla è stato applicato.", path.display()));
    let mut hash = Sha256::new();
    let mut first = Vec::new();
    reader.read_until(b'\n', &mut first).map_err(|e| io_error(path, e))?;
    let header: Header = serde_json::from_slice(&first)
        .ok()
        .filter(|h: &Header| h.format == FORMAT)
        .ok_or_else(|| refused("non è un file di sincronizzazione di Raccordo.".to_owned()))?;
    if let Some(r) = crate::protocol::version_refusal(header.protocol, header.schema) {
        return Err(SyncError::new(r.code.as_str(), r.message));
    }
    if let Some(own) = reg.own_office()?
        && own != header.for_office
    {
        return Err(refused(format!(
            "il file è per un altro ufficio ({}), questo registro lavora per {own}.",
            header.for_office
        )));
    }
    hash.update(&first);

    // Read and applied in the same pass; the trailer decides at the end, and a wrong
    // one rolls everything back.
    let failure: RefCell<Option<SyncError>> = RefCell::new(None);
    let fail = |e: SyncError| {
        let message = e.message.clone();
        *failure.borrow_mut() = Some(e);
        raccordo_register::Error::bad_request(message)
    };
    let mut trailer: Option<Trailer> = None;
    let mut count = 0u64;
    let mut line_no = 1;
    let result = reg.apply_stream(|| {
        if trailer.is_some() {
            return Ok(None);
        }
        let mut chunk = Vec::new();
        let mut line = Vec::new();
        while chunk.len() < CHUNK {
            line.clear();
            let n = reader.read_until(b'\n', &mut line).map_err(|e| fail(io_error(path, e)))?;
            line_no += 1;
            if n == 0 {
                return Err(fail(refused("il file è incompleto (manca la riga finale con la somma di controllo).".into())));
            }
            if let Ok(t) = serde_json::from_slice::<TrailerLine>(&line) {
                let sum = raccordo_register::audit::hex(&hash.clone().finalize());
                if t.end.sha256 != sum || t.end.changes != count {
                    return Err(fail(SyncError::new(
                        "checksum_mismatch",
                        format!(
                            "{}: la somma di controllo non corrisponde, il file è stato alterato o danneggiato. Nulla è stato applicato.",
                            path.display()
                        ),
                    )));
                }
                let mut rest = Vec::new();
                std::io::Read::read_to_end(&mut reader, &mut rest).map_err(|e| fail(io_error(path, e)))?;
                if !rest.iter().all(u8::is_ascii_whitespace) {
                    return Err(fail(refused("dopo la riga finale il file continua: è stato alterato.".into())));
                }
                trailer = Some(t.end);
                break;
            }
            hash.update(&line);
            let c: Change = serde_json::from_slice(&line)
                .map_err(|e| fail(refused(format!("riga {line_no} non leggibile ({e})."))))?;
            changelog::check_shape(&c).map_err(|why| fail(refused(format!("riga {line_no}: {why}."))))?;
            count += 1;
            chunk.push(c);
        }
        Ok(Some(chunk))
    });
    if let Some(e) = failure.into_inner() {
        return Err(e);
    }
    Ok(Imported { header, applied: result? })
}

/// Writes through, hashing what it writes.
struct HashingWriter<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// One line of a bundle: `v` as JSON and a newline.
fn line<T: Serialize>(v: &T) -> Result<Vec<u8>, SyncError> {
    let mut bytes = serde_json::to_vec(v).map_err(|e| SyncError::new("register", e.to_string()))?;
    bytes.push(b'\n');
    Ok(bytes)
}
