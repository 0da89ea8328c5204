//! The validation data a PDF carries for its signatures (PAdES, ETSI EN 319 142-1:
//! the Document Security Store, `/DSS`, with its `/Certs` and `/CRLs` streams). Read
//! without a PDF object model: every stream of a file that has a `/DSS` is decoded
//! (bounded) and kept if it is a DER certificate or revocation list. Taking any such
//! stream is safe: a certificate counts only if it chains to the trusted list, and a
//! revocation list only if its issuer's key signed it.

use super::chain::Evidence;
use crate::signed::find;
use std::io::Read;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

/// Streams looked at, at most, and the most bytes one may decode to.
const MAX_STREAMS: usize = 4096;
const MAX_DECODED: u64 = 8 * 1024 * 1024;

pub fn evidence(pdf: &[u8]) -> Evidence {
    let mut out = Evidence::default();
    if find(pdf, b"/DSS", 0).is_none() {
        return out;
    }
    let mut from = 0;
    let mut dict_start = 0;
    for _ in 0..MAX_STREAMS {
        let Some(at) = find(pdf, b"stream", from) else { break };
        from = at + 6;
        // "endstream" also contains "stream": skip it, and remember where the next
        // object's dictionary begins.
        if at >= 3 && &pdf[at - 3..at] == b"end" {
            dict_start = from;
            continue;
        }
        let data_start = match pdf.get(from..from + 2) {
            Some([b'\r', b'\n']) => from + 2,
            Some([b'\n', _]) => from + 1,
            _ => continue,
        };
        let Some(end) = find(pdf, b"endstream", data_start) else { break };
        let dict = &pdf[dict_start.min(at)..at];
        let raw = &pdf[data_start..end];
        from = end;
        let decoded = if find(dict, b"/FlateDecode", 0).is_some() {
            let mut d = Vec::new();
            match flate2::read::ZlibDecoder::new(raw).take(MAX_DECODED).read_to_end(&mut d) {
                Ok(_) => d,
                Err(_) => continue,
            }
        } else {
            raw.to_vec()
        };
        if decoded.first() != Some(&0x30) {
            continue;
        }
        // One DER value, whatever line end a writer left after it.
        if let Some(c) = first_value::<Certificate>(&decoded) {
            out.certificates.push(c);
        } else if let Some(crl) = first_value::<CertificateList>(&decoded) {
            out.crls.push(crl);
        }
    }
    out
}

fn first_value<'a, T: der::Decode<'a>>(bytes: &'a [u8]) -> Option<T> {
    let mut reader = der::SliceReader::new(bytes).ok()?;
    T::decode(&mut reader).ok()
}
