//! `signed check` and `trust import|show`: an office checking a signed file that came
//! by PEC, and the trusted list its signers are checked against.

use raccordo_documents::signed::{self, SignedFile};
use raccordo_documents::trust::{self, ListSummary, TrustedList};
use raccordo_register::{Error, ErrorCode, Register};
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// How `signed check` ends: every signature intact and its signer verified; intact
/// but some signer not verified; some signature not intact.
pub enum Outcome {
    Trusted,
    Unverified,
    NotIntact,
}

pub fn read(path: &Path, what: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|e| Error::bad_request(format!("{what}: impossibile leggere {}: {e}.", path.display())))
}

/// The list to check against: `--trust FILE` if given, else the register's.
pub fn list(reg: &Register, file: Option<&Path>) -> Result<Option<Arc<TrustedList>>, Error> {
    match file {
        Some(f) => trust::parsed(&read(f, "Elenco di fiducia")?).map(Some),
        None => trust::of_register(reg),
    }
}

pub fn check(out: &mut impl Write, bytes: &[u8], list: Option<&TrustedList>) -> Result<Outcome, Error> {
    let report = signed::check(bytes, list)?;
    print_report(out, &report).map_err(io)?;
    Ok(if report.all_trusted {
        Outcome::Trusted
    } else if report.all_intact {
        Outcome::Unverified
    } else {
        Outcome::NotIntact
    })
}

fn print_report(out: &mut impl Write, r: &SignedFile) -> std::io::Result<()> {
    writeln!(out, "{}", r.summary)?;
    for (i, s) in r.signatures.iter().enumerate() {
        let when = s.signing_time.map_or("non indicata".to_owned(), |t| {
            t.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M").to_string()
        });
        writeln!(out, "Firma {}: {}", i + 1, if s.signer.is_empty() { "—" } else { &s.signer })?;
        if let Some(o) = &s.organization {
            writeln!(out, "  ente: {o}")?;
        }
        writeln!(out, "  emesso da: {}", s.issuer)?;
        writeln!(out, "  data dichiarata: {when}")?;
        writeln!(out, "  integrità: {}", s.outcome)?;
        writeln!(out, "  firmatario: {}", if s.trust.is_empty() { "—" } else { &s.trust })?;
    }
    if let Some(sha) = &r.content_sha256 {
        writeln!(out, "Documento contenuto (SHA-256): {sha}")?;
    }
    writeln!(out, "{}", r.trust_note)
}

pub fn print_list(out: &mut impl Write, l: &ListSummary) -> Result<(), Error> {
    (|| -> std::io::Result<()> {
        writeln!(out, "Elenco di fiducia {} n. {} di {}", l.territory, l.sequence, l.operator)?;
        writeln!(out, "  emesso il {}", l.issued.format("%d/%m/%Y %H:%M UTC"))?;
        if let Some(n) = l.next_update {
            writeln!(out, "  prossimo aggiornamento entro il {}", n.format("%d/%m/%Y"))?;
        }
        writeln!(out, "  {} prestatori, {} autorità di certificazione qualificate", l.providers, l.qualified_cas)?;
        writeln!(out, "  firmato da {}", l.signer)?;
        writeln!(out, "  impronta SHA-256 del certificato di firma: {}", l.signer_sha256)
    })()
    .map_err(io)
}

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorCode::Storage, format!("Scrittura dell'uscita non riuscita: {e}"))
}
