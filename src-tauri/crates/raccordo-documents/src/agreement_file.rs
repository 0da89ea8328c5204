//! Whether a signed file is the agreement's own: the sheet Raccordo printed for it
//! (which carries the agreement's identifier among its keywords, in the revision
//! every signature covers) and signed by the people the register names as its
//! signatories. A file signed for another agreement, or a document Raccordo did not
//! print, cannot make this one *vigente*; a signer the register does not know, or a
//! digital signatory whose signature is missing, is said by name.

use crate::signed::SignedFile;
use raccordo_register::{Administration, Party, Person, Reader, Result, Signature, SignatureMethod};
use serde::Serialize;
use uuid::Uuid;

/// What the sheet of an agreement carries among its PDF keywords: the agreement's id.
pub fn mark(agreement_id: Uuid) -> String {
    format!("raccordo:protocollo:{agreement_id}")
}

/// How a signed file stands against the agreement it is attached to.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AgreementMatch {
    /// The signed document is the sheet Raccordo printed for this agreement.
    pub printed_for_it: bool,
    /// Every signer is a signatory of the agreement and every digital signatory signed.
    pub signatories_match: bool,
    /// Each problem, in Italian (empty when both hold).
    pub problems: Vec<String>,
}

/// Compares `file` (whose check is `check`) with the agreement `agreement_id`.
pub fn compare(r: &Reader, agreement_id: Uuid, file: &[u8], check: &SignedFile) -> Result<AgreementMatch> {
    let mut problems = Vec::new();
    let printed_for_it = crate::signed::signed_document(file).is_some_and(|doc| carries_mark(&doc, agreement_id));
    if !printed_for_it {
        problems.push(
            "Il file firmato non è la scheda di questo protocollo stampata da Raccordo (non ne porta \
             l'identificativo): stampa la scheda dal protocollo, falla firmare e allega il file restituito."
                .to_owned(),
        );
    }
    let expected = signatories(r, agreement_id)?;
    let signers: Vec<&str> =
        check.signatures.iter().filter(|s| s.intact && !s.timestamp).map(|s| s.signer.as_str()).collect();
    let mut signatories_match = true;
    for signer in &signers {
        if !expected.iter().any(|e| same_person(&e.name, signer)) {
            signatories_match = false;
            let who = if signer.is_empty() { "Un firmatario senza nome" } else { signer };
            problems.push(format!("«{who}» ha firmato il file, ma non è tra i firmatari di questo protocollo."));
        }
    }
    for e in expected.iter().filter(|e| e.digital) {
        if !signers.iter().any(|s| same_person(&e.name, s)) {
            signatories_match = false;
            problems.push(format!(
                "Manca la firma di «{}»{}, prevista con firma digitale per questo protocollo.",
                e.name,
                e.administration.as_ref().map(|a| format!(" ({a})")).unwrap_or_default()
            ));
        }
    }
    Ok(AgreementMatch { printed_for_it, signatories_match, problems })
}

struct Expected {
    name: String,
    administration: Option<String>,
    /// Recorded as signing digitally (PAdES or CAdES): their signature belongs in the file.
    digital: bool,
}

fn signatories(r: &Reader, agreement_id: Uuid) -> Result<Vec<Expected>> {
    let mut out = Vec::new();
    for s in r.children::<Signature>("agreement_id", agreement_id)? {
        let Some(person) = r.get::<Person>(s.person_id)? else { continue };
        let party: Option<Party> = r.get(s.party_id)?;
        let administration = match party {
            Some(p) => r.get::<Administration>(p.administration_id)?.map(|a| a.name),
            None => None,
        };
        out.push(Expected {
            name: person.full_name(),
            administration,
            digital: matches!(s.method, SignatureMethod::Pades | SignatureMethod::Cades),
        });
    }
    Ok(out)
}

/// "Mario Rossi" and "ROSSI MARIO" are one person: the same words, whatever their
/// order, case and accents (certificates often write names in capitals, surname first).
fn same_person(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        let mut w: Vec<String> = s.split_whitespace().map(folded).filter(|w| !w.is_empty()).collect();
        w.sort();
        w
    };
    let (x, y) = (words(a), words(b));
    !x.is_empty() && x == y
}

fn folded(word: &str) -> String {
    // Apostrophes and hyphens dropped: "D'Amico" and "DAMICO" are one name.
    word.chars().filter_map(raccordo_register::words::plain).collect()
}

/// The sheet's keywords (document information, or the XMP packet) name the agreement.
fn carries_mark(pdf: &[u8], agreement_id: Uuid) -> bool {
    let mark = mark(agreement_id);
    if crate::signed::find(pdf, mark.as_bytes(), 0).is_some() {
        return true;
    }
    // Keywords written as UTF-16 (a text string with its byte order mark).
    let Ok(doc) = hayro_syntax::Pdf::new(pdf.to_vec()) else { return false };
    doc.metadata().keywords.as_deref().is_some_and(|k| text_string(k).contains(&mark))
}

/// A PDF text string: UTF-16BE after its byte order mark, else PDFDocEncoding (read
/// as Latin-1, which agrees with it on every character an identifier uses).
fn text_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| b as char).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_certificates_write_them() {
        assert!(same_person("Mario Rossi", "ROSSI MARIO"));
        assert!(same_person("Niccolò D'Amico", "DAMICO NICCOLO"));
        assert!(!same_person("Mario Rossi", "Mario Rossini"));
        assert!(!same_person("", ""));
    }

    #[test]
    fn utf16_keywords() {
        let mut k = vec![0xfe, 0xff];
        k.extend("raccordo:x".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(text_string(&k), "raccordo:x");
    }
}
