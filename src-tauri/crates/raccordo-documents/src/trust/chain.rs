//! Whether a signer is who the certificate says: the certificate's chain built up to a
//! qualified certification authority of the trusted list (each link's signature
//! checked), every certificate valid at the signing time, the signer's key meant for
//! signatures with legal value (non-repudiation), the list's service granted at that
//! time, and no certificate of the chain revoked by a revocation list found in the file.

use super::list::{CA_QC, TrustedList};
use chrono::{DateTime, Utc};
use der::Encode;
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};

/// Intermediate certification authorities followed, at most, between signer and list.
const MAX_CHAIN: usize = 6;

/// What the file brings besides the signer's certificate: other certificates and
/// revocation data (CMS `certificates` and `crls`, a PDF's DSS): revocation lists and
/// OCSP responses.
#[derive(Default, Clone)]
pub struct Evidence {
    pub certificates: Vec<Certificate>,
    pub crls: Vec<CertificateList>,
    pub ocsps: Vec<x509_ocsp::BasicOcspResponse>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub trusted: bool,
    /// In Italian: the service the chain reaches, or why it is not trusted.
    pub reason: String,
}

fn not(reason: impl Into<String>) -> Verdict {
    Verdict { trusted: false, reason: reason.into() }
}

/// Evaluates `signer` at `at` (the signing time), against `list`, on `now`.
pub fn evaluate(
    signer: &Certificate,
    evidence: &Evidence,
    at: DateTime<Utc>,
    list: &TrustedList,
    now: DateTime<Utc>,
) -> Verdict {
    if let Some(next) = list.summary.next_update.filter(|n| *n < now) {
        return not(format!(
            "l'elenco di fiducia importato è scaduto il {}: importa quello aggiornato.",
            next.format("%d/%m/%Y")
        ));
    }
    if !key_usage(signer).is_some_and(|k| k.0.contains(KeyUsages::NonRepudiation)) {
        return not(
            "il certificato del firmatario non è destinato a firme con valore legale (manca l'uso «non ripudio»).",
        );
    }
    let mut path: Vec<&Certificate> = vec![signer];
    loop {
        let current = *path.last().unwrap_or(&signer);
        if let Err(why) = valid_at(current, at) {
            return not(why);
        }
        // A qualified CA of the list that issued `current`?
        let anchor = list
            .services
            .iter()
            .filter(|s| s.kind == CA_QC)
            .find_map(|s| s.certificates.iter().find(|ca| issued_by(current, ca).is_ok()).map(|ca| (s, ca)));
        if let Some((service, _)) = anchor {
            if !service.trusted_at(at) {
                return not(format!(
                    "il servizio «{}» di {} non era qualificato alla data della firma secondo l'elenco di fiducia.",
                    service.name, service.provider
                ));
            }
            if let Err(why) = not_revoked(&path, evidence, at, list) {
                return not(why);
            }
            let revocation = if evidence.crls.is_empty() && evidence.ocsps.is_empty() {
                " Il file non contiene informazioni di revoca: la revoca non è stata controllata."
            } else {
                ""
            };
            return Verdict {
                trusted: true,
                reason: format!(
                    "Certificato qualificato emesso da {} («{}»), nell'elenco di fiducia {} n. {}.{revocation}",
                    service.provider, service.name, list.summary.territory, list.summary.sequence
                ),
            };
        }
        if path.len() > MAX_CHAIN {
            return not("la catena dei certificati è troppo lunga.");
        }
        let next =
            evidence.certificates.iter().find(|c| !path.contains(c) && is_ca(c) && issued_by(current, c).is_ok());
        match next {
            Some(c) => path.push(c),
            None => {
                return not(format!(
                    "il certificato emesso da «{}» non risale a un'autorità di certificazione qualificata \
                     dell'elenco di fiducia {}.",
                    current.tbs_certificate.issuer, list.summary.territory
                ));
            }
        }
    }
}

/// `cert`'s signature checked with `issuer`'s key, and the names chaining.
pub fn issued_by(cert: &Certificate, issuer: &Certificate) -> Result<(), String> {
    if cert.tbs_certificate.issuer != issuer.tbs_certificate.subject {
        return Err("emittente diverso".into());
    }
    let (scheme, hash) = crate::keys::algorithm(cert.signature_algorithm.oid, None)?;
    let tbs = cert.tbs_certificate.to_der().map_err(|e| e.to_string())?;
    let sig = cert.signature.as_bytes().ok_or("firma del certificato non leggibile")?;
    crate::keys::verify(&issuer.tbs_certificate.subject_public_key_info, scheme, hash, &tbs, sig)
}

fn valid_at(cert: &Certificate, at: DateTime<Utc>) -> Result<(), String> {
    let v = &cert.tbs_certificate.validity;
    let t = |x: x509_cert::time::Time| DateTime::<Utc>::from_timestamp(x.to_unix_duration().as_secs() as i64, 0);
    let (from, to) = (t(v.not_before), t(v.not_after));
    if from.is_none_or(|f| at < f) || to.is_none_or(|e| at > e) {
        return Err(format!(
            "il certificato di «{}» non era valido alla data della firma ({}).",
            cert.tbs_certificate.subject,
            at.format("%d/%m/%Y")
        ));
    }
    Ok(())
}

fn key_usage(cert: &Certificate) -> Option<KeyUsage> {
    cert.tbs_certificate.get::<KeyUsage>().ok().flatten().map(|(_, k)| k)
}

fn is_ca(cert: &Certificate) -> bool {
    let ca = cert.tbs_certificate.get::<BasicConstraints>().ok().flatten().is_some_and(|(_, b)| b.ca);
    ca && key_usage(cert).is_none_or(|k| k.0.contains(KeyUsages::KeyCertSign))
}

/// No certificate of `path` is on a revocation list its issuer signed, nor said revoked
/// by an OCSP response for that issuer.
fn not_revoked(
    path: &[&Certificate],
    evidence: &Evidence,
    at: DateTime<Utc>,
    list: &TrustedList,
) -> Result<(), String> {
    for (i, cert) in path.iter().enumerate() {
        let issuer: Option<&Certificate> = path
            .get(i + 1)
            .copied()
            .or_else(|| list.services.iter().flat_map(|s| &s.certificates).find(|ca| issued_by(cert, ca).is_ok()));
        let Some(issuer) = issuer else { continue };
        for crl in &evidence.crls {
            if crl.tbs_cert_list.issuer != issuer.tbs_certificate.subject || crl_signed_by(crl, issuer).is_err() {
                continue;
            }
            let revoked = crl
                .tbs_cert_list
                .revoked_certificates
                .iter()
                .flatten()
                .find(|r| r.serial_number == cert.tbs_certificate.serial_number);
            if let Some(r) = revoked {
                return Err(revoked_since(cert, r.revocation_date.to_unix_duration().as_secs() as i64, at, ""));
            }
        }
        for response in &evidence.ocsps {
            if let Some(super::ocsp::Status::Revoked(since)) = super::ocsp::status(response, cert, issuer) {
                return Err(revoked_since(cert, since, at, " (risposta OCSP)"));
            }
        }
    }
    Ok(())
}

/// "il certificato di «…» è stato revocato il …", and whether after the declared
/// signing time (which no timestamp guarantees).
fn revoked_since(cert: &Certificate, since: i64, at: DateTime<Utc>, source: &str) -> String {
    let when = DateTime::<Utc>::from_timestamp(since, 0);
    let when = when.map_or_else(String::new, |w| format!(" il {}", w.format("%d/%m/%Y")));
    let after = if when.is_empty() || since > at.timestamp() {
        " (dopo la data di firma dichiarata, che però non è garantita da una marca temporale)"
    } else {
        ""
    };
    format!("il certificato di «{}» è stato revocato{when}{after}{source}.", cert.tbs_certificate.subject)
}

fn crl_signed_by(crl: &CertificateList, issuer: &Certificate) -> Result<(), String> {
    let (scheme, hash) = crate::keys::algorithm(crl.signature_algorithm.oid, None)?;
    let tbs = crl.tbs_cert_list.to_der().map_err(|e| e.to_string())?;
    let sig = crl.signature.as_bytes().ok_or("firma della lista di revoca non leggibile")?;
    crate::keys::verify(&issuer.tbs_certificate.subject_public_key_info, scheme, hash, &tbs, sig)
}
