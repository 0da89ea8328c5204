//! raccordo-bench: the register at scale. For each scale it generates a realistic
//! register (see raccordo-demo's generator) and reports medians and p95 of what a
//! person waits for. Prints a Markdown table for the README; asserts nothing.
//!
//!   cargo run --release -p raccordo-bench -- --scales 10000,100000

// mimalloc, as in raccordo-cli (the reason is given there): the bench times the same bulk load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        }
        figures.push(Figures {
            name: "generate and store the register",
            target: if n >= 100_000 { "< 10 s" } else { "" },
            samples: builds,
        });
        figures.push(Figures {
            name: "then close (the rest of the log copied into the file)",
            target: "",
            samples: closes,
        });

        // Opening and the first page by expiry, as the window does at start.
        let mut opens = Vec::new();
        for _ in 0..21 {
            let (d, _) = timed(|| {
                let reg = Register::open(&path).expect("open");
                query::agreements(&reg.reader(), &AgreementFilter::default(), AgreementSort::Expiry, today, 0, 50)
                    .expect("page")
            });
            opens.push(d);
        }
        figures.push(Figures { name: "open + first page sorted by expiry", target: "< 20 ms", samples: opens });

        let mut reg = Register::open(&path).expect("open");
        let admins: Vec<Uuid> = reg
            .connection()
            .prepare("SELECT administration_id FROM party GROUP BY administration_id ORDER BY count(*) DESC LIMIT 200")
            .expect("sql")
            .query_map([], |r| r.get::<_, Uuid>(0))
            .expect("sql")
            .filter_map(Result::ok)
            .collect();
        let mut filtered = Vec::new();
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
        }
        figures.push(Figures { name: "filtered list (status + party), first page", target: "", samples: filtered });

        let mut searches = Vec::new();
        for i in 0..args.queries {
            let q = QUERIES[i % QUERIES.len()];
            let (d, hits) = timed(|| search::search(&reg.reader(), q, &[], 20).expect("search"));
            assert!(!hits.is_empty(), "{q}");
            searches.push(d);
        }
        figures.push(Figures { name: "full-text search, 20 best", target: "p95 < 20 ms", samples: searches });

        let ids: Vec<Uuid> =
            query::agreements(&reg.reader(), &AgreementFilter::default(), AgreementSort::Number, today, 0, 500)
                .expect("page")
                .rows
                .into_iter()
                .map(|r| r.id)
                .collect();
        let mut edits = Vec::new();
        for i in 0..args.queries {
            let mut a: raccordo_register::Agreement = reg.reader().require(ids[i % ids.len()]).expect("agreement");
            a.subject = format!("{} (rev. {i})", a.subject.split(" (rev.").next().unwrap_or_default());
            let (d, _) = timed(|| reg.update(a).expect("edit"));
            edits.push(d);
        }
        figures.push(Figures { name: "one edit (row + journal + search)", target: "< 2 ms", samples: edits });

        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        println!();
        println!("## {n} agreements ({records} records, file {:.0} MB)", size as f64 / 1e6);
        println!();
        println!("| figure | median | p95 | target |");
        println!("|---|---|---|---|");
        for f in &figures {
            println!(
                "| {} | {} | {} | {} |",
                f.name,
                ms(quantile(&f.samples, 0.5)),
                ms(quantile(&f.samples, 0.95)),
                f.target
            );
        }
        let _ = reg.reader().count(Kind::Agreement);
    }
}
