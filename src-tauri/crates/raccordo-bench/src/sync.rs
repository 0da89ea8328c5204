//! raccordo-sync-bench: sync between offices through a real hub process (HTTPS on
//! loopback, its own self-signed certificate, pinned), with the credentials in the
//! session's Secret Service, side by side in one run with the reference: PouchDB
//! replicating the same number of agreement-like records between two CouchDB-protocol
//! servers (`../shared/bench/pouchdb/run.sh`).
//!
//! For each scale: `n` agreements with their parties go from one register through the
//! hub into a second installation of the same office (which therefore receives them
//! all): pushed, stored by the hub, pulled, validated, journaled and indexed for search.
//! Then a no-op sync, and the hub's memory. Last, `--offices` offices of the directory
//! join the loaded hub and sync small changes at the same instant, round after round.
//! Prints Markdown for the README; asserts only that every record arrived.
//!
//!   scripts/sync-bench [--scales 10000,100000] [--offices 200]

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use raccordo_bench::{ms, quantile, timed};
use raccordo_demo::{Extent, generate_with};
use raccordo_register::{Agreement, Kind, Party, PartyRole, Register, search};
use raccordo_sync::client::{self, RunOptions, Syncer};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier, mpsc};
use std::time::{Duration, Instant};
use uuid::Uuid;

#[derive(Parser)]
#[command(about = "Benchmark della sincronizzazione tra uffici attraverso un hub reale")]
struct Args {
    /// Numbers of agreements sent from one register to another, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    scales: Vec<u64>,
    /// Offices syncing small changes at the same instant, against the last scale's hub.
    #[arg(long, default_value_t = 200)]
    offices: usize,
    /// Rounds of those syncs (each office: one new agreement with two parties, then a sync).
    #[arg(long, default_value_t = 5)]
    rounds: usize,
    /// No-op syncs timed per scale.
    #[arg(long, default_value_t = 30)]
    noops: usize,
    /// The reference benchmark's script, run with the largest scale; `none` skips it.
    #[arg(long, default_value = "../shared/bench/pouchdb/run.sh")]
    pouchdb: String,
}

const OFFICE: &str = "Prefettura di Lucca";

fn main() {
    let args = Args::parse();
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!("Nessuna sessione D-Bus con un portachiavi: avviare il benchmark con scripts/sync-bench.");
        std::process::exit(2);
    }
    let hub_bin = std::env::current_exe().expect("own path").with_file_name("raccordo-hub");
    if !hub_bin.exists() {
        eprintln!("{} manca: cargo build --release -p raccordo-hub (scripts/sync-bench lo fa).", hub_bin.display());
        std::process::exit(2);
    }
    let largest = args.scales.iter().copied().max().unwrap_or(100_000);
    let reference = (args.pouchdb != "none").then(|| pouchdb(&args.pouchdb, largest));

    let mut rows = Vec::new();
    let mut last_hub = None;
    for &n in &args.scales {
        let (row, hub) = transfer(&hub_bin, n, args.noops);
        rows.push(row);
        last_hub = Some(hub);
    }
    let hub = last_hub.expect("at least one scale");
    let offices = (args.offices > 0).then(|| many_offices(&hub, args.offices, args.rounds));

    println!();
    println!("| figure | Raccordo | PouchDB (reference, {} records) | ratio | target |", thousands(largest));
    println!("|---|---|---|---|---|");
    let big = rows.iter().find(|r| r.agreements == largest).expect("the largest scale");
    let reference_rate = reference.as_ref().map(|r| r.rate);
    println!(
        "| records per second, one register through the hub into another ({} agreements, {} records) | {} | {} | {} | ≥ 10× |",
        thousands(big.agreements),
        thousands(big.records),
        thousands(big.rate() as u64),
        reference_rate.map(|r| thousands(r as u64)).unwrap_or_else(|| "—".into()),
        reference_rate.map(|r| format!("{:.1}×", big.rate() / r)).unwrap_or_else(|| "—".into()),
    );
    for (what, noop) in [
        ("no-op sync on the link the window keeps (median, p95)", &big.noop),
        ("no-op sync as `raccordo-cli sync run`: new connection, keyring, hello (median, p95)", &big.noop_fresh),
    ] {
        println!(
            "| {what} | {} ({}) | {} | {} | < 5 ms |",
            ms(quantile(noop, 0.5)),
            ms(quantile(noop, 0.95)),
            reference.as_ref().map(|r| format!("{} ms", r.noop_ms)).unwrap_or_else(|| "—".into()),
            reference
                .as_ref()
                .map(|r| format!("{:.2}×", quantile(noop, 0.5).as_secs_f64() * 1000.0 / r.noop_ms))
                .unwrap_or_else(|| "—".into()),
        );
    }
    if let Some(o) = &offices {
        println!(
            "| {} offices syncing small changes at the same instant ({} rounds of it): sync p50, p99 | {}, {} | | | p99 < 250 ms |",
            o.offices,
            o.rounds,
            ms(quantile(&o.runs, 0.5)),
            ms(quantile(&o.runs, 0.99)),
        );
        println!(
            "| the same: each request as the hub timed it, p50, p99 | {} ms, {} ms | | | |",
            quantile_ms(&o.hub_ms, 0.5),
            quantile_ms(&o.hub_ms, 0.99),
        );
    }
    println!();
    println!(
        "| agreements | records | generated | push | hub stores → pull, applied | rate | hub memory, peak | hub file |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} | {} | {} records/s | {} MB | {} MB |",
            thousands(r.agreements),
            thousands(r.records),
            ms(r.generated),
            ms(r.push),
            ms(r.pull),
            thousands(r.rate() as u64),
            r.hub_peak_kib / 1024,
            r.hub_file_bytes / 1_000_000,
        );
    }
    if let Some(o) = &offices {
        println!();
        println!(
            "{} offices joined a hub holding {} agreements (first syncs: median {}, slowest {}); per round, every office \
             registers one agreement with two parties, then all sync at once: the slowest round took {}. Every office ended \
             holding the {} agreements its neighbour shared with it.",
            o.offices,
            thousands(largest),
            ms(quantile(&o.first, 0.5)),
            ms(quantile(&o.first, 1.0)),
            ms(o.slowest_round),
            o.rounds,
        );
    }
}

/// A hub process: `init --self-signed 127.0.0.1`, then `serve` on a free port.
struct Hub {
    bin: PathBuf,
    dir: tempfile::TempDir,
    child: Child,
    url: String,
    pin: String,
    log: PathBuf,
}

impl Hub {
    fn start(bin: &Path) -> Hub {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = Command::new(bin).arg("--data").arg(dir.path()).args(["init", "--self-signed", "127.0.0.1"]).output();
        assert!(out.expect("raccordo-hub init").status.success(), "raccordo-hub init failed");
        let port = std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("port").port();
        let log = dir.path().join("serve.log");
        let file = std::fs::File::create(&log).expect("hub log");
        let child = Command::new(bin)
            .arg("--data")
            .arg(dir.path())
            // Every office of the bench comes from 127.0.0.1, and requests before a
            // credential (`hello`) are limited per address: 600 a minute is one office's
            // allowance, not two hundred's.
            .args(["serve", "--listen", &format!("127.0.0.1:{port}"), "--rate", "100000"])
            .stdout(file.try_clone().expect("log"))
            .stderr(file)
            .spawn()
            .expect("raccordo-hub serve");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "the hub did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        let pem = std::fs::read_to_string(dir.path().join("cert.pem")).expect("the hub's certificate");
        let pin = client::tls::fingerprint_of_pem(&pem).expect("a PEM certificate");
        Hub { bin: bin.to_owned(), dir, child, url: format!("https://127.0.0.1:{port}"), pin, log }
    }

    /// A one-time enrolment code for one more installation of `office`.
    fn code_for(&self, office: &str) -> String {
        let out = Command::new(&self.bin).arg("--data").arg(self.dir.path()).args(["office", "add", office]).output();
        let out = out.expect("raccordo-hub office add");
        assert!(out.status.success(), "office add {office}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).lines().last().expect("a code").trim().to_owned()
    }

    /// The hub's peak resident memory so far, in KiB (`VmHWM`).
    fn peak_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }

    fn file_bytes(&self) -> u64 {
        ["hub.sqlite", "hub.sqlite-wal"]
            .iter()
            .filter_map(|f| std::fs::metadata(self.dir.path().join(f)).ok())
            .map(|m| m.len())
            .sum()
    }

    fn log_len(&self) -> u64 {
        std::fs::metadata(&self.log).map(|m| m.len()).unwrap_or(0)
    }

    /// The milliseconds of each push and pull the hub logged after byte `from` of its log.
    fn request_ms_since(&self, from: u64) -> Vec<u64> {
        let mut text = String::new();
        let mut f = std::fs::File::open(&self.log).expect("hub log");
        std::io::Seek::seek(&mut f, std::io::SeekFrom::Start(from)).expect("seek");
        f.read_to_string(&mut text).expect("hub log");
        text.lines()
            .filter(|l| l.contains(" /v1/push ") || l.contains(" /v1/pull "))
            .filter_map(|l| l.split(' ').find_map(|w| w.strip_suffix("ms")?.parse().ok()))
            .collect()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime")
}

fn join(rt: &tokio::runtime::Runtime, reg: &mut Register, hub: &Hub, office: &str) {
    let code = hub.code_for(office);
    rt.block_on(client::join(reg, &hub.url, &code, Some(&hub.pin))).expect("join");
}

/// One sync as `raccordo-cli sync run` makes it: a new connection, the credential from
/// the keyring, `hello`.
fn sync(rt: &tokio::runtime::Runtime, reg: &mut Register) -> client::Outcome {
    rt.block_on(client::run(reg, RunOptions::default(), |_| {})).expect("sync run")
}

/// One sync as the window makes them, one after another: on the link it keeps.
fn sync_on(rt: &tokio::runtime::Runtime, reg: &mut Register, kept: &mut Syncer) -> client::Outcome {
    rt.block_on(kept.run(reg, RunOptions::default(), |_| {})).expect("sync run")
}

struct Transfer {
    agreements: u64,
    records: u64,
    generated: Duration,
    push: Duration,
    pull: Duration,
    /// No-op syncs on the link the receiver keeps (the window), and each a new one (the CLI).
    noop: Vec<Duration>,
    noop_fresh: Vec<Duration>,
    hub_peak_kib: u64,
    hub_file_bytes: u64,
}

impl Transfer {
    /// Records per second from the first byte pushed to the last record applied.
    fn rate(&self) -> f64 {
        self.records as f64 / (self.push + self.pull).as_secs_f64()
    }
}

fn count(reg: &Register, table: &str) -> u64 {
    reg.reader().connection().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).expect("count")
}

fn transfer(hub_bin: &Path, n: u64, noops: usize) -> (Transfer, Hub) {
    eprintln!("{}: generating, pushing, pulling…", thousands(n));
    let hub = Hub::start(hub_bin);
    let dir = tempfile::tempdir().expect("temporary folder");
    let rt = runtime();
    let mut sender = Register::open(dir.path().join("sender.db")).expect("sender register");
    let (generated, stats) =
        timed(|| generate_with(&mut sender, n, 7, "S", Extent::AgreementsAndParties).expect("generate"));
    let records = count(&sender, "agreement") + count(&sender, "party");
    assert_eq!(records, stats.records, "the generator's count");
    join(&rt, &mut sender, &hub, OFFICE);
    let (push, pushed) = timed(|| sync(&rt, &mut sender));
    assert_eq!(pushed.pushed, records, "every record pushed once");

    let mut receiver = Register::open(dir.path().join("receiver.db")).expect("receiver register");
    join(&rt, &mut receiver, &hub, OFFICE);
    let mut kept = Syncer::default();
    let (pull, pulled) = timed(|| sync_on(&rt, &mut receiver, &mut kept));
    assert_eq!(pulled.applied, records, "every record applied once");
    assert_eq!(count(&receiver, "agreement") + count(&receiver, "party"), records, "the receiver holds them all");
    let (last_id, last_number): (Uuid, String) = receiver
        .reader()
        .connection()
        .query_row("SELECT id, number FROM agreement ORDER BY id DESC LIMIT 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("the last agreement");
    let found = search::search(&receiver.reader(), &last_number, &[Kind::Agreement], 5).expect("search");
    assert!(found.iter().any(|h| h.id == last_id), "the last agreement found by its number in the receiver");
    raccordo_register::verify::register(receiver.connection())
        .and_then(|v| v.into_result())
        .expect("the receiver's history verifies");

    let mut noop_with = |run: &mut dyn FnMut(&mut Register) -> client::Outcome| -> Vec<Duration> {
        (0..noops)
            .map(|_| {
                let (d, o) = timed(|| run(&mut receiver));
                assert_eq!((o.pushed, o.applied), (0, 0), "a no-op sync moves nothing");
                d
            })
            .collect()
    };
    let noop = noop_with(&mut |reg| sync_on(&rt, reg, &mut kept));
    let noop_fresh = noop_with(&mut |reg| sync(&rt, reg));
    let row = Transfer {
        agreements: n,
        records,
        generated,
        push,
        pull,
        noop,
        noop_fresh,
        hub_peak_kib: hub.peak_kib(),
        hub_file_bytes: hub.file_bytes(),
    };
    eprintln!(
        "  {} records: push {}, pull {}, no-op {} (new connection {}), hub peak {} MB",
        thousands(records),
        ms(push),
        ms(pull),
        ms(quantile(&row.noop, 0.5)),
        ms(quantile(&row.noop_fresh, 0.5)),
        row.hub_peak_kib / 1024
    );
    (row, hub)
}

struct Offices {
    offices: usize,
    rounds: usize,
    first: Vec<Duration>,
    runs: Vec<Duration>,
    hub_ms: Vec<u64>,
    slowest_round: Duration,
}

/// What one office thread reports.
enum Report {
    Joined(Duration),
    Synced(Duration),
    /// The agreements the office holds at the end, its own and those shared with it.
    Holds(u64),
}

fn many_offices(hub: &Hub, offices: usize, rounds: usize) -> Offices {
    eprintln!("{offices} offices joining…");
    let dir = tempfile::tempdir().expect("temporary folder");
    // One empty register, copied: each copy takes a site of its own before joining.
    let template = dir.path().join("template.db");
    let comuni: Vec<(Uuid, String)> = {
        let reg = Register::open(&template).expect("template register");
        let mut stmt = reg
            .reader()
            .connection()
            .prepare("SELECT id, name FROM administration WHERE kind = 'comune' ORDER BY seat_istat_code LIMIT ?1")
            .expect("comuni");
        stmt.query_map([offices as i64], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("comuni")
            .collect::<rusqlite::Result<_>>()
            .expect("comuni")
    };
    let codes: Vec<String> = comuni.iter().map(|(id, _)| hub.code_for(&id.to_string())).collect();
    let barrier = Arc::new(Barrier::new(comuni.len() + 1));
    let keyring = Arc::new(std::sync::Mutex::new(()));
    let (tx, rx) = mpsc::channel();
    let mut threads = Vec::new();
    for (i, code) in codes.into_iter().enumerate() {
        let path = dir.path().join(format!("office-{i}.db"));
        std::fs::copy(&template, &path).expect("copy of the empty register");
        let (own, next) = (comuni[i].0, comuni[(i + 1) % comuni.len()].0);
        let (url, pin, barrier, tx, keyring) =
            (hub.url.clone(), hub.pin.clone(), barrier.clone(), tx.clone(), keyring.clone());
        threads.push(std::thread::spawn(move || {
            let rt = runtime();
            let mut reg = Register::open(&path).expect("office register");
            reg.become_new_site().expect("a site of its own");
            // Each office syncs as its window would, on the link it keeps. Joining and
            // opening the link touch the keyring: one office at a time, since GNOME
            // Keyring on one D-Bus session does not survive 200 at once (on their own
            // PCs, each office has its own).
            let mut kept = Syncer::default();
            let (d, _) = timed(|| {
                {
                    let _one = keyring.lock().unwrap_or_else(|p| p.into_inner());
                    rt.block_on(client::join(&mut reg, &url, &code, Some(&pin))).expect("join");
                    rt.block_on(kept.connect(&reg)).expect("link to the hub");
                }
                sync_on(&rt, &mut reg, &mut kept)
            });
            tx.send(Report::Joined(d)).expect("report");
            for round in 0..rounds {
                reg.write(|w| {
                    let a = w.create(Agreement::draft(
                        &format!("U{i}-{round}"),
                        "Protocollo d'intesa per la gestione associata dei servizi digitali",
                    ))?;
                    w.create(Party::new(a.id, own, PartyRole::Capofila))?;
                    w.create(Party::new(a.id, next, PartyRole::Aderente))?;
                    Ok(())
                })
                .expect("a small change");
                barrier.wait();
                let (d, _) = timed(|| sync_on(&rt, &mut reg, &mut kept));
                tx.send(Report::Synced(d)).expect("report");
                barrier.wait();
            }
            // The last round's changes of the neighbour.
            sync_on(&rt, &mut reg, &mut kept);
            let held: u64 = reg
                .reader()
                .connection()
                .query_row("SELECT count(*) FROM agreement WHERE number LIKE 'U%'", [], |r| r.get(0))
                .expect("count");
            tx.send(Report::Holds(held)).expect("report");
        }));
    }
    drop(tx);
    let mut first = Vec::new();
    while first.len() < comuni.len() {
        match rx.recv().expect("an office thread") {
            Report::Joined(d) => first.push(d),
            _ => unreachable!("every office joins first"),
        }
    }
    eprintln!("  joined; {rounds} rounds…");
    let log_from = hub.log_len();
    let mut runs = Vec::new();
    let mut slowest_round = Duration::ZERO;
    for _ in 0..rounds {
        barrier.wait();
        let started = Instant::now();
        barrier.wait();
        slowest_round = slowest_round.max(started.elapsed());
    }
    let mut held = Vec::new();
    for report in rx {
        match report {
            Report::Synced(d) => runs.push(d),
            Report::Holds(n) => held.push(n),
            Report::Joined(_) => unreachable!("joined before"),
        }
    }
    for t in threads {
        t.join().expect("an office thread");
    }
    assert!(held.iter().all(|&n| n == 2 * rounds as u64), "every office holds its own and its neighbour's: {held:?}");
    let hub_ms = hub.request_ms_since(log_from);
    Offices { offices: comuni.len(), rounds, first, runs, hub_ms, slowest_round }
}

fn quantile_ms(samples: &[u64], q: f64) -> u64 {
    let mut s = samples.to_vec();
    s.sort_unstable();
    s.get(((s.len().max(1) - 1) as f64 * q).round() as usize).copied().unwrap_or(0)
}

struct Reference {
    rate: f64,
    noop_ms: f64,
}

/// Runs the reference benchmark and reads its "name value unit" lines.
fn pouchdb(script: &str, n: u64) -> Reference {
    eprintln!("PouchDB reference, {} records…", thousands(n));
    let mut child = Command::new("bash")
        .arg(script)
        .arg(n.to_string())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{script}: {e}"));
    let mut figures = std::collections::HashMap::new();
    for line in std::io::BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let line = line.expect("the reference's output");
        eprintln!("  {line}");
        let mut words = line.split_whitespace();
        if let (Some(name), Some(value)) = (words.next(), words.next())
            && let Ok(v) = value.parse::<f64>()
        {
            figures.insert(name.to_owned(), v);
        }
    }
    assert!(child.wait().expect("the reference").success(), "{script} failed");
    Reference { rate: figures["replicate_rate"], noop_ms: figures["noop_resync_ms"] }
}

/// "100,000", as the README's figures are written (the register's messages use a dot).
fn thousands(n: u64) -> String {
    raccordo_register::words::number(n).replace('.', ",")
}
