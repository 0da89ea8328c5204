//! The window tests: the real `raccordo` binary in a virtual X display (Xvfb), driven
//! over WebDriver through tauri-driver and WebKitWebDriver, on a fresh demo register.
//! Each scenario does what a person does (click, type, press Tab) and checks what the
//! screen then shows; screenshots land in tests/output/window/. Run by `scripts/test`,
//! which installs Xvfb, WebKitWebDriver and tauri-driver first.

mod harness;
mod notifications;
#[path = "../../src-tauri/crates/raccordo-documents/tests/support/pki.rs"]
mod pki;
mod scenarios;
#[path = "../../src-tauri/crates/raccordo-hub/tests/support/mod.rs"]
mod support;
mod webdriver;

use harness::Window;
use std::time::Instant;
use webdriver::Driver;

pub struct Ctx<'w> {
    pub d: Driver,
    pub window: &'w Window,
    pub out: std::path::PathBuf,
    pub axe: String,
    /// Where printed documents land (RACCORDO_DOCUMENTS_DIR: no save dialog, no viewer).
    pub documents: std::path::PathBuf,
    /// The Secret Service the app keeps its hub credential in (a private D-Bus session
    /// with GNOME Keyring), shared with the partner registers of the sync scenario.
    pub keyring: &'w support::Keyring,
    /// The desktop notifications the app sent, on the same D-Bus session.
    pub notifications: &'w notifications::Notifications,
}

fn main() {
    // `cargo test -- --list` and filters: this binary runs all of its scenarios or none.
    if std::env::args().any(|a| a == "--list") {
        for (name, _) in scenarios::ALL {
            println!("{name}: test");
        }
        println!("first_start_offers_the_demo_or_an_empty_register: test");
        println!("{}: test", scenarios::WITHOUT_A_KEYRING);
        return;
    }
    let started = Instant::now();
    let (passed, failed) = match run() {
        Ok(counts) => counts,
        Err(e) => {
            eprintln!("window tests could not start: {e}");
            (0, scenarios::ALL.len() + 2)
        }
    };
    println!(
        "\ntest result: {}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        started.elapsed().as_secs_f64()
    );
    if failed > 0 {
        std::process::exit(101);
    }
}

fn run() -> Result<(usize, usize), String> {
    let out = harness::root().join("tests/output/window");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let axe = std::fs::read_to_string(harness::root().join("ui/node_modules/axe-core/axe.min.js"))
        .map_err(|e| format!("axe-core (npm ci in ui/): {e}"))?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let keyring = support::Keyring::start();
    let notifications = notifications::Notifications::start(&keyring.address)?;
    // The background sync checks every few seconds instead of minutes, so that the
    // sync scenario sees a partner's change arrive on its own.
    let env = [
        ("DBUS_SESSION_BUS_ADDRESS", keyring.address.as_str()),
        ("RACCORDO_SYNC_EVERY_SECS", "4"),
        // The daily jobs (the copy, the reminders) a few seconds after start, not twenty.
        ("RACCORDO_DAILY_AFTER_SECS", "3"),
    ];
    let mut window =
        Window::open(env!("CARGO_BIN_EXE_raccordo"), &["--demo"], data.path(), &env, &out.join("tauri-driver.log"))?;
    let (mut passed, mut failed) = (0, 0);
    let last: &[(&str, scenarios::Scenario)] =
        &[("first_start_offers_the_demo_or_an_empty_register", scenarios::first_start)];
    for (i, (name, scenario)) in scenarios::ALL.iter().chain(last).enumerate() {
        if i == scenarios::ALL.len() {
            // The same data folder holds the demo register but not the office's own.
            window.restart(&[])?;
        }
        let ctx = Ctx {
            d: window.d.clone_session(),
            window: &window,
            out: out.clone(),
            axe: axe.clone(),
            documents: harness::documents_dir(data.path()),
            keyring: &keyring,
            notifications: &notifications,
        };
        let t = Instant::now();
        match scenario(&ctx) {
            Ok(()) => {
                passed += 1;
                println!("test {name} ... ok ({:.1} s)", t.elapsed().as_secs_f64());
            }
            Err(e) => {
                failed += 1;
                let _ = window.screenshot(&out.join(format!("FAILED-{name}.png")));
                println!("test {name} ... FAILED\n    {e}");
            }
        }
    }
    drop(window);

    // A session with no keyring (its D-Bus address leads nowhere): a window of its own.
    let name = scenarios::WITHOUT_A_KEYRING;
    let bare = tempfile::tempdir().map_err(|e| e.to_string())?;
    let no_bus = [("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/raccordo-no-session-bus")];
    let t = Instant::now();
    let outcome = Window::open(
        env!("CARGO_BIN_EXE_raccordo"),
        &["--demo"],
        bare.path(),
        &no_bus,
        &out.join("tauri-driver-no-keyring.log"),
    )
    .and_then(|window| {
        let ctx = Ctx {
            d: window.d.clone_session(),
            window: &window,
            out: out.clone(),
            axe: axe.clone(),
            documents: harness::documents_dir(bare.path()),
            keyring: &keyring,
            notifications: &notifications,
        };
        scenarios::without_a_keyring(&ctx).inspect_err(|_| {
            let _ = window.screenshot(&out.join(format!("FAILED-{name}.png")));
        })
    });
    match outcome {
        Ok(()) => {
            passed += 1;
            println!("test {name} ... ok ({:.1} s)", t.elapsed().as_secs_f64());
        }
        Err(e) => {
            failed += 1;
            println!("test {name} ... FAILED\n    {e}");
        }
    }
    Ok((passed, failed))
}
