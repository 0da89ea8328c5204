//! OCSP responses a signed file carries (RFC 6960): in a PDF's DSS (`/OCSPs`), and in
//! a CMS envelope (`crate::envelope` finds them). A response counts only when
//! its signature verifies with the issuer's key, or with a responder certificate the
//! issuer delegated (`id-kp-OCSPSigning`), and its certificate identifier names this
//! certificate and this issuer.

use der::asn1::ObjectIdentifier as Oid;
use der::{Decode, Encode};
use sha2::Digest;
use x509_cert::Certificate;
use x509_ocsp::{BasicOcspResponse, CertStatus, OcspResponse, ResponderId};

const BASIC: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.48.1.1");
const SHA1: Oid = Oid::new_unwrap("1.3.14.3.2.26");
const OCSP_SIGNING: Oid = Oid::new_unwrap("1.3.6.1.5.5.7.3.9");
const EXTENDED_KEY_USAGE: Oid = Oid::new_unwrap("2.5.29.37");

/// An `OCSPResponse` (or a bare `BasicOCSPResponse`, as CAdES keeps them) from DER.
pub fn parse(der_bytes: &[u8]) -> Option<BasicOcspResponse> {
    let mut reader = der::SliceReader::new(der_bytes).ok()?;
    if let Ok(r) = <OcspResponse as der::Decode>::decode(&mut reader) {
        let bytes = r.response_bytes?;
        return (bytes.response_type == BASIC).then(|| BasicOcspResponse::from_der(bytes.response.as_bytes()).ok())?;
    }
    let mut reader = der::SliceReader::new(der_bytes).ok()?;
    <BasicOcspResponse as der::Decode>::decode(&mut reader).ok()
}

/// What a response signed for `issuer` says of `cert`.
pub enum Status {
    Good,
    /// Revoked, since this time (seconds since 1970).
    Revoked(i64),
}

/// The status `response` gives `cert`, when the response is genuine and names it.
pub fn status(response: &BasicOcspResponse, cert: &Certificate, issuer: &Certificate) -> Option<Status> {
    let signer = responder(response, issuer)?;
    let (scheme, hash) = crate::keys::algorithm(response.signature_algorithm.oid, None).ok()?;
    let tbs = response.tbs_response_data.to_der().ok()?;
    let key = &signer.tbs_certificate.subject_public_key_info;
    crate::keys::verify(key, scheme, hash, &tbs, response.signature.as_bytes()?).ok()?;
    let issuer_name = issuer.tbs_certificate.subject.to_der().ok()?;
    let issuer_key = issuer.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes();
    response.tbs_response_data.responses.iter().find_map(|single| {
        let id = &single.cert_id;
        let hash = |data: &[u8]| digest(id.hash_algorithm.oid, data);
        let names_it = id.serial_number == cert.tbs_certificate.serial_number
            && hash(&issuer_name)? == id.issuer_name_hash.as_bytes()
            && hash(issuer_key)? == id.issuer_key_hash.as_bytes();
        match (&single.cert_status, names_it) {
            (_, false) => None,
            (CertStatus::Good(_), true) => Some(Status::Good),
            (CertStatus::Revoked(info), true) => {
                Some(Status::Revoked(info.revocation_time.0.to_unix_duration().as_secs() as i64))
            }
            (CertStatus::Unknown(_), true) => None,
        }
    })
}

/// Who signed the response: the issuer itself, or a responder it certified for OCSP.
fn responder<'a>(response: &'a BasicOcspResponse, issuer: &'a Certificate) -> Option<&'a Certificate> {
    let is = |c: &Certificate| match &response.tbs_response_data.responder_id {
        ResponderId::ByName(name) => *name == c.tbs_certificate.subject,
        ResponderId::ByKey(hash) => {
            sha1::Sha1::digest(c.tbs_certificate.subject_public_key_info.subject_public_key.raw_bytes()).as_slice()
                == hash.as_bytes()
        }
    };
    if is(issuer) {
        return Some(issuer);
    }
    response.certs.iter().flatten().find(|c| is(c) && super::chain::issued_by(c, issuer).is_ok() && delegated(c))
}

/// The certificate carries the OCSP-signing extended key usage.
fn delegated(cert: &Certificate) -> bool {
    let ext = cert.tbs_certificate.extensions.iter().flatten().find(|e| e.extn_id == EXTENDED_KEY_USAGE);
    ext.and_then(|e| x509_cert::ext::pkix::ExtendedKeyUsage::from_der(e.extn_value.as_bytes()).ok())
        .is_some_and(|eku| eku.0.contains(&OCSP_SIGNING))
}

fn digest(alg: Oid, data: &[u8]) -> Option<Vec<u8>> {
    if alg == SHA1 {
        return Some(sha1::Sha1::digest(data).to_vec());
    }
    crate::keys::Hash::from_oid(alg).ok().map(|h| h.digest(data))
}
