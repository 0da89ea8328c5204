//! The validation data a PDF carries for its signatures (PAdES, ETSI EN 319 142-1:
//! the Document Security Store, `/DSS`, with its `/Certs`, `/CRLs` and `/OCSPs` streams). Read
//! without a PDF object model: every stream of a file that has a `/DSS` is decoded
//! (bounded) and kept if it is a DER certificate, revocation list or OCSP response. Taking any such
//! stream is safe: a certificate counts only if it chains to the trusted list, and a
//! revocation list only if its issuer's key signed it.

use super::chain::Evidence;
use crate::revisions::streams;
use crate::signed::find;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

pub fn evidence(pdf: &[u8]) -> Evidence {
    let mut out = Evidence::default();
    if find(pdf, b"/DSS", 0).is_none() {
        return out;
    }
    for stream in streams::all(pdf) {
        let Some(decoded) = stream.decoded() else { continue };
        if decoded.first() != Some(&0x30) {
            continue;
        }
        // One DER value, whatever line end a writer left after it.
        if let Some(c) = first_value::<Certificate>(&decoded) {
            out.certificates.push(c);
        } else if let Some(crl) = first_value::<CertificateList>(&decoded) {
            out.crls.push(crl);
        } else if let Some(response) = super::ocsp::parse(&decoded) {
            out.ocsps.push(response);
        }
    }
    out
}

fn first_value<'a, T: der::Decode<'a>>(bytes: &'a [u8]) -> Option<T> {
    let mut reader = der::SliceReader::new(bytes).ok()?;
    T::decode(&mut reader).ok()
}
