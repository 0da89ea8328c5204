//! raccordo-bench: the register at scale. For each scale it generates a realistic
//! register (see raccordo-demo's generator) and reports medians and p95 of what a
//! person waits for, each beside the same work done by plain SQLite in the same run
//! (`baseline`) and the ratio of the two: the ratio is what travels between machines.
//! Prints a Markdown table for the README; asserts nothing.
//!
//!   cargo run --release -p raccordo-bench -- --scales 10000,100000

// mimalloc, as in raccordo-cli (the reason is given there): the bench times the same bulk load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod baseline;

use chrono::NaiveDate;
use clap::Parser;
use raccordo_bench::{ms, quantile, timed};
use raccordo_register::query::{self, AgreementFilter, AgreementSort};
use raccordo_register::{AgreementStatus, Kind, Register, search};
use std::time::Duration;
use uuid::Uuid;

#[derive(Parser)]
#[command(about = "Benchmark del registro a 10k e 100k protocolli")]
struct Args {
    /// Numbers of agreements to generate, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "10000,100000")]
    scales: Vec<u64>,
    /// Times the whole register is generated anew, per scale (median reported).
    #[arg(long, default_value_t = 3)]
    builds: usize,
    /// Repetitions of each query.
    #[arg(long, default_value_t = 200)]
    queries: usize,
}

struct Figures {
    name: &'static str,
    target: &'static str,
    samples: Vec<Duration>,
    /// The same work by plain SQLite, timed in turns with `samples`.
    plain: Vec<Duration>,
    /// What the plain work is.
    plain_is: &'static str,
}

const QUERIES: [&str; 10] = [
    "banche dati",
    "protezione civile",
    "fatturazione elettronica",
    "citta",
    "identita digitale",
    "sportello unico imprese",
    "open data",
    "tutela territorio montano",
    "pagamenti",
    "conservazione documentale",
];

fn main() {
    let args = Args::parse();
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).expect("date");
    println!("# raccordo-bench — register");
    println!();
    println!(
        "Machine: {} cores; builds per scale: {}; queries per figure: {}.",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        args.builds,
        args.queries
    );
    for &n in &args.scales {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut figures = Vec::new();

        // Generating and storing: each build in a fresh file, the directory loaded first
        // (as at a first start), then timed from the first agreement to the last commit.
        let mut builds = Vec::new();
        let mut closes = Vec::new();
        let (mut plain_builds, mut plain_closes) = (Vec::new(), Vec::new());
        let mut rows: Option<baseline::Rows> = None;
        let mut records = 0;
        let path = dir.path().join("registro.raccordo");
        for b in 0..args.builds {
            let p = dir.path().join(format!("build{b}.raccordo"));
            let mut reg = Register::open(&p).expect("open");
            let (d, stats) = timed(|| raccordo_demo::generate(&mut reg, n, 7, "B").expect("generate"));
            builds.push(d);
            records = stats.records;
            // Committed is stored; the rest of the log is copied into the file in the
            // background and at close, timed here so that nothing is hidden.
            if rows.is_none() {
                rows = Some(baseline::Rows::read(reg.connection()).expect("read the rows"));
            }
            closes.push(timed(|| drop(reg)).0);
            if b == 0 {
                std::fs::rename(&p, &path).expect("keep the first build");
                // Written to disk now, so that the kernel's writeback of this file does
                // not compete with the next build (it slowed every build after the first).
                std::fs::File::open(&path).and_then(|f| f.sync_all()).expect("sync the kept build");
            } else {
                std::fs::remove_file(&p).ok();
            }
            for ext in ["-wal", "-shm"] {
                std::fs::remove_file(format!("{}{ext}", p.display())).ok();
            }
            // In turns with the register's build: the same rows into plain tables.
            let plain = dir.path().join(format!("plain{b}.sqlite"));
            let (stored, closed) = rows.as_ref().expect("rows").store(&plain).expect("plain store");
            plain_builds.push(stored);
            plain_closes.push(closed);
            std::fs::remove_file(&plain).ok();
            for ext in ["-wal", "-shm"] {
                std::fs::remove_file(format!("{}{ext}", plain.display())).ok();
            }
        }
        // The rows a build writes, beside the directory every register has.
        let plain_rows = rows.map(|r| r.count()).unwrap_or(0);
        figures.push(Figures {
            name: "generate and store the register",
            target: if n >= 100_000 { "< 10 s" } else { "" },
            samples: builds,
            plain: plain_builds,
            plain_is: "the same rows INSERTed, one transaction",
        });
        figures.push(Figures {
            name: "then close (the rest of the log copied into the file)",
            target: "",
            samples: closes,
            plain: plain_closes,
            plain_is: "closing that file",
        });

        // Opening and the first page by expiry, as the window does at start.
        let (mut opens, mut plain_opens) = (Vec::new(), Vec::new());
        for _ in 0..21 {
            let (d, _) = timed(|| {
                let reg = Register::open(&path).expect("open");
                query::agreements(&reg.reader(), &AgreementFilter::default(), AgreementSort::Expiry, today, 0, 50)
                    .expect("page")
            });
            opens.push(d);
            let (d, _) = timed(|| {
                let conn = baseline::open(&path).expect("open");
                baseline::first_page(&conn).expect("page")
            });
            plain_opens.push(d);
        }
        figures.push(Figures {
            name: "open + first page sorted by expiry",
            target: "< 20 ms",
            samples: opens,
            plain: plain_opens,
            plain_is: "a connection and the same SELECTs",
        });

        let mut reg = Register::open(&path).expect("open");
        let mut plain = baseline::open(&path).expect("open");
        let admins: Vec<Uuid> = reg
            .connection()
            .prepare("SELECT administration_id FROM party GROUP BY administration_id ORDER BY count(*) DESC LIMIT 200")
            .expect("sql")
            .query_map([], |r| r.get::<_, Uuid>(0))
            .expect("sql")
            .filter_map(Result::ok)
            .collect();
        let (mut filtered, mut plain_filtered) = (Vec::new(), Vec::new());
        for i in 0..args.queries {
            let f = AgreementFilter {
                status: Some(AgreementStatus::Vigente),
                administration_id: Some(admins[i % admins.len()]),
                ..Default::default()
            };
            let (d, page) =
                timed(|| query::agreements(&reg.reader(), &f, AgreementSort::Expiry, today, 0, 50).expect("page"));
            assert!(page.total > 0 || i > 0);
            filtered.push(d);
            let admin = admins[i % admins.len()];
            plain_filtered.push(timed(|| baseline::filtered_page(&plain, admin.as_bytes()).expect("page")).0);
        }
        figures.push(Figures {
            name: "filtered list (status + party), first page",
            target: "",
            samples: filtered,
            plain: plain_filtered,
            plain_is: "the same SELECTs",
        });

        let (mut searches, mut plain_searches) = (Vec::new(), Vec::new());
        for i in 0..args.queries {
            let q = QUERIES[i % QUERIES.len()];
            let (d, hits) = timed(|| search::search(&reg.reader(), q, &[], 20).expect("search"));
            assert!(!hits.is_empty(), "{q}");
            searches.push(d);
            let fts = search::fts_query(q).expect("words");
            plain_searches.push(timed(|| baseline::fts_search(&plain, &fts).expect("search")).0);
        }
        figures.push(Figures {
            name: "full-text search, 20 best",
            target: "p95 < 20 ms",
            samples: searches,
            plain: plain_searches,
            plain_is: "the same MATCH on the FTS5 table, ranked",
        });

        let ids: Vec<Uuid> =
            query::agreements(&reg.reader(), &AgreementFilter::default(), AgreementSort::Number, today, 0, 500)
                .expect("page")
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect();
        let (mut edits, mut plain_edits) = (Vec::new(), Vec::new());
        for i in 0..args.queries {
            let mut a: raccordo_register::Agreement = reg.reader().require(ids[i % ids.len()]).expect("agreement");
            a.subject = format!("{} (rev. {i})", a.subject.split(" (rev.").next().unwrap_or_default());
            let subject = a.subject.clone();
            let (d, _) = timed(|| reg.update(a).expect("edit"));
            edits.push(d);
            // Another agreement's subject, so the two never wait on one page.
            let other = ids[(i + ids.len() / 2) % ids.len()];
            plain_edits.push(timed(|| baseline::edit(&mut plain, other.as_bytes(), &subject).expect("edit")).0);
        }
        figures.push(Figures {
            name: "one edit (row + journal + search)",
            target: "< 2 ms",
            samples: edits,
            plain: plain_edits,
            plain_is: "one UPDATE of the row, its own transaction",
        });

        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!();
        println!(
            "## {n} agreements ({records} records generated, {plain_rows} rows written, file {:.0} MB)",
            size as f64 / 1e6
        );
        println!();
        println!("| figure | median | p95 | plain SQLite: median | ratio | target |");
        println!("|---|---|---|---|---|---|");
        for f in &figures {
            let (median, plain) = (quantile(&f.samples, 0.5), quantile(&f.plain, 0.5));
            println!(
                "| {} | {} | {} | {} ({}) | {:.1}× | {} |",
                f.name,
                ms(median),
                ms(quantile(&f.samples, 0.95)),
                ms(plain),
                f.plain_is,
                median.as_secs_f64() / plain.as_secs_f64().max(1e-9),
                f.target
            );
        }
        let _ = reg.reader().count(Kind::Agreement);
    }
}
