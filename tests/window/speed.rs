//! Speed as the user sees it, in the real window on a generated register:
//!
//!     cargo run --release --example window-speed [-- AGREEMENTS]    (default 100000)
//!
//! It times, inside the page (from the user's action to the screen showing the
//! result): opening an agreement, filtering the list, a full-text search; from the
//! outside: starting the app to a usable dashboard; and the resident memory of the
//! app with its WebKit processes. Then the same register joined to a real hub
//! (`raccordo-hub` on loopback HTTPS, GNOME Keyring on a private D-Bus): starting with
//! sync configured, and the longest pause of the page's main thread and of a command's
//! answer while background syncs send and receive small changes, against the same
//! window idle. Medians and p95 print as a Markdown table.

mod harness;
#[path = "../../src-tauri/crates/raccordo-hub/tests/support/mod.rs"]
mod support;
mod webdriver;

use harness::Window;
use raccordo_register::Register;
use serde_json::{Value, json};
use std::time::Instant;
use webdriver::{Driver, Res};

fn percentile(mut v: Vec<f64>, p: f64) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Runs `action` in the page and waits, frame by frame, until `done` holds; answers the
/// milliseconds in between (what a person waits after the click or key).
fn in_page(d: &Driver, action: &str, done: &str) -> Res<f64> {
    let script = format!(
        "const finish = arguments[arguments.length - 1];
         const t0 = performance.now();
         (() => {{ {action} }})();
         const check = () => {{
           if ((() => {{ {done} }})()) finish(performance.now() - t0);
           else if (performance.now() - t0 > 20000) finish(-1);
           else requestAnimationFrame(check);
         }};
         requestAnimationFrame(check);"
    );
    let v = d.exec_async(&script, vec![])?;
    let ms = v.as_f64().unwrap_or(-1.0);
    if ms < 0.0 { Err(format!("not done after 20 s: {done}")) } else { Ok(ms) }
}

fn set_control(field_id: &str, value: &str) -> String {
    // React listens to the native setter and the input/change events.
    format!(
        "const el = document.getElementById('{field_id}');
         const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
         Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, '{value}');
         el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', {{ bubbles: true }}));"
    )
}

/// Memory of the app's process and of each process it started (WebKit's), in MB:
/// (name, RSS, PSS). RSS counts every shared library page in full in each process;
/// PSS shares them out, so the PSS of all processes adds up to what the app costs.
fn memory(name: &str) -> Vec<(String, f64, f64)> {
    let read = |p: &str, f: &str| std::fs::read_to_string(format!("/proc/{p}/{f}")).unwrap_or_default();
    let field = |s: &str, k: &str| {
        s.lines().find(|l| l.starts_with(k)).and_then(|l| l.split_whitespace().nth(1).map(str::to_owned))
    };
    let kb = |s: &str, k: &str| field(s, k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0) / 1024.0;
    let pids: Vec<String> = std::fs::read_dir("/proc")
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let app: Vec<String> =
        pids.iter().filter(|p| field(&read(p, "status"), "Name:").as_deref() == Some(name)).cloned().collect();
    pids.iter()
        .filter_map(|p| {
            let status = read(p, "status");
            let mine = app.contains(p) || field(&status, "PPid:").is_some_and(|pp| app.contains(&pp));
            mine.then(|| {
                (
                    field(&status, "Name:").unwrap_or_default(),
                    kb(&status, "VmRSS:"),
                    kb(&read(p, "smaps_rollup"), "Pss:"),
                )
            })
        })
        .collect()
}

/// Milliseconds from the start of the `raccordo` process to the dashboard being drawn,
/// polled every 10 ms.
fn since_process_start(d: &Driver) -> Res<f64> {
    let ready =
        || d.exec("return !!document.querySelector('[data-ready=dashboard]');", vec![]).map(|v| v == json!(true));
    let t = Instant::now();
    while !ready()? {
        if t.elapsed().as_secs() > 30 {
            return Err("no dashboard after 30 s".into());
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|u| u.parse().ok()))
        .ok_or("no /proc/uptime")?;
    let started = newest_process("raccordo").ok_or("no raccordo process")?;
    // Clock ticks are 1/100 s on Linux (CLK_TCK).
    Ok((uptime - started / 100.0) * 1000.0)
}

/// The window opened on register `db` and started again four times: each start's time
/// to a usable dashboard ([`since_process_start`]), and the window left open.
fn five_starts(
    app: &str,
    db: &str,
    data: &std::path::Path,
    env: &[(&str, &str)],
    log: &std::path::Path,
) -> Res<(Window, Vec<f64>)> {
    let mut w = Window::open(app, &["--db", db], data, env, log)?;
    let mut starts = vec![since_process_start(&w.d)?];
    for _ in 0..4 {
        w.restart(&["--db", db])?;
        starts.push(since_process_start(&w.d)?);
    }
    Ok((w, starts))
}

/// The start time (clock ticks since boot) of the newest process with this name.
fn newest_process(name: &str) -> Option<f64> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(|e| e.ok())
        .filter_map(|e| std::fs::read_to_string(e.path().join("stat")).ok())
        .filter(|stat| stat.contains(&format!("({name})")))
        .filter_map(|stat| stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(19)?.parse().ok()))
        .max_by(f64::total_cmp)
}

/// Watches the page for `seconds`: the longest gap between two animation frames (the
/// page's main thread busy, the screen frozen) and the longest answer of a cheap
/// command asked every 50 ms (the app's side of IPC busy); `during` runs meanwhile,
/// from this process, once a second.
fn pauses(d: &Driver, seconds: u64, mut during: impl FnMut(u64)) -> Res<(f64, f64, usize)> {
    d.exec(
        "const p = window.__pauses = { frame: 0, ipc: 0, asked: 0, stop: false };
         let last = performance.now();
         const frame = (t) => { p.frame = Math.max(p.frame, t - last); last = t; if (!p.stop) requestAnimationFrame(frame); };
         requestAnimationFrame((t) => { last = t; requestAnimationFrame(frame); });
         (async () => {
           while (!p.stop) {
             const t0 = performance.now();
             await window.__TAURI_INTERNALS__.invoke('sync_state', { args: null });
             p.ipc = Math.max(p.ipc, performance.now() - t0); p.asked++;
             await new Promise((r) => setTimeout(r, 50));
           }
         })();",
        vec![],
    )?;
    for second in 0..seconds {
        during(second);
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    let p = d.exec("window.__pauses.stop = true; return window.__pauses;", vec![])?;
    let ms = |k: &str| p[k].as_f64().unwrap_or(f64::NAN);
    Ok((ms("frame"), ms("ipc"), p["asked"].as_u64().unwrap_or(0) as usize))
}

/// What the window's speed is with sync configured.
struct WithSync {
    first_push_s: f64,
    starts: Vec<f64>,
    idle: (f64, f64, usize),
    syncing: (f64, f64, usize),
    syncs: usize,
}

/// The register `file`, copied and joined to a real hub as the Prefettura: its first
/// push timed, the window started on it five times, then watched idle and while small
/// changes go both ways (an edit by `raccordo-cli` on the same file every 5 s, which
/// the window's background sync sends; an agreement of a partner office naming the
/// Prefettura, changed every 5 s, which it receives), on the agreement list.
fn with_sync(file: &std::path::Path, app: &str, out: &std::path::Path) -> Res<WithSync> {
    if !support::hub_bin().exists() {
        return Err("build the hub and the CLI first: cargo build --release --workspace --bins".into());
    }
    let keyring = support::Keyring::start();
    let hub = support::Hub::start(&[]);
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let office = support::Office::new(dir.path(), "window", &keyring);
    std::fs::copy(file, &office.db).map_err(|e| e.to_string())?;
    office.join(&hub, "Prefettura di Lucca");
    let t = Instant::now();
    office.sync();
    let first_push_s = t.elapsed().as_secs_f64();
    let partner = support::Office::new(dir.path(), "partner", &keyring);
    partner.cli(&["list", "agreements"]).expect_ok();
    partner.join(&hub, "Comune di Capannori");
    partner.sync();
    let theirs = partner.add_agreement("CAP/1", "Protocollo del Comune di Capannori");
    partner.add_party(&theirs, &partner.administration("Prefettura di Lucca"));
    partner.sync();
    let ours: Vec<String> = {
        let reg = Register::open(&office.db).map_err(|e| e.message)?;
        let mut stmt = reg
            .connection()
            .prepare("SELECT id FROM agreement ORDER BY random() LIMIT 20")
            .map_err(|e| e.to_string())?;
        let rows = stmt.query_map([], |r| r.get::<_, uuid::Uuid>(0)).map_err(|e| e.to_string())?;
        rows.filter_map(|r| r.ok()).map(|u| u.to_string()).collect()
    };

    let db = office.db.to_string_lossy().into_owned();
    let env = [("DBUS_SESSION_BUS_ADDRESS", keyring.address.as_str()), ("RACCORDO_SYNC_EVERY_SECS", "4")];
    let (w, starts) = five_starts(app, &db, dir.path(), &env, &out.join("tauri-driver-sync.log"))?;
    let d = &w.d;
    d.go("/agreements")?;
    d.wait_text("#agreements-count", "protocolli")?;
    std::thread::sleep(std::time::Duration::from_secs(5));
    let idle = pauses(d, 30, |_| {})?;
    let mut changed = 0;
    let syncing = pauses(d, 60, |second| {
        if second % 5 == 0 {
            let id = &ours[changed % ours.len()];
            office
                .cli(&["set", "agreement", id, &format!("subject=Oggetto cambiato da uno script ({changed})")])
                .expect_ok();
            partner.cli(&["set", "agreement", &theirs, &format!("subject=Oggetto del Comune ({changed})")]).expect_ok();
            partner.sync();
            changed += 1;
        }
    })?;
    // The partner's last subject reached the window: the background sync did run.
    let last = format!("Oggetto del Comune ({})", changed - 1);
    let their_id = uuid::Uuid::parse_str(&theirs).map_err(|e| e.to_string())?;
    let mut arrived = false;
    for _ in 0..30 {
        let reg = Register::open(&office.db).map_err(|e| e.message)?;
        let subject: Option<String> =
            reg.connection().query_row("SELECT subject FROM agreement WHERE id = ?1", [their_id], |r| r.get(0)).ok();
        if subject.as_deref() == Some(last.as_str()) {
            arrived = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_secs(1));
    }
    if !arrived {
        let state = d.exec_async(
            "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('sync_state', { args: null }).then(done, e => done(String(e)));",
            vec![],
        );
        return Err(format!(
            "the partner's changes did not reach the window's register; the window says {state:?}; \
             the register's sync status: {}",
            office.cli(&["sync", "status"]).stdout
        ));
    }
    Ok(WithSync { first_push_s, starts, idle, syncing, syncs: changed })
}

fn main() -> Res<()> {
    let n: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let root = harness::root();
    let out = root.join("target/window-speed");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let file = out.join(format!("register-{n}.raccordo"));
    if !file.exists() {
        eprintln!("generating a register of {n} agreements in {} …", file.display());
        let mut reg = Register::open(&file).map_err(|e| e.message)?;
        raccordo_demo::generate(&mut reg, n, 7, "B").map_err(|e| e.message)?;
    }
    let app = root.join("target/release/raccordo");
    if !app.exists() {
        return Err("build the app first: (cd ui && npm run build) && cargo build --release -p raccordo".into());
    }
    let app = app.to_string_lossy().into_owned();
    let db = file.to_string_lossy().into_owned();
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;

    // Start to usable dashboard: from the app's process starting (the kernel's record of
    // it, so WebDriver's own setup does not count) to the dashboard's panels drawn.
    let (w, starts) = five_starts(&app, &db, data.path(), &[], &out.join("tauri-driver.log"))?;
    let d = &w.d;

    // Agreements to open: spread over the register.
    d.go("/agreements")?;
    d.wait_text("#agreements-count", "protocolli")?;
    let ids: Vec<String> = {
        let reg = Register::open(&file).map_err(|e| e.message)?;
        let mut stmt = reg
            .connection()
            .prepare("SELECT id FROM agreement ORDER BY random() LIMIT 30")
            .map_err(|e| e.to_string())?;
        let rows = stmt.query_map([], |r| r.get::<_, uuid::Uuid>(0)).map_err(|e| e.to_string())?;
        rows.filter_map(|r| r.ok()).map(|u| u.to_string()).collect()
    };
    let mut opens = Vec::new();
    for id in &ids {
        d.go("/agreements")?;
        d.wait_text("#agreements-count", "protocolli")?;
        opens.push(in_page(
            d,
            &format!("location.hash = '/agreements/{id}';"),
            "const h = document.querySelector('main h1'); return h && h.textContent.includes(' n. ') && document.querySelector('#history-title');",
        )?);
    }

    // A filter: status, then status + expiring within 90 days, back and forth.
    let mut filters = Vec::new();
    d.go("/agreements")?;
    d.wait_text("#agreements-count", "protocolli")?;
    let filter_steps =
        [("f-status", "vigente"), ("f-days", "90"), ("f-status", "scaduto"), ("f-days", ""), ("f-status", "")];
    for _ in 0..6 {
        for (field, value) in filter_steps {
            let before = d.exec("return document.getElementById('agreements-count').textContent;", vec![])?;
            filters.push(in_page(
                d,
                &set_control(field, value),
                &format!(
                    "const c = document.getElementById('agreements-count').textContent;
                     return c !== {before} && !c.includes('Caricamento') && (c.startsWith('0 ') || document.querySelector('#agreements-table tbody a'));"
                ),
            )?);
        }
    }

    // Full-text search from the header, to the results listed.
    let words = [
        "digitale",
        "servizi",
        "Lucca",
        "citta",
        "fatturazione",
        "mobilita",
        "protocollo",
        "rete",
        "open data",
        "scuole",
    ];
    let mut searches = Vec::new();
    for _ in 0..2 {
        for w in words {
            d.go("/")?;
            d.wait("[data-ready=dashboard]")?;
            searches.push(in_page(
                d,
                &format!("location.hash = '/search?q={}';", w.replace(' ', "%20")),
                &format!(
                    "const s = document.querySelector('main [role=status]'); return s && s.textContent.includes({});",
                    json!(format!("«{w}»"))
                ),
            )?);
        }
    }
    let mem = memory("raccordo");
    let agreements = Value::from(n);
    println!(
        "\nWindow speed on a register of {agreements} agreements (`cargo run --release --example window-speed`):\n"
    );
    println!("| as the user sees it | median | p95 | target |");
    println!("|---|---|---|---|");
    let row = |name: &str, v: &Vec<f64>, target: &str| {
        println!(
            "| {name} | {:.0} ms | {:.0} ms | {target} |",
            percentile(v.clone(), 0.5),
            percentile(v.clone(), 0.95)
        );
    };
    row("start to usable dashboard (5 starts)", &starts, "under 1 s");
    row(&format!("open an agreement ({})", opens.len()), &opens, "under 100 ms");
    row(&format!("filter the list ({})", filters.len()), &filters, "under 100 ms");
    row(&format!("full-text search ({})", searches.len()), &searches, "under 100 ms");
    for (name, rss, pss) in &mem {
        println!("| memory of {name}: RSS / PSS | {rss:.0} MB / {pss:.0} MB | | |");
    }
    let rss: f64 = mem.iter().map(|m| m.1).sum();
    let pss: f64 = mem.iter().map(|m| m.2).sum();
    println!("| memory, app + WebKit processes: RSS / PSS | {rss:.0} MB / {pss:.0} MB | | under 300 MB |");
    drop(w);

    let s = with_sync(&file, &app, &out)?;
    println!(
        "\nWith sync configured (a real hub on loopback HTTPS; first push of the register: {:.0} s):\n",
        s.first_push_s
    );
    println!("| as the user sees it | median | p95 / longest | target |");
    println!("|---|---|---|---|");
    row("start to usable dashboard, sync configured (5 starts)", &s.starts, "under 1 s");
    let (frame, ipc, asked) = s.idle;
    println!(
        "| idle on the agreement list, 30 s: longest frame gap / command answer ({asked} asked) | | {frame:.0} ms / {ipc:.0} ms | |"
    );
    let (frame, ipc, asked) = s.syncing;
    println!(
        "| background syncs of small changes, 60 s ({} each way): longest frame gap / command answer ({asked} asked) | | {frame:.0} ms / {ipc:.0} ms | no visible stall |",
        s.syncs
    );
    Ok(())
}
