//! The hub's certificate: made self-signed at `init --self-signed HOST`, or given as
//! PEM files (`--cert`, `--key`), and the rustls configuration that serves it.

use std::path::Path;
use std::sync::Arc;
use tokio_rustls::rustls::{self, ServerConfig};

/// Makes a self-signed certificate for `host` (a name or an address) and its key,
/// written as `cert.pem` and `key.pem` in `dir` (the key readable by its owner only).
/// Returns the certificate's SHA-256 fingerprint, for pinning.
pub fn make_self_signed(dir: &Path, host: &str) -> Result<String, String> {
    let host = host.trim();
    if host.is_empty() || host.contains(['/', ' ', ':']) && host.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("Nome del hub «{host}» non valido: un nome DNS (hub.comune.it) o un indirizzo IP."));
    }
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let mut params = rcgen::CertificateParams::new(vec![host.to_owned()]).map_err(|e| e.to_string())?;
    params.distinguished_name.push(rcgen::DnType::CommonName, format!("Raccordo hub {host}"));
    params.not_before = rcgen::date_time_ymd(2024, 1, 1);
    params.not_after = rcgen::date_time_ymd(2036, 1, 1);
    let cert = params.self_signed(&key).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("cert.pem"), cert.pem()).map_err(|e| e.to_string())?;
    write_private(&dir.join("key.pem"), key.serialize_pem().as_bytes()).map_err(|e| e.to_string())?;
    Ok(raccordo_sync::protocol::sha256_hex(cert.der()))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}

/// The server configuration for the certificate chain and key in these PEM files,
/// and the first certificate's fingerprint.
pub fn server_config(cert: &Path, key: &Path) -> Result<(Arc<ServerConfig>, String), String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()));
    let certs: Vec<_> = rustls_pemfile::certs(&mut read(cert)?.as_slice())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("{}: certificato non leggibile ({e})", cert.display()))?;
    let Some(first) = certs.first() else {
        return Err(format!("{}: nessun certificato PEM.", cert.display()));
    };
    let fingerprint = raccordo_sync::protocol::sha256_hex(first);
    let key = rustls_pemfile::private_key(&mut read(key)?.as_slice())
        .map_err(|e| format!("{}: chiave non leggibile ({e})", key.display()))?
        .ok_or_else(|| format!("{}: nessuna chiave privata PEM.", key.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .map_err(|e| format!("certificato e chiave non corrispondono: {e}"))?;
    // HTTP/1.1 only: a refusal sent before a too-large body is read reaches the
    // client whole (curl over HTTP/2 saw the stream reset instead of the 413), and
    // each installation's batches go one after the other anyway.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok((Arc::new(config), fingerprint))
}
