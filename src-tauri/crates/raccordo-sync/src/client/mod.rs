//! The register's side of sync: join a hub with a one-time code, then exchange
//! changes, push first and pull after, batch by batch. Every pulled batch is applied
//! with its cursor in one transaction (`Register::apply_pulled`), every pushed one
//! acknowledged before the push cursor moves: a connection cut at any byte resumes
//! where it stopped, and a batch sent twice changes nothing on either side.

pub mod bundle;
pub mod credential;
pub mod tls;

use crate::protocol::{
    self, BlobStatus, CHECKSUM_HEADER, Cursor, EnrolRequest, Enrolled, ErrorBody, HUB_ID_HEADER, Hello, PROTOCOL,
    PullBatch, PushAck, PushBatch, Refusal, SCHEMA,
};
use raccordo_register::{Peer, Register};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::time::Duration;
use uuid::Uuid;

/// Why a sync step failed: a code (a hub's [`Refusal`], or `unreachable`, `tls`,
/// `keyring`, `register`, `bad_answer`) and what to do, in Italian.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncError {
    pub code: String,
    pub message: String,
}

impl SyncError {
    pub fn new(code: &str, message: impl Into<String>) -> SyncError {
        SyncError { code: code.to_owned(), message: message.into() }
    }

    fn refused(body: ErrorBody) -> SyncError {
        SyncError { code: body.code.as_str().to_owned(), message: body.message }
    }

    pub fn is(&self, refusal: Refusal) -> bool {
        self.code == refusal.as_str()
    }
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<raccordo_register::Error> for SyncError {
    fn from(e: raccordo_register::Error) -> SyncError {
        SyncError::new("register", e.message)
    }
}

/// A connection to one hub.
pub struct Hub {
    http: reqwest::Client,
    base: String,
    /// The hub's id once `hello` said it: every answer must name it.
    id: Option<Uuid>,
}

/// How long one request may take before the client gives up (and resumes later).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

impl Hub {
    /// `url`: `https://host:port`; `pin_sha256`: the certificate's fingerprint, when
    /// trusted by pinning.
    pub fn new(url: &str, pin_sha256: Option<&str>) -> Result<Hub, SyncError> {
        let tls = tls::config(pin_sha256).map_err(|e| SyncError::new("tls", format!("TLS non configurabile: {e}")))?;
        Hub::with_tls(url, tls)
    }

    fn with_tls(url: &str, tls: rustls::ClientConfig) -> Result<Hub, SyncError> {
        let base = url.trim().trim_end_matches('/').to_owned();
        if !base.starts_with("https://") || base.len() <= "https://".len() {
            return Err(SyncError::new(
                "bad_request",
                format!(
                    "Indirizzo del hub «{url}» non valido: deve cominciare con https:// (la sincronizzazione avviene solo su HTTPS)."
                ),
            ));
        }
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(Duration::from_secs(15))
            .user_agent(concat!("raccordo/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| SyncError::new("tls", format!("Client HTTPS non configurabile: {e}")))?;
        Ok(Hub { http, base, id: None })
    }

    pub fn url(&self) -> &str {
        &self.base
    }

    /// The hub's identity, versions and limits; from then on every answer must come
    /// from that hub.
    pub async fn hello(&mut self) -> Result<Hello, SyncError> {
        let hello: Hello = self.answer(self.http.get(format!("{}/v1/hello", self.base))).await?;
        if let Some(refusal) = protocol::version_refusal(hello.protocol, hello.schema) {
            return Err(SyncError::refused(refusal));
        }
        self.id = Some(hello.hub_id);
        Ok(hello)
    }

    pub async fn enrol(&self, request: &EnrolRequest) -> Result<Enrolled, SyncError> {
        self.answer(self.with_body(self.http.post(format!("{}/v1/enrol", self.base)), request)?).await
    }

    pub async fn push(&self, auth: &str, batch: &PushBatch) -> Result<PushAck, SyncError> {
        let request = self.http.post(format!("{}/v1/push", self.base)).header("authorization", auth);
        self.answer(self.with_body(request, batch)?).await
    }

    pub async fn pull(&self, auth: &str, after: &Cursor) -> Result<PullBatch, SyncError> {
        let url = format!(
            "{}/v1/pull?after={}&link={}{}&protocol={PROTOCOL}&schema={SCHEMA}",
            self.base,
            after.seq,
            after.link,
            after.within.map(|w| format!("&within={w}")).unwrap_or_default()
        );
        self.answer(self.http.get(url).header("authorization", auth)).await
    }

    fn with_body(
        &self,
        request: reqwest::RequestBuilder,
        body: &impl Serialize,
    ) -> Result<reqwest::RequestBuilder, SyncError> {
        let bytes = serde_json::to_vec(body).map_err(|e| SyncError::new("register", e.to_string()))?;
        Ok(request
            .header("content-type", "application/json")
            .header(CHECKSUM_HEADER, protocol::sha256_hex(&bytes))
            .body(bytes))
    }

    pub async fn blob_status(&self, auth: &str, sha: &str) -> Result<BlobStatus, SyncError> {
        self.answer(self.http.get(format!("{}/v1/blob/{sha}/status", self.base)).header("authorization", auth)).await
    }

    /// Sends one part of a file; how much of it the hub holds after.
    pub async fn put_blob(
        &self,
        auth: &str,
        sha: &str,
        offset: u64,
        total: u64,
        part: &[u8],
    ) -> Result<BlobStatus, SyncError> {
        let request = self
            .http
            .put(format!("{}/v1/blob/{sha}?offset={offset}&total={total}", self.base))
            .header("authorization", auth)
            .header("content-type", "application/octet-stream")
            .header(CHECKSUM_HEADER, protocol::sha256_hex(part))
            .body(part.to_vec());
        self.answer(request).await
    }

    /// One part of a file the hub holds, from `offset` (empty: the end).
    pub async fn get_blob(&self, auth: &str, sha: &str, offset: u64) -> Result<Vec<u8>, SyncError> {
        let request =
            self.http.get(format!("{}/v1/blob/{sha}?offset={offset}", self.base)).header("authorization", auth);
        self.checked_bytes(request).await
    }

    /// The answer's body as `T`, checked against its checksum when it carries one;
    /// a refusal as the hub worded it.
    async fn answer<T: DeserializeOwned>(&self, request: reqwest::RequestBuilder) -> Result<T, SyncError> {
        let bytes = self.checked_bytes(request).await?;
        serde_json::from_slice(&bytes).map_err(|e| {
            SyncError::new(
                "bad_answer",
                format!("Risposta del hub {} non comprensibile: {e}. Nulla è stato applicato.", self.base),
            )
        })
    }

    /// The answer's bytes, checked against the checksum it carries; a refusal as the
    /// hub worded it.
    async fn checked_bytes(&self, request: reqwest::RequestBuilder) -> Result<Vec<u8>, SyncError> {
        let response = request.send().await.map_err(|e| self.unreachable(&e))?;
        let status = response.status();
        // An answer without the header and without success is no hub's: said below.
        if let Some(id) = self.id {
            let named = response.headers().get(HUB_ID_HEADER).and_then(|v| v.to_str().ok());
            if named.is_some_and(|n| n != id.to_string()) || (named.is_none() && status.is_success()) {
                return Err(self.other_hub(id, named.unwrap_or("nessuno")));
            }
        }
        let checksum = response.headers().get(CHECKSUM_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let bytes = response.bytes().await.map_err(|e| self.unreachable(&e))?;
        if !status.is_success() {
            return Err(match serde_json::from_slice::<ErrorBody>(&bytes) {
                Ok(body) => SyncError::refused(body),
                Err(_) => SyncError::new(
                    "bad_answer",
                    format!(
                        "Il hub {} ha risposto {status} senza spiegazione: non è un hub Raccordo, o è guasto.",
                        self.base
                    ),
                ),
            });
        }
        if let Some(sum) = checksum
            && sum != protocol::sha256_hex(&bytes)
        {
            return Err(SyncError::new(
                "checksum_mismatch",
                "La risposta del hub è arrivata alterata (il suo SHA-256 non corrisponde): nulla è stato applicato; riprovare.",
            ));
        }
        Ok(bytes.to_vec())
    }

    fn unreachable(&self, e: &reqwest::Error) -> SyncError {
        if let Some(tls) = rustls_cause(e) {
            return self.untrusted(&tls);
        }
        let why = if e.is_timeout() { "tempo scaduto".to_owned() } else { cause_chain(e) };
        // hyper's connector boxes the TLS error as text: recognised by rustls' words.
        if why.contains("invalid peer certificate") {
            return self.untrusted(&why);
        }
        SyncError::new(
            "unreachable",
            format!(
                "Hub {} non raggiungibile ({why}). Il registro resta com'è e funziona anche senza rete: \
                 la sincronizzazione riprende da dove si era fermata alla prossima occasione.",
                self.base
            ),
        )
    }
}

impl Hub {
    fn other_hub(&self, expected: Uuid, answered: &str) -> SyncError {
        SyncError::new(
            "bad_request",
            format!(
                "All'indirizzo {} risponde un altro hub (identificativo {answered}, il registro è collegato a {expected}): \
                 nulla è stato inviato né applicato.",
                self.base
            ),
        )
    }

    fn untrusted(&self, why: &str) -> SyncError {
        SyncError::new(
            "tls",
            format!(
                "Il certificato del hub {} non è affidabile ({why}): se il hub ha un certificato proprio, confrontare \
                 l'impronta con quella che legge l'ufficio che lo ospita e collegarsi con --pin-cert. Nulla è stato inviato.",
                self.base
            ),
        )
    }
}

fn rustls_cause(e: &(dyn std::error::Error + 'static)) -> Option<String> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r.to_string());
        }
        if let Some(io) = err.downcast_ref::<std::io::Error>()
            && let Some(inner) = io.get_ref()
            && let Some(r) = inner.downcast_ref::<rustls::Error>()
        {
            return Some(r.to_string());
        }
        cur = err.source();
    }
    None
}

fn cause_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(err) = cur {
        let s = err.to_string();
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
        cur = err.source();
    }
    parts.join(": ")
}

/// What a hub is, seen before joining it: the window shows it so that a person can
/// compare the certificate's fingerprint with the one the hub's office reads out.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Inspection {
    /// The address as it will be used (trimmed, no trailing slash).
    pub url: String,
    pub hub_id: Uuid,
    /// The system's authorities vouch for the certificate: nothing to pin.
    pub trusted_by_system: bool,
    /// Otherwise the SHA-256 of the certificate the hub presented, to pin once a person
    /// has compared it.
    pub fingerprint: Option<String>,
}

/// Asks the hub at `url` who it is, without a credential: through the system's roots
/// first, and, when they do not vouch for its certificate, taking it only to read its
/// fingerprint (`hello` carries nothing secret). Nothing is written anywhere.
pub async fn inspect(url: &str) -> Result<Inspection, SyncError> {
    let mut system = Hub::new(url, None)?;
    match system.hello().await {
        Ok(hello) => {
            return Ok(Inspection {
                url: system.base,
                hub_id: hello.hub_id,
                trusted_by_system: true,
                fingerprint: None,
            });
        }
        Err(e) if e.code == "tls" => {}
        Err(e) => return Err(e),
    }
    let seen = std::sync::Arc::new(std::sync::Mutex::new(None));
    let config =
        tls::recording(seen.clone()).map_err(|e| SyncError::new("tls", format!("TLS non configurabile: {e}")))?;
    let mut hub = Hub::with_tls(url, config)?;
    let hello = hub.hello().await?;
    let fingerprint = seen.lock().unwrap_or_else(|e| e.into_inner()).take();
    Ok(Inspection { url: hub.base, hub_id: hello.hub_id, trusted_by_system: false, fingerprint })
}

/// What joining did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Joined {
    pub hub_id: Uuid,
    pub installation_id: Uuid,
    pub office_id: Uuid,
    pub office_name: String,
    /// The register was a copy of one the hub knows: it took a new site id first.
    pub new_site: bool,
}

/// Joins the hub at `url` with the one-time `code`: the register becomes an
/// installation of the code's office, its credential goes to the keyring.
pub async fn join(reg: &mut Register, url: &str, code: &str, pin_sha256: Option<&str>) -> Result<Joined, SyncError> {
    if let Some(peer) = reg.peer()? {
        return Err(SyncError::new(
            "bad_request",
            format!(
                "Il registro è già collegato al hub {}: per collegarlo a un altro, prima «raccordo-cli sync leave».",
                peer.hub_url
            ),
        ));
    }
    let code = code.trim();
    if code.is_empty() {
        return Err(SyncError::new(
            "bad_request",
            "Codice di adesione mancante: lo dà chi gestisce il hub («raccordo-hub office add»).",
        ));
    }
    let mut hub = Hub::new(url, pin_sha256)?;
    let hello = hub.hello().await?;
    credential::check_available()?;
    let mut new_site = false;
    let enrolled = loop {
        let request = EnrolRequest {
            protocol: PROTOCOL,
            schema: SCHEMA,
            code: code.to_owned(),
            site: reg.settings().site_id,
            clock: reg.clock_last()?,
            office: reg.settings().office_id,
        };
        match hub.enrol(&request).await {
            // A copy of a register the hub already syncs: as a new installation, it
            // needs a site of its own (the code is not spent by the refusal).
            Err(e) if e.is(Refusal::SiteKnown) && !new_site => {
                reg.become_new_site()?;
                new_site = true;
            }
            other => break other?,
        }
    };
    if enrolled.hub_id != hello.hub_id {
        return Err(SyncError::new("bad_answer", "Il hub ha cambiato identità durante l'adesione: riprovare."));
    }
    reg.check_office(enrolled.office_id)?;
    credential::store(enrolled.hub_id, enrolled.installation_id, &enrolled.secret)?;
    reg.join_peer(&Peer {
        hub_url: hub.url().to_owned(),
        hub_id: enrolled.hub_id,
        installation_id: enrolled.installation_id,
        office_id: enrolled.office_id,
        pin_sha256: pin_sha256.map(str::to_owned),
        pushed_seq: 0,
        pulled_seq: 0,
        pulled_link: String::new(),
        pulled_within: None,
        joined_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        last_sync_at: None,
        last_error: None,
    })?;
    Ok(Joined {
        hub_id: enrolled.hub_id,
        installation_id: enrolled.installation_id,
        office_id: enrolled.office_id,
        office_name: enrolled.office_name,
        new_site,
    })
}

/// Forgets the hub and the credential; the records stay.
pub fn leave(reg: &mut Register) -> Result<(), SyncError> {
    if let Some(peer) = reg.peer()? {
        credential::forget(peer.hub_id, peer.installation_id)?;
        reg.leave_peer()?;
    }
    Ok(())
}

/// Where a sync run is, for a progress line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Progress {
    pub pushed: u64,
    pub pulled: u64,
}

/// What a sync run did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Outcome {
    /// Changes sent that the hub did not hold.
    pub pushed: u64,
    /// Changes received and applied.
    pub applied: u64,
    /// Changes received that this register already held.
    pub already_held: u64,
    /// Changes received and held back, their clock too far ahead.
    pub held_back: u64,
    /// Conflicts waiting for a person after the run.
    pub conflicts: u64,
    /// The hub had been restored from an older copy: everything was sent again.
    pub hub_restored: bool,
    /// Groups the hub stopped sharing with this office during the run.
    pub unshared: u64,
    /// Attachment files sent to the hub, and received from it.
    pub files_sent: u64,
    pub files_received: u64,
}

/// What a person allowed for one run.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RunOptions {
    /// Apply a pull that deletes a large part of the register (see [`LARGE_DELETE`]).
    pub confirm_deletes: bool,
}

/// A pull whose deletes would remove more than this share of the records held (and
/// more than [`LARGE_DELETE_MIN`] records) waits for a person: one office's mistake, or
/// a copy of its register emptied, must not empty every partner's.
pub const LARGE_DELETE: f64 = 0.10;
pub const LARGE_DELETE_MIN: u64 = 10;

/// One sync: push what the hub has not acknowledged, then pull what it has for this
/// office. The outcome, or the error, is noted in the register (`sync status`).
pub async fn run(
    reg: &mut Register,
    options: RunOptions,
    progress: impl FnMut(Progress),
) -> Result<Outcome, SyncError> {
    Syncer::default().run(reg, options, progress).await
}

/// What a register keeps of its hub from one sync to the next, for a program that
/// syncs again and again (the window's background sync): the HTTPS connection stays
/// open, the credential is read from the keyring once, `hello` is asked once, and
/// every answer is checked to name the same hub. After a failed run all of it is
/// made again, so a revoked credential, a hub moved or upgraded, is met at once.
#[derive(Default)]
pub struct Syncer {
    link: Option<Link>,
}

fn not_joined() -> SyncError {
    SyncError::new(
        "bad_request",
        "Il registro non è collegato a un hub: prima «raccordo-cli sync join INDIRIZZO CODICE».",
    )
}

/// A hub as one register's installation of it: the connection, the credential, the
/// limits `hello` announced.
struct Link {
    peer: (Uuid, Uuid, String, Option<String>),
    hub: Hub,
    auth: String,
    limits: protocol::Limits,
}

impl Syncer {
    /// One sync, as [`run`] (which makes a `Syncer` for it).
    pub async fn run(
        &mut self,
        reg: &mut Register,
        options: RunOptions,
        mut progress: impl FnMut(Progress),
    ) -> Result<Outcome, SyncError> {
        let kept = self.link.is_some();
        let mut result = self.run_once(reg, options, &mut progress).await;
        // A kept connection the hub has closed meanwhile (restarted, idle too long)
        // fails its first request: once more on a new one, every step being resumable.
        if kept && result.as_ref().is_err_and(|e| e.code == "unreachable") {
            self.link = None;
            result = self.run_once(reg, options, &mut progress).await;
        }
        let result = match result {
            Err(e) if e.is(Refusal::HubRestored) => {
                reg.restart_cursors()?;
                self.run_once(reg, options, &mut progress).await.map(|o| Outcome { hub_restored: true, ..o })
            }
            other => other,
        };
        if result.is_err() {
            self.link = None;
        }
        reg.note_sync(result.as_ref().err().map(|e| e.message.as_str()))?;
        result
    }

    /// Opens the link to the register's hub without syncing (the window at start, to
    /// know at once whether the hub answers and the keyring holds the credential).
    pub async fn connect(&mut self, reg: &Register) -> Result<(), SyncError> {
        let peer = reg.peer()?.ok_or_else(not_joined)?;
        self.link(&peer).await.map(|_| ())
    }

    /// The link to the hub `peer` names: the one kept, or a new one (the credential from
    /// the keyring, `hello`, the hub's id checked).
    async fn link(&mut self, peer: &Peer) -> Result<&Link, SyncError> {
        let key = (peer.hub_id, peer.installation_id, peer.hub_url.clone(), peer.pin_sha256.clone());
        if self.link.as_ref().is_some_and(|l| l.peer == key) {
            return Ok(self.link.as_ref().expect("just checked"));
        }
        self.link = None;
        let secret = credential::load(peer.hub_id, peer.installation_id)?;
        let mut hub = Hub::new(&peer.hub_url, peer.pin_sha256.as_deref())?;
        let hello = hub.hello().await?;
        if hello.hub_id != peer.hub_id {
            return Err(hub.other_hub(peer.hub_id, &hello.hub_id.to_string()));
        }
        let auth = protocol::bearer(peer.installation_id, &secret);
        Ok(self.link.insert(Link { peer: key, hub, auth, limits: hello.limits }))
    }

    async fn run_once(
        &mut self,
        reg: &mut Register,
        options: RunOptions,
        progress: &mut impl FnMut(Progress),
    ) -> Result<Outcome, SyncError> {
        let peer = reg.peer()?.ok_or_else(not_joined)?;
        let link = self.link(&peer).await?;
        let session = Session { link, site: reg.settings().site_id, pulled_at: peer.pulled_seq, options };
        session.exchange(reg, progress).await
    }
}

impl Session<'_> {
    /// Push, files, pull, files: one run's work on an open link.
    async fn exchange(&self, reg: &mut Register, progress: &mut impl FnMut(Progress)) -> Result<Outcome, SyncError> {
        let mut tally = Tally {
            out: Outcome::default(),
            seen: Progress::default(),
            progress,
            deleting: 0,
            held_before_deletes: None,
        };
        match self.push(reg, &mut tally).await {
            // The hub narrowed a scope this register has not heard of yet: it hears of it
            // by pulling, withholds what it may no longer send, and sends the rest.
            Err(e) if e.is(Refusal::OutOfScope) => {
                self.pull(reg, &mut tally).await?;
                self.push(reg, &mut tally).await?;
            }
            other => other?,
        }
        self.send_files(reg, &mut tally).await?;
        self.pull(reg, &mut tally).await?;
        self.receive_files(reg, &mut tally).await?;
        tally.out.conflicts = reg.conflicts()?.len() as u64;
        Ok(tally.out)
    }
}

/// What a run did so far, and where to tell it.
struct Tally<'p, P: FnMut(Progress)> {
    out: Outcome,
    seen: Progress,
    progress: &'p mut P,
    /// Records held here that the pulled deletes remove, so far in the run.
    deleting: u64,
    /// Records held when the run's first pulled delete arrived: what the large-delete
    /// hold measures against (counted then, not at every run: counting the tables of
    /// a 100k register is most of a sync that has nothing to do).
    held_before_deletes: Option<u64>,
}

impl<P: FnMut(Progress)> Tally<'_, P> {
    fn sent(&mut self, changes: u64) {
        self.seen.pushed += changes;
        (self.progress)(self.seen);
    }

    fn received(&mut self, changes: u64) {
        self.seen.pulled += changes;
        (self.progress)(self.seen);
    }
}

/// One run on a link to the hub.
struct Session<'l> {
    link: &'l Link,
    site: uuid::Uuid,
    /// Where this register had pulled to when the run began.
    pulled_at: i64,
    options: RunOptions,
}

impl Session<'_> {
    /// Sends one batch; the hub's answer, checked for a hub that lost its log.
    async fn send(&self, reg: &Register, changes: Vec<raccordo_register::changelog::Change>) -> Result<u64, SyncError> {
        let batch =
            PushBatch { protocol: PROTOCOL, schema: SCHEMA, site: self.site, clock: reg.clock_last()?, changes };
        let ack = self.link.hub.push(&self.link.auth, &batch).await?;
        // A hub whose log is shorter than where this register pulled to lost it.
        if ack.head.seq < self.pulled_at {
            return Err(SyncError::new(Refusal::HubRestored.as_str(), "Il hub è stato ripristinato da una copia."));
        }
        Ok(ack.accepted)
    }

    /// Push: first what was withheld of groups shared again, then this journal after
    /// the acknowledged row, in batches the hub accepts; each batch's cursor moves only
    /// once the hub has answered.
    async fn push(&self, reg: &mut Register, t: &mut Tally<'_, impl FnMut(Progress)>) -> Result<(), SyncError> {
        let max = self.link.limits.max_batch_changes.max(1);
        for released in reg.released()? {
            for chunk in released.changes.chunks(max) {
                t.out.pushed += self.send(reg, chunk.to_vec()).await?;
                t.sent(chunk.len() as u64);
            }
            reg.forget_withheld(released.group)?;
        }
        loop {
            let pushed_seq = reg.peer()?.map(|p| p.pushed_seq).unwrap_or(0);
            let batch = reg.outgoing(max)?;
            if batch.through_seq == pushed_seq {
                return Ok(());
            }
            let sent = batch.changes.len() as u64;
            if sent > 0 {
                t.out.pushed += self.send(reg, batch.changes.clone()).await?;
            }
            reg.mark_sent(&batch)?;
            t.sent(sent);
        }
    }

    /// The files of attachments sent, each in parts from what the hub already holds,
    /// so that a cut upload resumes.
    async fn send_files(&self, reg: &mut Register, t: &mut Tally<'_, impl FnMut(Progress)>) -> Result<(), SyncError> {
        let part = self.link.limits.max_body_bytes.saturating_sub(64 << 10).clamp(1 << 16, protocol::BLOB_PART_BYTES);
        for sha in reg.blobs_to_send()? {
            let Some(bytes) = reg.reader().blob(&sha)? else { continue };
            let total = bytes.len() as u64;
            let mut status = self.link.hub.blob_status(&self.link.auth, &sha).await?;
            while !status.complete {
                let from = status.have.min(total) as usize;
                let to = (from + part).min(bytes.len());
                let next = self.link.hub.put_blob(&self.link.auth, &sha, from as u64, total, &bytes[from..to]).await?;
                if !next.complete && next.have <= status.have {
                    return Err(SyncError::new(
                        "bad_answer",
                        format!("Il hub non accetta il file {sha} (fermo a {} byte su {total}): riprovare.", next.have),
                    ));
                }
                status = next;
            }
            reg.mark_blob_sent(&sha)?;
            t.out.files_sent += 1;
        }
        Ok(())
    }

    /// The files that received attachments wait for, each downloaded in parts into a
    /// file beside the register (a cut download resumes from it), then checked against
    /// its SHA-256 and kept. A file the hub does not have yet comes at a later sync.
    async fn receive_files(
        &self,
        reg: &mut Register,
        t: &mut Tally<'_, impl FnMut(Progress)>,
    ) -> Result<(), SyncError> {
        let awaited = reg.blobs_awaited()?;
        if awaited.is_empty() {
            return Ok(());
        }
        let parts = std::path::PathBuf::from(format!("{}.parti", reg.path().display()));
        let io = |e: std::io::Error| SyncError::new("file", format!("{}: {e}", parts.display()));
        std::fs::create_dir_all(&parts).map_err(io)?;
        for sha in awaited {
            let path = parts.join(format!("{sha}.part"));
            let mut have = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            loop {
                let bytes = match self.link.hub.get_blob(&self.link.auth, &sha, have).await {
                    Ok(b) => b,
                    Err(e) if e.is(Refusal::NotFound) || e.is(Refusal::OutOfScope) => break,
                    Err(e) => return Err(e),
                };
                if bytes.is_empty() {
                    break;
                }
                let mut f = std::fs::OpenOptions::new().create(true).append(true).open(&path).map_err(io)?;
                std::io::Write::write_all(&mut f, &bytes).map_err(io)?;
                have += bytes.len() as u64;
            }
            if have == 0 {
                continue;
            }
            let whole = std::fs::read(&path).map_err(io)?;
            let kept = reg.receive_file(&sha, &whole);
            let _ = std::fs::remove_file(&path);
            kept?;
            t.out.files_received += 1;
        }
        let _ = std::fs::remove_dir(&parts);
        Ok(())
    }

    /// Pull: the hub's log after the cursor, each batch applied with its cursor.
    async fn pull(&self, reg: &mut Register, t: &mut Tally<'_, impl FnMut(Progress)>) -> Result<(), SyncError> {
        let peer =
            reg.peer()?.ok_or_else(|| SyncError::new("bad_request", "Il registro non è più collegato al hub."))?;
        let mut cursor = Cursor { seq: peer.pulled_seq, link: peer.pulled_link, within: peer.pulled_within };
        loop {
            let batch = self.link.hub.pull(&self.link.auth, &cursor).await?;
            if let Some(refusal) = protocol::version_refusal(batch.protocol, batch.schema) {
                return Err(SyncError::refused(refusal));
            }
            let deleting = reg.deletes_of_held(&batch.changes)?;
            if deleting > 0 {
                let held = match t.held_before_deletes {
                    Some(n) => n,
                    None => *t.held_before_deletes.insert(reg.records_held()?),
                }
                .max(1);
                t.deleting += deleting;
                if !self.options.confirm_deletes
                    && t.deleting > LARGE_DELETE_MIN
                    && t.deleting as f64 > LARGE_DELETE * held as f64
                {
                    return Err(SyncError::new(
                        "deletes_held",
                        format!(
                            "Il hub porta l'eliminazione di {} dei {} record di questo registro ({} %): non è stata applicata, \
                             né ciò che la segue. Controllare con gli uffici partner che sia voluta, poi confermarla \
                             («raccordo-cli sync run --confirm-deletes»).",
                            t.deleting,
                            held,
                            (t.deleting * 100).div_ceil(held)
                        ),
                    ));
                }
            }
            let applied = reg.apply_pulled(&raccordo_register::Pulled {
                changes: &batch.changes,
                seq: batch.next.seq,
                link: &batch.next.link,
                within: batch.next.within,
                shared: &batch.shared,
                unshared: &batch.unshared,
            })?;
            t.out.applied += applied.applied;
            t.out.already_held += applied.already_held;
            t.out.held_back += applied.held_back;
            t.out.unshared += batch.unshared.len() as u64;
            t.received(batch.changes.len() as u64);
            cursor = batch.next;
            if !batch.more {
                return Ok(());
            }
        }
    }
}

/// What `sync status` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    pub peer: Option<Peer>,
    pub changes_waiting: u64,
    pub conflicts: u64,
    pub held_back: u64,
    /// Groups the hub no longer shares with this office.
    pub unshared: u64,
}

pub fn status(reg: &Register) -> Result<Status, SyncError> {
    Ok(Status {
        peer: reg.peer()?,
        changes_waiting: reg.changes_waiting()?,
        conflicts: reg.conflicts()?.len() as u64,
        held_back: reg.held_back()?.len() as u64,
        unshared: reg.unshared_groups()?.len() as u64,
    })
}
