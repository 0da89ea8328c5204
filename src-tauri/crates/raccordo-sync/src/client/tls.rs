//! How the client trusts a hub: by the system's roots (a hub with a certificate from
//! a public authority), or by the SHA-256 of the one certificate pinned at join (a
//! hub with a self-signed certificate, whose fingerprint the hub's office reads out).
//! Pinned, the name in the certificate is not checked: the fingerprint says more.
//! Either way the handshake's signatures are checked with the certificate's key.

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, verify_tls12_signature, verify_tls13_signature};
use rustls::{ClientConfig, DigitallySignedStruct, SignatureScheme};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use std::sync::{Arc, Mutex};

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// The TLS configuration for a hub: pinned to `pin_sha256` (hex), or the system's.
pub fn config(pin_sha256: Option<&str>) -> Result<ClientConfig, rustls::Error> {
    let provider = provider();
    let verifier: Arc<dyn ServerCertVerifier> = match pin_sha256 {
        Some(pin) => Arc::new(Pinned {
            trust: Trust::Only(pin.to_ascii_lowercase()),
            algorithms: provider.signature_verification_algorithms,
        }),
        None => Arc::new(rustls_platform_verifier::Verifier::new(provider.clone())?),
    };
    with_verifier(provider, verifier)
}

/// A configuration that takes whatever certificate the hub presents and notes its
/// fingerprint in `seen`: only for [`super::inspect`], which asks `hello` (nothing
/// secret travels) so that a person can compare the fingerprint before pinning it.
/// The handshake is still checked against the certificate's key, so the fingerprint
/// is that of a key the hub holds.
pub fn recording(seen: Arc<Mutex<Option<String>>>) -> Result<ClientConfig, rustls::Error> {
    let provider = provider();
    let algorithms = provider.signature_verification_algorithms;
    with_verifier(provider, Arc::new(Pinned { trust: Trust::Note(seen), algorithms }))
}

fn with_verifier(
    provider: Arc<CryptoProvider>,
    verifier: Arc<dyn ServerCertVerifier>,
) -> Result<ClientConfig, rustls::Error> {
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// The SHA-256 (hex) of a certificate as the hub presents it (DER).
pub fn fingerprint(der: &[u8]) -> String {
    crate::protocol::sha256_hex(der)
}

/// The fingerprint of the first certificate of a PEM file, as `--pin-cert` gives it.
pub fn fingerprint_of_pem(pem: &str) -> Option<String> {
    let b64: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN CERTIFICATE-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END CERTIFICATE-----"))
        .collect();
    use base64::Engine;
    let der = base64::engine::general_purpose::STANDARD.decode(b64.trim()).ok()?;
    (!der.is_empty()).then(|| fingerprint(&der))
}

/// Which certificate a [`Pinned`] verifier takes.
#[derive(Debug)]
enum Trust {
    /// Only the one with this fingerprint.
    Only(String),
    /// Any, noting its fingerprint (inspecting a hub before joining it).
    Note(Arc<Mutex<Option<String>>>),
}

#[derive(Debug)]
struct Pinned {
    trust: Trust,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let presented = fingerprint(end_entity);
        match &self.trust {
            Trust::Only(pin) if *pin == presented => Ok(ServerCertVerified::assertion()),
            Trust::Only(_) => {
                Err(rustls::Error::InvalidCertificate(rustls::CertificateError::ApplicationVerificationFailure))
            }
            Trust::Note(seen) => {
                *seen.lock().unwrap_or_else(|e| e.into_inner()) = Some(presented);
                Ok(ServerCertVerified::assertion())
            }
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
