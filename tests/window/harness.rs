//! The real window under test: a private X display (Xvfb), tauri-driver (which starts
//! WebKitWebDriver and the app), and a WebDriver session on the `raccordo` binary.
//! Everything is stopped when the [`Window`] is dropped.

use crate::webdriver::{Driver, Res};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Kills a helper process when the run ends, however it ends.
struct Guard(Child);
impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub struct Window {
    pub d: Driver,
    // Dropped after the session: the driver, then the display.
    _driver: Guard,
    _xvfb: Guard,
    port: u16,
    app: String,
    // Read by the window test's screenshots; the speed example takes none.
    #[allow(dead_code)]
    display: u32,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).unwrap_or(4444)
}

fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) -> Res<()> {
    let start = Instant::now();
    while !ok() {
        if start.elapsed() > Duration::from_secs(secs) {
            return Err(format!("{what}: not ready after {secs} s"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

/// The folder the app saves printed documents in, without a dialog, under `data`.
pub fn documents_dir(data: &Path) -> PathBuf {
    data.join("documenti")
}

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn tool(name: &str) -> Res<PathBuf> {
    let local = root().join("target/tools/bin").join(name);
    if local.exists() {
        return Ok(local);
    }
    std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join(name)).find(|f| f.exists()))
        .ok_or(format!("{name} not found: scripts/test installs it (scripts/install-deps)"))
}

impl Window {
    /// Starts the display and tauri-driver, then the app `app` with `args`; its data
    /// folder (XDG_DATA_HOME) is `data`, `env` is added to its environment (the D-Bus
    /// session of the test's keyring). tauri-driver's log goes to `log`.
    pub fn open(app: &str, args: &[&str], data: &Path, env: &[(&str, &str)], log: &Path) -> Res<Window> {
        let display: u32 =
            (90..200).find(|n| !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()).ok_or("no free display")?;
        let xvfb = Guard(
            Command::new(tool("Xvfb")?)
                .args([format!(":{display}"), "-screen".into(), "0".into(), "1366x900x24".into()])
                .args(["-nolisten", "tcp"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .map_err(|e| format!("Xvfb: {e}"))?,
        );
        wait_for("Xvfb", 10, || Path::new(&format!("/tmp/.X11-unix/X{display}")).exists())?;
        let port = free_port();
        let native = free_port();
        let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
        let driver = Guard(
            Command::new(tool("tauri-driver")?)
                .args(["--port", &port.to_string(), "--native-port", &native.to_string()])
                .env("DISPLAY", format!(":{display}"))
                .env("XDG_DATA_HOME", data)
                .env("XDG_CONFIG_HOME", data)
                .env("RACCORDO_DOCUMENTS_DIR", {
                    std::fs::create_dir_all(documents_dir(data)).map_err(|e| e.to_string())?;
                    documents_dir(data)
                })
                // No accessibility bus inside Xvfb: without this GTK waits for one at start.
                .env("NO_AT_BRIDGE", "1")
                .envs(env.iter().copied())
                .stdout(log.try_clone().map_err(|e| e.to_string())?)
                .stderr(log)
                .spawn()
                .map_err(|e| format!("tauri-driver: {e}"))?,
        );
        wait_for("tauri-driver", 20, || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok())?;
        let d = Driver::start(port, app, args)?;
        Ok(Window { d, _driver: driver, _xvfb: xvfb, port, app: app.to_owned(), display })
    }

    /// A PNG of the whole display, taken by the X server (xwd, netpbm): WebKitWebDriver's
    /// own screenshot waits for a compositing frame that WebKitGTK without its DMA-BUF
    /// renderer never sends under Xvfb.
    #[allow(dead_code)]
    pub fn screenshot(&self, path: &Path) -> Res<()> {
        for t in ["xwd", "xwdtopnm", "pnmtopng"] {
            tool(t)?;
        }
        let status = Command::new("sh")
            .arg("-c")
            .arg(r#"xwd -root -silent -display ":$1" | xwdtopnm 2>/dev/null | pnmtopng > "$2""#)
            .args(["sh", &self.display.to_string(), &path.to_string_lossy()])
            .status()
            .map_err(|e| format!("screenshot: {e}"))?;
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if !status.success() || size == 0 {
            return Err(format!("screenshot of display :{} failed", self.display));
        }
        Ok(())
    }

    /// Ends the session (the app quits) and starts the app again with `args`.
    pub fn restart(&mut self, args: &[&str]) -> Res<()> {
        self.d.quit();
        self.d = Driver::start(self.port, &self.app, args)?;
        Ok(())
    }
}

impl Drop for Window {
    fn drop(&mut self) {
        self.d.quit();
    }
}
