//! raccordo-documents-bench: how long the documents take, beside what offices do today.
//! Medians of: the minutes of a meeting, the protocol report of the Lucca protocol, the
//! agreements report of a 1,000-agreement register; and, in the same run, the same
//! minutes written as HTML and converted by LibreOffice headless
//! (`soffice --headless --convert-to pdf`, Debian's libreoffice-writer-nogui).
//! Times are cold (Typst's layout memo emptied before each run) unless marked.
//! Prints a Markdown table for the README; asserts nothing.
//!
//!   cargo run --release -p raccordo-bench --bin raccordo-documents-bench

use chrono::{NaiveDate, Utc};
use clap::Parser;
use raccordo_bench::{ms, quantile, timed};
use raccordo_documents::meeting::MeetingData;
use raccordo_documents::{Documents, Request};
use raccordo_register::query::AgreementFilter;
use raccordo_register::{Meeting, Register};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

#[derive(Parser)]
#[command(about = "Benchmark dei documenti (e confronto con LibreOffice)")]
struct Args {
    /// Repetitions of the minutes and the protocol report.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// Repetitions of the 1,000-agreement report and of the LibreOffice conversion.
    #[arg(long, default_value_t = 5)]
    slow_runs: usize,
    /// LibreOffice's program.
    #[arg(long, default_value = "soffice")]
    soffice: String,
}

fn pages(pdf: &[u8], dir: &Path) -> String {
    let path = dir.join("pages.pdf");
    std::fs::write(&path, pdf).expect("temp file");
    Command::new("pdfinfo")
        .arg(&path)
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().to_owned())))
        .unwrap_or_else(|| "?".into())
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The same minutes as an office would write them in a word processor: HTML with the
/// same sections, converted by LibreOffice.
fn minutes_html(d: &MeetingData) -> String {
    let mut h = String::from(
        "<!DOCTYPE html><html lang=\"it\"><head><meta charset=\"utf-8\"><title>Verbale</title>\
         <style>body{font-family:'Titillium Web',sans-serif;font-size:10.5pt}table{border-collapse:collapse;width:100%}\
         td,th{border-bottom:1px solid #ccc;text-align:left;padding:3px}</style></head><body>",
    );
    h += &format!(
        "<p>{}</p><h1>Verbale della seduta n. {}</h1><h3>{}</h3>",
        html_escape(&d.agreement),
        d.number,
        html_escape(&d.body)
    );
    h += &format!(
        "<p>Il giorno {}, alle ore {}, presso {}, si è riunito il {}.</p>",
        d.date,
        d.starts_at,
        html_escape(&d.place),
        html_escape(&d.body)
    );
    h += "<h2>Presenti</h2><table><tr><th>Nome</th><th>Ente</th><th>Presenza</th></tr>";
    for p in &d.present {
        h += &format!("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", p.name, html_escape(&p.administration), p.presence);
    }
    h += "</table><h2>Ordine del giorno</h2><ol>";
    for i in &d.agenda {
        h += &format!("<li>{}</li>", html_escape(&i.title));
    }
    h += "</ol>";
    for i in &d.agenda {
        h += &format!("<h3>{}. {}</h3>", i.position, html_escape(&i.title));
        if let Some(t) = &i.discussion {
            h += &format!("<p>{}</p>", html_escape(t));
        }
        if let Some(t) = &i.decision {
            h += &format!("<p><b>Decisione.</b> {}</p>", html_escape(t));
        }
        h += &format!("<p><b>Votazione:</b> {}</p>", i.vote);
    }
    h += &format!("<p>La seduta è chiusa alle ore {}.</p>", d.ends_at);
    h += &format!(
        "<table><tr><td>Il Presidente<br><b>{}</b><br><br>____________________</td><td>Il Segretario verbalizzante<br><b>{}</b><br><br>____________________</td></tr></table>",
        d.chair, d.secretary
    );
    h + "</body></html>"
}

fn median(samples: &[Duration]) -> Duration {
    quantile(samples, 0.5)
}

fn main() {
    let args = Args::parse();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut demo = Register::open(dir.path().join("demo.raccordo")).expect("demo register");
    let today = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let ids = raccordo_demo::build_demo(&mut demo, today).expect("demo");
    // The meeting with the longest minutes.
    let meeting: Meeting = demo
        .reader()
        .select::<Meeting>(
            "SELECT m.* FROM meeting m LEFT JOIN agenda_item i ON i.meeting_id = m.id GROUP BY m.id \
             ORDER BY count(i.id) DESC, m.date LIMIT 1",
            [],
        )
        .expect("meetings")
        .remove(0);
    let mut thousand = Register::open(dir.path().join("mille.raccordo")).expect("register");
    raccordo_demo::generate(&mut thousand, 1000, 7, "GEN").expect("generate");

    let documents = Documents::new(None);
    let now = Utc::now();
    let make = |reg: &Register, req: &Request| documents.make(reg, req, now).expect("document");
    let minutes = Request::Minutes { meeting_id: meeting.id };
    let protocol = Request::Protocol { agreement_id: ids.lucca_protocol };
    let report = Request::AgreementsReport { filter: AgreementFilter::default() };

    // One warm-up each: fonts parsed, layout caches filled, as after the first print.
    let sizes = [make(&demo, &minutes), make(&demo, &protocol), make(&thousand, &report)]
        .map(|m| (m.pdf.len(), pages(&m.pdf, dir.path())));
    // Cold: Typst's memoized layouts dropped before each run, as for the first
    // document after the program starts. Warm: the same document again.
    let run = |reg: &Register, req: &Request, n: usize| -> Vec<Duration> {
        (0..n)
            .map(|_| {
                raccordo_documents::engine::Engine::forget_layouts();
                timed(|| make(reg, req)).0
            })
            .collect()
    };
    let warm_minutes: Vec<Duration> = (0..args.runs).map(|_| timed(|| make(&demo, &minutes)).0).collect();
    let t_minutes = run(&demo, &minutes, args.runs);
    let t_protocol = run(&demo, &protocol, args.runs);
    let t_report = run(&thousand, &report, args.slow_runs);

    // LibreOffice on the same minutes, as HTML; each conversion starts soffice, as a
    // person converting one file does.
    let (_, data) = raccordo_documents::meeting::data(&demo.reader(), meeting.id).expect("minutes data");
    let html = dir.path().join("verbale.html");
    std::fs::write(&html, minutes_html(&data)).expect("html");
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("lo-profile").display());
    let mut t_lo = Vec::new();
    let mut lo_size = None;
    for _ in 0..args.slow_runs + 1 {
        let (t, out) = timed(|| {
            Command::new(&args.soffice)
                .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
                .arg(dir.path())
                .arg(&html)
                .output()
        });
        match out {
            Ok(o) if o.status.success() => {
                if lo_size.is_none() {
                    // The first run creates LibreOffice's profile: not counted.
                    lo_size =
                        std::fs::read(dir.path().join("verbale.pdf")).ok().map(|b| (b.len(), pages(&b, dir.path())));
                } else {
                    t_lo.push(t);
                }
            }
            Ok(o) => {
                eprintln!("soffice failed: {}", String::from_utf8_lossy(&o.stderr));
                break;
            }
            Err(e) => {
                eprintln!("soffice not runnable ({e}): apt-get install libreoffice-writer-nogui");
                break;
            }
        }
    }

    println!("| Document | Median | p95 | Target | Size, pages |");
    println!("|---|---|---|---|---|");
    let row = |name: &str, t: &[Duration], target: &str, size: &(usize, String)| {
        println!(
            "| {name} | {} | {} | {target} | {} KB, {} p. |",
            ms(median(t)),
            ms(quantile(t, 0.95)),
            size.0 / 1024,
            size.1
        );
    };
    row("Verbale (Typst, PDF/A-2b + PDF/UA-1)", &t_minutes, "< 50 ms", &sizes[0]);
    row("Verbale, ristampato (layout in memoria)", &warm_minutes, "", &sizes[0]);
    row("Scheda del protocollo", &t_protocol, "< 50 ms", &sizes[1]);
    row("Report di 1.000 protocolli", &t_report, "< 1 s", &sizes[2]);
    match (&lo_size, t_lo.is_empty()) {
        (Some(size), false) => {
            row("Stesso verbale da HTML con LibreOffice headless", &t_lo, "(riferimento)", size);
            let ratio = median(&t_lo).as_secs_f64() / median(&t_minutes).as_secs_f64();
            println!("\nLibreOffice / Raccordo on the same minutes: {ratio:.0}× (medians).");
        }
        _ => println!("\nLibreOffice not measured (soffice missing or failing)."),
    }
}
