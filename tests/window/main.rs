//! The window tests: the real `raccordo` binary in a virtual X display (Xvfb), driven
//! over WebDriver through tauri-driver and WebKitWebDriver, on a fresh demo register.
//! Each scenario does what a person does (click, type, press Tab) and checks what the
//! screen then shows; screenshots land in tests/output/window/. Run by `scripts/test`,
//! which installs Xvfb, WebKitWebDriver and tauri-driver first.

mod scenarios;
mod webdriver;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use webdriver::Driver;

pub struct Ctx {
    pub d: Driver,
    pub out: PathBuf,
    pub axe: String,
}

/// Kills a helper process when the run ends, however it ends.
struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) -> Result<(), String> {
    let start = Instant::now();
    while !ok() {
        if start.elapsed() > Duration::from_secs(secs) {
            return Err(format!("{what}: not ready after {secs} s"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

fn tool(name: &str) -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let local = root.join("target/tools/bin").join(name);
    if local.exists() {
        return Ok(local);
    }
    std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|f| f.exists()))
        .ok_or(format!("{name} not found: scripts/test installs it (scripts/install-deps)"))
}

fn main() {
    // `cargo test -- --list` and filters: this binary runs all of its scenarios or none.
    if std::env::args().any(|a| a == "--list") {
        for (name, _) in scenarios::ALL {
            println!("{name}: test");
        }
        return;
    }
    let started = Instant::now();
    let (passed, failed) = match run() {
        Ok(counts) => counts,
        Err(e) => {
            eprintln!("window tests could not start: {e}");
            (0, scenarios::ALL.len())
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
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("tests/output/window");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let axe = std::fs::read_to_string(root.join("ui/node_modules/axe-core/axe.min.js"))
        .map_err(|e| format!("axe-core (npm ci in ui/): {e}"))?;
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;

    // A display of our own: a free number, no TCP.
    let display = (90..200).find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()).ok_or("no free display")?;
    let _xvfb = Guard(
        Command::new(tool("Xvfb")?)
            .args([
                format!(":{display}"),
                "-screen".into(),
                "0".into(),
                "1366x900x24".into(),
                "-nolisten".into(),
                "tcp".into(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("Xvfb: {e}"))?,
    );
    wait_for("Xvfb", 10, || Path::new(&format!("/tmp/.X11-unix/X{display}")).exists())?;

    let port = free_port();
    let native = free_port();
    let driver_log = std::fs::File::create(out.join("tauri-driver.log")).map_err(|e| e.to_string())?;
    let _driver = Guard(
        Command::new(tool("tauri-driver")?)
            .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
            .env("DISPLAY", format!(":{display}"))
            .env("XDG_DATA_HOME", data.path())
            .env("XDG_CONFIG_HOME", data.path())
            // No accessibility bus inside Xvfb: without this GTK waits for it at start.
            .env("NO_AT_BRIDGE", "1")
            .stdout(driver_log.try_clone().map_err(|e| e.to_string())?)
            .stderr(driver_log)
            .spawn()
            .map_err(|e| format!("tauri-driver: {e}"))?,
    );
    wait_for("tauri-driver", 20, || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok())?;

    let app = env!("CARGO_BIN_EXE_raccordo");
    let d = Driver::start(port, app, &["--demo"])?;
    let ctx = Ctx { d, out, axe };
    let (mut passed, mut failed) = (0, 0);
    for (name, scenario) in scenarios::ALL {
        let t = Instant::now();
        match scenario(&ctx) {
            Ok(()) => {
                passed += 1;
                println!("test {name} ... ok ({:.1} s)", t.elapsed().as_secs_f64());
            }
            Err(e) => {
                failed += 1;
                let _ = ctx.d.screenshot(&ctx.out.join(format!("FAILED-{name}.png")));
                println!("test {name} ... FAILED\n    {e}");
            }
        }
    }
    ctx.d.quit();
    Ok((passed, failed))
}
