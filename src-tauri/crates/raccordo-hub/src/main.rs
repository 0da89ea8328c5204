//! `raccordo-hub`: the sync hub any office can host. Headless; every message in Italian.

use clap::{Parser, Subcommand};
use raccordo_hub::server::{self, CODE_VALID_DAYS, Hub};
use raccordo_hub::sqlite::SqliteStore;
use raccordo_hub::store::HubStore;
use raccordo_hub::{offices, tls};
use raccordo_sync::protocol::Limits;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "raccordo-hub", version, about = "Il hub di sincronizzazione di Raccordo tra gli uffici.")]
struct Cli {
    /// The hub's folder: its SQLite file, its certificate and key.
    #[arg(long, value_name = "DIR")]
    data: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Creates the hub in DIR (and, with --self-signed, its certificate).
    Init {
        /// Makes a self-signed certificate for this host name or address.
        #[arg(long, value_name = "HOST")]
        self_signed: Option<String>,
    },
    /// Serves HTTPS on ADDR until SIGTERM or Ctrl-C.
    Serve {
        #[arg(long, value_name = "ADDR", default_value = "0.0.0.0:8443")]
        listen: String,
        /// Certificate chain (PEM); by default DIR/cert.pem.
        #[arg(long, value_name = "FILE")]
        cert: Option<PathBuf>,
        /// Private key (PEM); by default DIR/key.pem.
        #[arg(long, value_name = "FILE")]
        key: Option<PathBuf>,
        /// Largest request body, in MiB.
        #[arg(long, default_value_t = 8)]
        max_body_mib: usize,
        /// Most changes in one pushed or pulled batch.
        #[arg(long, default_value_t = 2000)]
        max_batch: usize,
        /// Requests per minute allowed to one installation (or one address).
        #[arg(long, default_value_t = 600)]
        rate: u32,
        /// Largest attachment file, in MiB.
        #[arg(long, default_value_t = 64)]
        max_attachment_mib: u64,
        /// Minutes between two purges of deleted records (as `purge` does); 0: never.
        #[arg(long, default_value_t = 60)]
        purge_every_min: u64,
    },
    /// Empties what the log keeps of deleted records that every installation that
    /// could hold them has acknowledged; says what still waits, and for whom.
    Purge,
    /// The offices that sync through this hub.
    Office {
        #[command(subcommand)]
        action: OfficeAction,
    },
    /// Offices, installations, last contact, records, conflicts waiting.
    Status,
}

#[derive(Subcommand)]
enum OfficeAction {
    /// Registers an office and prints a one-time enrolment code (valid 7 days) as the
    /// last line; again for the same office, a code for one more installation.
    Add {
        administration: String,
    },
    List,
    /// Stops every installation of the office from syncing.
    Revoke {
        administration: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("raccordo-hub: {e}");
            ExitCode::FAILURE
        }
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn run(cli: Cli) -> Result<(), String> {
    let dir = cli.data.as_path();
    match cli.command {
        Command::Init { self_signed } => init(dir, self_signed.as_deref()),
        Command::Serve { listen, cert, key, max_body_mib, max_batch, rate, max_attachment_mib, purge_every_min } => {
            let limits = Limits {
                max_body_bytes: max_body_mib.max(1) << 20,
                max_batch_changes: max_batch.max(1),
                max_pull_changes: max_batch.max(1),
                requests_per_minute: rate.max(1),
                max_attachment_bytes: max_attachment_mib.max(1) << 20,
            };
            serve(dir, &listen, cert, key, limits, purge_every_min)
        }
        Command::Purge => {
            let purged = SqliteStore::open(dir).and_then(|s| s.purge()).map_err(|e| e.message)?;
            print_purged(&purged);
            Ok(())
        }
        Command::Office { action } => {
            let store = SqliteStore::open(dir).map_err(|e| e.message)?;
            match action {
                OfficeAction::Add { administration } => office_add(&store, &administration),
                OfficeAction::List => office_list(&store),
                OfficeAction::Revoke { administration } => {
                    let a = resolve_office(&store, &administration)?;
                    if store.revoke(a.id, &now()).map_err(|e| e.message)? {
                        println!("Ufficio {} revocato: le sue installazioni non sincronizzano più.", a.name);
                        Ok(())
                    } else {
                        Err(format!("L'ufficio {} non è registrato su questo hub, o è già revocato.", a.name))
                    }
                }
            }
        }
        Command::Status => status(&SqliteStore::open(dir).map_err(|e| e.message)?),
    }
}

fn init(dir: &Path, self_signed: Option<&str>) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    if let Some(host) = self_signed
        && (dir.join("cert.pem").exists() || dir.join("key.pem").exists())
    {
        return Err(format!("In {} ci sono già cert.pem o key.pem ({host}): non li sovrascrivo.", dir.display()));
    }
    let store = SqliteStore::create(dir).map_err(|e| e.message)?;
    let id = store.identity().map_err(|e| e.message)?;
    println!("Hub creato in {} (identificativo {}).", dir.display(), id.hub_id);
    if let Some(host) = self_signed {
        let fingerprint = tls::make_self_signed(dir, host)?;
        println!("Certificato autofirmato per {host}: {}", dir.join("cert.pem").display());
        println!(
            "Impronta SHA-256 (da leggere agli uffici che aderiscono): {}",
            raccordo_sync::protocol::grouped_fingerprint(&fingerprint)
        );
    }
    Ok(())
}

fn serve(
    dir: &Path,
    listen: &str,
    cert: Option<PathBuf>,
    key: Option<PathBuf>,
    limits: Limits,
    purge_every_min: u64,
) -> Result<(), String> {
    let store: Arc<dyn HubStore> = Arc::new(SqliteStore::open(dir).map_err(|e| e.message)?);
    let cert = cert.unwrap_or_else(|| dir.join("cert.pem"));
    let key = key.unwrap_or_else(|| dir.join("key.pem"));
    if !cert.exists() || !key.exists() {
        return Err(format!(
            "Certificato o chiave mancanti ({}, {}): indicarli con --cert e --key, o crearli con «init --self-signed HOST». \
             Il hub serve solo HTTPS.",
            cert.display(),
            key.display()
        ));
    }
    let (config, fingerprint) = tls::server_config(&cert, &key)?;
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| format!("{listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let id = store.identity().map_err(|e| e.message)?;
        println!(
            "{} hub {} in ascolto su https://{addr} (certificato {})",
            now(),
            id.hub_id,
            raccordo_sync::protocol::grouped_fingerprint(&fingerprint)
        );
        if purge_every_min > 0 {
            tokio::spawn(purge_now_and_then(store.clone(), std::time::Duration::from_secs(purge_every_min * 60)));
        }
        let hub = Arc::new(Hub::new(store, limits, dir.join("blobs")).map_err(|e| e.message)?);
        server::serve(listener, config, hub, shutdown_signal(), std::time::Duration::from_secs(30)).await;
        Ok(())
    })
}

/// Purges at start and every `every`, each time off the request threads, one log line
/// when something was purged.
async fn purge_now_and_then(store: Arc<dyn HubStore>, every: std::time::Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        let s = store.clone();
        match tokio::task::spawn_blocking(move || s.purge()).await {
            Ok(Ok(p)) if p.changes > 0 => println!(
                "{} pulizia: {} record eliminati senza più storia, {} del tutto; {} voci svuotate ({} byte); {} in attesa",
                now(),
                p.histories,
                p.tombstones,
                p.changes,
                p.bytes,
                p.waiting
            ),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => println!("{} pulizia non riuscita: {e}", now()),
            Err(e) => println!("{} pulizia interrotta: {e}", now()),
        }
    }
}

fn print_purged(p: &raccordo_hub::store::Purged) {
    println!("Record eliminati di cui è stata tolta la storia: {}", p.histories);
    println!("Record eliminati tolti del tutto, eliminazione compresa: {}", p.tombstones);
    println!("Voci del registro del hub svuotate: {} ({} byte).", p.changes, p.bytes);
    if p.waiting == 0 {
        return;
    }
    println!(
        "Record eliminati in attesa: {}. Si puliscono quando tutte le installazioni che potrebbero averli hanno ricevuto \
         l'eliminazione; mancano:",
        p.waiting
    );
    for w in &p.held_back_by {
        let revoked = if w.revoked { ", revocata: può essere riammessa" } else { "" };
        println!(
            "- {} ({}): ricevuto fino a {}, ultimo contatto {}{revoked}",
            w.installation,
            w.office,
            w.acked_seq,
            w.last_contact.as_deref().unwrap_or("mai")
        );
    }
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

fn resolve_office(store: &SqliteStore, key: &str) -> Result<raccordo_register::Administration, String> {
    offices::resolve(store, key)
}

fn office_add(store: &SqliteStore, key: &str) -> Result<(), String> {
    let a = resolve_office(store, key)?;
    let now = chrono::Utc::now();
    let stamp = now.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    store.add_office(a.id, &a.name, &stamp).map_err(|e| e.message)?;
    let code = server::new_code();
    let expires = now + chrono::Duration::days(CODE_VALID_DAYS);
    store
        .add_code(
            a.id,
            &server::code_hash(&code),
            &stamp,
            &expires.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        )
        .map_err(|e| e.message)?;
    println!("Ufficio: {} ({})", a.name, a.id);
    println!(
        "Codice di adesione per una installazione, valido fino al {} (il hub ne conserva solo l'impronta):",
        expires.with_timezone(&chrono::Local).format("%d/%m/%Y %H:%M")
    );
    println!("{code}");
    Ok(())
}

fn office_list(store: &SqliteStore) -> Result<(), String> {
    let list = store.offices(&now()).map_err(|e| e.message)?;
    if list.is_empty() {
        println!("Nessun ufficio registrato: «raccordo-hub --data DIR office add ENTE».");
    }
    for o in list {
        let state = if o.office.revoked_at.is_some() { "revocato" } else { "attivo" };
        println!(
            "{}\t{}\t{state}\t{} installazioni\t{} codici aperti",
            o.office.id,
            o.office.name,
            o.installations.len(),
            o.codes_open
        );
    }
    Ok(())
}

fn status(store: &SqliteStore) -> Result<(), String> {
    let id = store.identity().map_err(|e| e.message)?;
    let totals = store.totals().map_err(|e| e.message)?;
    let list = store.offices(&now()).map_err(|e| e.message)?;
    println!("Hub {} (epoca {})", id.hub_id, id.epoch);
    println!("Record: {}; modifiche nel registro del hub: {}", totals.records, totals.changes);
    println!("Record eliminati in attesa di pulizia: {} («raccordo-hub purge» dice per chi)", totals.purge_waiting);
    println!("Uffici: {}", list.len());
    for o in list {
        let state = if o.office.revoked_at.is_some() { " (revocato)" } else { "" };
        println!("- {}{state}: {} installazioni", o.office.name, o.installations.len());
        for i in o.installations {
            println!(
                "  {}  ultimo contatto {}  conflitti in attesa {}",
                i.id,
                i.last_contact.as_deref().unwrap_or("mai"),
                i.conflicts
            );
        }
    }
    Ok(())
}
