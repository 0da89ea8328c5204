//! The hub over HTTPS: the endpoints of `docs/sync-protocol.md`, each request
//! checked (size, checksum, versions, credential, rate) before the store sees it,
//! one log line per request on stdout, and a shutdown that finishes the requests
//! already accepted.

use crate::store::{HubError, HubResult, HubStore, Installation, LoggedChange, Route};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use raccordo_register::changelog::{self, Change};
use raccordo_register::sharing;
use raccordo_sync::protocol::{
    self, CHECKSUM_HEADER, Cursor, EnrolRequest, Enrolled, ErrorBody, HUB_ID_HEADER, Hello, Limits, PROTOCOL, PushAck,
    PushBatch, Refusal, SCHEMA, sha256_hex,
};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use uuid::Uuid;

/// How long an enrolment code stays valid.
pub const CODE_VALID_DAYS: i64 = 7;

/// The hub's state shared by every connection.
pub struct Hub {
    pub store: Arc<dyn HubStore>,
    /// The store's hub id, named on every answer.
    id: Uuid,
    pub limits: Limits,
    rate: Mutex<HashMap<String, Bucket>>,
    /// Where attachment files are kept (`blobs`); one writer at a time.
    blobs: PathBuf,
    blob_writer: Mutex<()>,
}

/// A token bucket per installation (or per address, before a credential).
struct Bucket {
    tokens: f64,
    at: Instant,
}

impl Hub {
    pub fn new(store: Arc<dyn HubStore>, limits: Limits, blobs: PathBuf) -> HubResult<Hub> {
        let id = store.identity()?.hub_id;
        Ok(Hub { store, id, limits, rate: Mutex::new(HashMap::new()), blobs, blob_writer: Mutex::new(()) })
    }

    fn allow(&self, key: &str) -> bool {
        let per_minute = self.limits.requests_per_minute.max(1) as f64;
        let now = Instant::now();
        let mut rate = self.rate.lock().unwrap_or_else(|p| p.into_inner());
        if rate.len() > 100_000 {
            rate.retain(|_, b| now.duration_since(b.at) < Duration::from_secs(120));
        }
        let b = rate.entry(key.to_owned()).or_insert(Bucket { tokens: per_minute, at: now });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_minute / 60.0).min(per_minute);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// A normalised enrolment code: what people type, in groups, in any case.
pub fn code_hash(code: &str) -> String {
    let norm: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect();
    sha256_hex(norm.as_bytes())
}

/// Random bytes from the operating system, for codes and secrets.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut buf = vec![0u8; n];
    getrandom::fill(&mut buf).expect("the operating system's random source");
    buf
}

/// A new enrolment code: 15 letters and digits (75 bits) without look-alikes, in
/// groups of five, for reading out on the phone.
pub fn new_code() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let chars: Vec<char> = random_bytes(15).iter().map(|b| ALPHABET[(*b as usize) % ALPHABET.len()] as char).collect();
    chars.chunks(5).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

type Answer = Response<Full<Bytes>>;

/// What a handled request gives: the body and whether to sign it with its checksum.
struct Reply {
    body: Vec<u8>,
    who: Option<Uuid>,
    /// The bytes of a file, not JSON.
    binary: bool,
}

fn json(v: &impl serde::Serialize) -> Vec<u8> {
    serde_json::to_vec(v).expect("protocol types serialise")
}

fn bad(message: impl Into<String>) -> HubError {
    HubError::new(Refusal::BadRequest, message)
}

/// Serves `listener` until `shutdown` resolves, then finishes the requests already
/// accepted (at most `grace`) and returns.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<tokio_rustls::rustls::ServerConfig>,
    hub: Arc<Hub>,
    shutdown: impl std::future::Future<Output = ()>,
    grace: Duration,
) {
    let acceptor = TlsAcceptor::from(tls);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let Ok((tcp, addr)) = accepted else { continue };
                let _ = tcp.set_nodelay(true);
                let acceptor = acceptor.clone();
                let hub = hub.clone();
                let watcher = graceful.watcher();
                tokio::spawn(async move {
                    let tls = match tokio::time::timeout(Duration::from_secs(15), acceptor.accept(tcp)).await {
                        Ok(Ok(tls)) => tls,
                        Ok(Err(e)) => {
                            println!("{} {addr} TLS rifiutato: {e}", now());
                            return;
                        }
                        Err(_) => return,
                    };
                    let service = hyper::service::service_fn(move |req| {
                        let hub = hub.clone();
                        async move { Ok::<_, std::convert::Infallible>(handle(hub, addr, req).await) }
                    });
                    let builder = auto::Builder::new(TokioExecutor::new()).http1_only();
                    let conn = builder.serve_connection(TokioIo::new(tls), service).into_owned();
                    let _ = watcher.watch(conn).await;
                });
            }
            _ = &mut shutdown => break,
        }
    }
    drop(listener);
    println!("{} arresto: completo le richieste in corso ({})", now(), graceful.count());
    let _ = tokio::time::timeout(grace, graceful.shutdown()).await;
    println!("{} arrestato", now());
}

async fn handle(hub: Arc<Hub>, addr: SocketAddr, req: Request<Incoming>) -> Answer {
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let result = route(&hub, addr.ip(), req).await;
    let (status, body, who, checksum, binary) = match result {
        Ok(reply) => (StatusCode::OK, reply.body, reply.who, true, reply.binary),
        Err(e) => {
            let status = StatusCode::from_u16(e.refusal.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, json(&ErrorBody { code: e.refusal, message: e.message }), None, false, false)
        }
    };
    println!(
        "{} {addr} {method} {path} {} {}ms {}",
        now(),
        status.as_u16(),
        started.elapsed().as_millis(),
        who.map(|w| w.to_string()).unwrap_or_else(|| "-".into())
    );
    let content_type = if binary { "application/octet-stream" } else { "application/json" };
    let mut response = Response::builder()
        .status(status)
        .header("content-type", content_type)
        .header(HUB_ID_HEADER, hub.id.to_string());
    if checksum {
        response = response.header(CHECKSUM_HEADER, sha256_hex(&body));
    }
    response.body(Full::new(Bytes::from(body))).expect("a valid response")
}

async fn route(hub: &Arc<Hub>, ip: IpAddr, req: Request<Incoming>) -> HubResult<Reply> {
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    match (method, path.as_str()) {
        (Method::GET, "/v1/hello") => {
            limit(hub, &ip.to_string())?;
            let id = blocking(hub, |s| s.identity()).await?;
            let hello =
                Hello { hub_id: id.hub_id, epoch: id.epoch, protocol: PROTOCOL, schema: SCHEMA, limits: hub.limits };
            Ok(Reply { body: json(&hello), who: None, binary: false })
        }
        (Method::POST, "/v1/enrol") => {
            limit(hub, &ip.to_string())?;
            let body = read_body(hub, req).await?;
            let request: EnrolRequest = parse(&body)?;
            enrol(hub, request).await
        }
        (Method::POST, "/v1/push") => {
            let who = authenticate(hub, ip, &req).await?;
            let body = read_body(hub, req).await?;
            let batch: PushBatch = parse(&body)?;
            push(hub, who, batch).await
        }
        (Method::GET, "/v1/pull") => {
            let who = authenticate(hub, ip, &req).await?;
            let query = query_of(&req);
            pull(hub, who, &query).await
        }
        (method, p) if p.starts_with("/v1/blob/") => {
            let rest = &p["/v1/blob/".len()..];
            let (sha, status_only) = match rest.strip_suffix("/status") {
                Some(sha) => (sha.to_owned(), true),
                None => (rest.to_owned(), false),
            };
            if !protocol::is_sha256(&sha) {
                return Err(bad(format!(
                    "«{sha}» non è l'impronta SHA-256 di un file (64 cifre esadecimali minuscole)."
                )));
            }
            let who = authenticate(hub, ip, &req).await?;
            let query = query_of(&req);
            let (office, check) = (who.office_id, sha.clone());
            if !blocking(hub, move |s| s.blob_readable(office, &check)).await? {
                return Err(HubError::new(
                    Refusal::OutOfScope,
                    format!("Il file {sha} non appartiene a un allegato condiviso con questo ufficio."),
                ));
            }
            blob(hub, who, method, &sha, status_only, &query, req).await
        }
        (_, "/v1/hello" | "/v1/enrol" | "/v1/push" | "/v1/pull") => {
            Err(bad(format!("Metodo {} non previsto per {path}.", req.method())))
        }
        _ => Err(HubError::new(
            Refusal::NotFound,
            format!("Nessun servizio all'indirizzo {path}: è un hub Raccordo (/v1/…)."),
        )),
    }
}

fn query_of(req: &Request<Incoming>) -> HashMap<String, String> {
    req.uri()
        .query()
        .unwrap_or("")
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// A number of the query, 0 when absent.
fn number(query: &HashMap<String, String>, k: &str) -> HubResult<i64> {
    match query.get(k) {
        None => Ok(0),
        Some(v) => v.parse().map_err(|_| bad(format!("Parametro «{k}» non numerico: «{v}»."))),
    }
}

/// `GET /v1/blob/SHA/status`, `PUT /v1/blob/SHA?offset=N&total=T`, `GET /v1/blob/SHA?offset=N`.
async fn blob(
    hub: &Arc<Hub>,
    who: Installation,
    method: Method,
    sha: &str,
    status_only: bool,
    query: &HashMap<String, String>,
    req: Request<Incoming>,
) -> HubResult<Reply> {
    let offset = number(query, "offset")?.max(0) as u64;
    let dir = hub.blobs.clone();
    let sha = sha.to_owned();
    let reply = |body: Vec<u8>, binary: bool| Reply { body, who: Some(who.id), binary };
    match (method, status_only) {
        (Method::GET, true) => {
            let status = tokio::task::spawn_blocking(move || crate::blobs::status(&dir, &sha))
                .await
                .map_err(HubError::internal)??;
            Ok(reply(json(&status), false))
        }
        (Method::PUT, false) => {
            let total = number(query, "total")?.max(0) as u64;
            if total > hub.limits.max_attachment_bytes {
                return Err(HubError::new(
                    Refusal::AttachmentTooLarge,
                    format!(
                        "Allegato di {} MiB: questo hub accetta file fino a {} MiB. Nulla è stato scritto.",
                        total.div_ceil(1 << 20),
                        hub.limits.max_attachment_bytes >> 20
                    ),
                ));
            }
            let bytes = read_body(hub, req).await?;
            let hub2 = hub.clone();
            let status = tokio::task::spawn_blocking(move || {
                let _one = hub2.blob_writer.lock().unwrap_or_else(|p| p.into_inner());
                crate::blobs::append(&dir, &sha, offset, total, &bytes)
            })
            .await
            .map_err(HubError::internal)??;
            Ok(reply(json(&status), false))
        }
        (Method::GET, false) => {
            let max = hub.limits.max_body_bytes.min(protocol::BLOB_PART_BYTES);
            let bytes = tokio::task::spawn_blocking(move || crate::blobs::read(&dir, &sha, offset, max))
                .await
                .map_err(HubError::internal)??;
            Ok(reply(bytes, true))
        }
        (m, _) => Err(bad(format!("Metodo {m} non previsto per i file."))),
    }
}

fn limit(hub: &Hub, key: &str) -> HubResult<()> {
    if hub.allow(key) {
        Ok(())
    } else {
        Err(HubError::new(
            Refusal::RateLimited,
            format!(
                "Troppe richieste (più di {} al minuto): rallentare e riprovare tra poco.",
                hub.limits.requests_per_minute
            ),
        ))
    }
}

async fn blocking<T: Send + 'static>(
    hub: &Arc<Hub>,
    f: impl FnOnce(&dyn HubStore) -> HubResult<T> + Send + 'static,
) -> HubResult<T> {
    let store = hub.store.clone();
    tokio::task::spawn_blocking(move || f(store.as_ref())).await.map_err(HubError::internal)?
}

/// The body, at most the limit, and matching the checksum its header announces.
async fn read_body(hub: &Hub, req: Request<Incoming>) -> HubResult<Bytes> {
    let max = hub.limits.max_body_bytes;
    let too_large = || {
        HubError::new(
            Refusal::BodyTooLarge,
            format!("Richiesta troppo grande (oltre {} MiB): inviare lotti più piccoli.", max >> 20),
        )
    };
    let declared =
        req.headers().get(hyper::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max) {
        return Err(too_large());
    }
    let checksum = req.headers().get(CHECKSUM_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let body = Limited::new(req.into_body(), max).collect().await.map_err(|e| {
        if e.is::<http_body_util::LengthLimitError>() {
            too_large()
        } else {
            bad(format!("Richiesta interrotta prima della fine ({e}): nulla è stato applicato."))
        }
    })?;
    let bytes = body.to_bytes();
    match checksum {
        None => Err(HubError::new(
            Refusal::ChecksumMismatch,
            format!("Manca l'intestazione {CHECKSUM_HEADER} (SHA-256 del corpo): nulla è stato applicato."),
        )),
        Some(sum) if sum != sha256_hex(&bytes) => Err(HubError::new(
            Refusal::ChecksumMismatch,
            "Il corpo della richiesta non corrisponde al suo SHA-256 (arrivato alterato o troncato): nulla è stato applicato.",
        )),
        Some(_) => Ok(bytes),
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> HubResult<T> {
    serde_json::from_slice(body).map_err(|e| bad(format!("Richiesta non valida ({e}): nulla è stato applicato.")))
}

async fn authenticate(hub: &Arc<Hub>, ip: IpAddr, req: &Request<Incoming>) -> HubResult<Installation> {
    let header = req.headers().get(hyper::header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let Some(header) = header else {
        limit(hub, &ip.to_string())?;
        return Err(HubError::new(
            Refusal::CredentialMissing,
            "Manca la credenziale dell'installazione: collegare il registro con «raccordo-cli sync join».",
        ));
    };
    let unknown = || {
        HubError::new(
            Refusal::CredentialUnknown,
            "Credenziale sconosciuta a questo hub: collegare di nuovo il registro con un nuovo codice di adesione.",
        )
    };
    let Some((id, secret)) = protocol::parse_bearer(header) else {
        limit(hub, &ip.to_string())?;
        return Err(unknown());
    };
    limit(hub, &id.to_string())?;
    let secret_sha256 = sha256_hex(secret.as_bytes());
    let installation = blocking(hub, move |s| s.installation(id)).await?.ok_or_else(unknown)?;
    if !constant_time_eq(installation.secret_sha256.as_bytes(), secret_sha256.as_bytes()) {
        return Err(unknown());
    }
    if installation.revoked {
        return Err(HubError::new(
            Refusal::CredentialRevoked,
            "L'ufficio di questo registro è stato revocato su questo hub: la sincronizzazione è sospesa. \
             Rivolgersi a chi gestisce il hub.",
        ));
    }
    Ok(installation)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn enrol(hub: &Arc<Hub>, request: EnrolRequest) -> HubResult<Reply> {
    if let Some(r) = protocol::version_refusal(request.protocol, request.schema) {
        return Err(HubError::new(r.code, r.message));
    }
    let installation = Uuid::now_v7();
    let secret = base64_url(&random_bytes(32));
    let secret_sha256 = sha256_hex(secret.as_bytes());
    let code = code_hash(&request.code);
    let (site, clock, claimed) = (request.site, request.clock.0, request.office);
    let (office, id) = blocking(hub, move |s| {
        let office = s.enrol(&code, site, clock, claimed, installation, &secret_sha256, &now())?;
        Ok((office, s.identity()?))
    })
    .await?;
    let enrolled = Enrolled {
        hub_id: id.hub_id,
        installation_id: installation,
        secret,
        office_id: office.id,
        office_name: office.name,
    };
    Ok(Reply { body: json(&enrolled), who: Some(installation), binary: false })
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

async fn push(hub: &Arc<Hub>, who: Installation, batch: PushBatch) -> HubResult<Reply> {
    if let Some(r) = protocol::version_refusal(batch.protocol, batch.schema) {
        return Err(HubError::new(r.code, r.message));
    }
    if batch.site != who.site {
        return Err(bad(
            "Il lotto dichiara un sito diverso da quello dell'installazione: nulla è stato applicato.".to_owned()
        ));
    }
    if batch.changes.len() > hub.limits.max_batch_changes {
        return Err(HubError::new(
            Refusal::BatchTooLarge,
            format!(
                "Lotto di {} modifiche: al massimo {} per lotto. Nulla è stato applicato.",
                batch.changes.len(),
                hub.limits.max_batch_changes
            ),
        ));
    }
    let mut logged = Vec::with_capacity(batch.changes.len());
    for c in batch.changes {
        changelog::check_shape(&c)
            .map_err(|why| bad(format!("Modifica non valida: {why}. Nulla è stato applicato.")))?;
        logged.push(log_entry(c));
    }
    let clock = batch.clock.0;
    let id = who.id;
    let (pushed, head) = blocking(hub, move |s| s.push(&who, clock, &logged, &now())).await?;
    let ack = PushAck { accepted: pushed.accepted, already_held: pushed.already_held, head };
    Ok(Reply { body: json(&ack), who: Some(id), binary: false })
}

/// A change as the log keeps it: the sender's position cleared, so that the same
/// change relayed by another office has the same body and digest.
fn log_entry(c: Change) -> LoggedChange {
    let change = Change { seq: 0, ..c };
    let body = serde_json::to_string(&change).expect("a change serialises");
    let tracked = match &change.fields {
        None => Vec::new(),
        Some(fields) => sharing::tracked_fields(change.kind)
            .into_iter()
            .enumerate()
            .filter(|(_, (field, _))| fields.contains_key(*field))
            .map(|(ord, (field, role))| Route {
                field,
                role,
                ord: ord as i64,
                value: fields.get(field).and_then(|v| v.as_str()).map(str::to_owned),
            })
            .collect(),
    };
    LoggedChange {
        site: change.site,
        hlc: change.hlc.0,
        kind: change.kind.table().to_owned(),
        record_id: change.record_id,
        op: change.op.as_str().to_owned(),
        tracked,
        digest: sha256_hex(body.as_bytes()),
        body,
    }
}

async fn pull(hub: &Arc<Hub>, who: Installation, query: &HashMap<String, String>) -> HubResult<Reply> {
    let number = |k: &str| number(query, k);
    let protocol_v = number("protocol")? as u32;
    let schema = number("schema")? as u32;
    if let Some(r) = protocol::version_refusal(protocol_v, schema) {
        return Err(HubError::new(r.code, r.message));
    }
    let link = query.get("link").cloned().unwrap_or_default();
    if !link.is_empty() && (link.len() != 64 || !link.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(bad("Parametro «link» non valido: 64 cifre esadecimali."));
    }
    let within = query.get("within").map(|_| number("within")).transpose()?;
    let after = Cursor { seq: number("after")?.max(0), link, within };
    let conflicts = number("conflicts")?.max(0) as u64;
    let limit = hub.limits.max_pull_changes;
    let id = who.id;
    let (page, identity) = blocking(hub, move |s| {
        let page = match s.pull(&who, &after, limit, conflicts, &now()) {
            Err(e) if e.refusal == Refusal::HubRestored => {
                s.raise_epoch()?;
                return Err(e);
            }
            other => other?,
        };
        Ok((page, s.identity()?))
    })
    .await?;
    // The log keeps each change's JSON: the answer splices them rather than parsing
    // and writing them again.
    let mut body =
        format!("{{\"protocol\":{PROTOCOL},\"schema\":{SCHEMA},\"hub_id\":\"{}\",\"changes\":[", identity.hub_id)
            .into_bytes();
    for (i, (_, change)) in page.changes.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(change.as_bytes());
    }
    body.extend_from_slice(
        format!(
            "],\"next\":{},\"more\":{},\"shared\":{},\"unshared\":{}}}",
            String::from_utf8(json(&page.next)).unwrap_or_default(),
            page.more,
            String::from_utf8(json(&page.shared)).unwrap_or_default(),
            String::from_utf8(json(&page.unshared)).unwrap_or_default(),
        )
        .as_bytes(),
    );
    Ok(Reply { body, who: Some(id), binary: false })
}
