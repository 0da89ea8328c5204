//! The real parts of a sync test: a hub process over HTTPS on loopback with the
//! certificate its own `init --self-signed` made, a private D-Bus session with GNOME
//! Keyring as the Secret Service (the credential's real home), and registers changed
//! through `raccordo-cli`, as scripts and offices do. The window tests use it too.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn hub_bin() -> PathBuf {
    match option_env!("CARGO_BIN_EXE_raccordo-hub") {
        Some(p) => PathBuf::from(p),
        // The window tests (another package) find it beside their own binary's folder,
        // where `cargo test --workspace` builds it.
        None => std::env::current_exe().unwrap().parent().and_then(Path::parent).unwrap().join("raccordo-hub"),
    }
}

/// `raccordo-cli`, built beside the hub by `cargo test --workspace`.
pub fn cli_bin() -> PathBuf {
    let p = hub_bin().with_file_name("raccordo-cli");
    assert!(p.exists(), "{} is missing: run the tests with `cargo test --workspace`", p.display());
    p
}

/// A D-Bus session bus and GNOME Keyring on it, for this test only.
pub struct Keyring {
    pub address: String,
    bus: Child,
    keyring: Child,
    _home: tempfile::TempDir,
}

impl Keyring {
    pub fn start() -> Keyring {
        let home = tempfile::tempdir().unwrap();
        let mut bus = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dbus-daemon (scripts/install-deps installs it)");
        let mut line = String::new();
        BufReader::new(bus.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let address = line.trim().to_owned();
        let mut keyring = Command::new("gnome-keyring-daemon")
            .args(["--foreground", "--unlock", "--components=secrets"])
            .env("DBUS_SESSION_BUS_ADDRESS", &address)
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .env("XDG_RUNTIME_DIR", home.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("gnome-keyring-daemon (scripts/install-deps installs it)");
        // The login keyring's password, then end of input: unlocked.
        keyring.stdin.take().unwrap().write_all(b"raccordo-test").unwrap();
        let started = Instant::now();
        loop {
            let out = Command::new("dbus-send")
                .args([
                    "--session",
                    "--print-reply",
                    "--dest=org.freedesktop.DBus",
                    "/org/freedesktop/DBus",
                    "org.freedesktop.DBus.NameHasOwner",
                    "string:org.freedesktop.secrets",
                ])
                .env("DBUS_SESSION_BUS_ADDRESS", &address)
                .output()
                .unwrap();
            if String::from_utf8_lossy(&out.stdout).contains("boolean true") {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(20), "GNOME Keyring did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Keyring { address, bus, keyring, _home: home }
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.bus.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.wait();
    }
}

/// A hub process serving HTTPS on a free loopback port.
pub struct Hub {
    pub dir: tempfile::TempDir,
    pub url: String,
    pub cert: PathBuf,
    pub process: Option<Child>,
    pub log: PathBuf,
    pub port: u16,
    extra: Vec<String>,
}

impl Hub {
    /// A new hub (init --self-signed 127.0.0.1), started.
    pub fn start(extra: &[&str]) -> Hub {
        let dir = tempfile::tempdir().unwrap();
        let out = hub(dir.path(), &["init", "--self-signed", "127.0.0.1"]);
        assert!(out.status.success(), "init: {}", String::from_utf8_lossy(&out.stderr));
        let port = free_port();
        let mut h = Hub {
            cert: dir.path().join("cert.pem"),
            log: dir.path().join("serve.log"),
            url: format!("https://127.0.0.1:{port}"),
            dir,
            process: None,
            port,
            extra: extra.iter().map(|s| s.to_string()).collect(),
        };
        h.serve();
        h
    }

    /// Starts `serve` (again), waiting until it listens.
    pub fn serve(&mut self) {
        let log = std::fs::OpenOptions::new().create(true).append(true).open(&self.log).unwrap();
        let mut args = vec!["serve".to_owned(), "--listen".to_owned(), format!("127.0.0.1:{}", self.port)];
        args.extend(self.extra.iter().cloned());
        let child = Command::new(hub_bin())
            .arg("--data")
            .arg(self.dir.path())
            .args(&args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.process = Some(child);
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(started.elapsed() < Duration::from_secs(20), "the hub did not start: {}", self.log_text());
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// `raccordo-hub --data DIR ARGS…`.
    pub fn run(&self, args: &[&str]) -> Output {
        hub(self.dir.path(), args)
    }

    /// A one-time code for another installation of `office`.
    pub fn code_for(&self, office: &str) -> String {
        let out = self.run(&["office", "add", office]);
        assert!(out.status.success(), "office add: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().last().unwrap().trim().to_owned()
    }

    pub fn signal(&mut self, sig: &str) -> std::process::ExitStatus {
        let mut child = self.process.take().expect("a running hub");
        Command::new("kill").args([sig, &child.id().to_string()]).status().unwrap();
        child.wait().unwrap()
    }
}

impl Drop for Hub {
    fn drop(&mut self) {
        if let Some(mut c) = self.process.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn hub(dir: &Path, args: &[&str]) -> Output {
    Command::new(hub_bin()).arg("--data").arg(dir).args(args).output().unwrap()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// One register file, worked on through `raccordo-cli` with the test's keyring.
pub struct Office<'k> {
    pub db: PathBuf,
    keyring: &'k Keyring,
}

pub struct Run {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn expect_ok(self) -> String {
        assert!(self.ok, "failed: {}\n{}", self.stderr, self.stdout);
        self.stdout
    }

    /// The code of the `errore [CODE]: …` line.
    #[track_caller]
    pub fn expect_err(self) -> (String, String) {
        assert!(!self.ok, "expected a failure, got: {}", self.stdout);
        let line = self.stderr.lines().find(|l| l.starts_with("errore [")).unwrap_or_else(|| panic!("{}", self.stderr));
        let code = line["errore [".len()..line.find(']').unwrap()].to_owned();
        (code, line.to_owned())
    }
}

impl<'k> Office<'k> {
    pub fn new(dir: &Path, name: &str, keyring: &'k Keyring) -> Office<'k> {
        Office { db: dir.join(format!("{name}.db")), keyring }
    }

    pub fn cli(&self, args: &[&str]) -> Run {
        let out = Command::new(cli_bin())
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.keyring.address)
            .output()
            .unwrap();
        Run {
            ok: out.status.success(),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `raccordo-cli ARGS…` started, not waited for.
    pub fn spawn(&self, args: &[&str]) -> Child {
        Command::new(cli_bin())
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.keyring.address)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }

    /// Joins `hub` as an installation of the office `who`, trusting its certificate by pin.
    pub fn join(&self, hub: &Hub, who: &str) -> String {
        let code = hub.code_for(who);
        self.cli(&["sync", "join", &hub.url, &code, "--pin-cert", hub.cert.to_str().unwrap()]).expect_ok()
    }

    /// A draft agreement with this number and subject, through `raccordo-cli add`; its id.
    pub fn add_agreement(&self, number: &str, subject: &str) -> String {
        self.cli(&[
            "add",
            "agreement",
            &format!("number={number}"),
            &format!("subject={subject}"),
            "kind=protocollo_intesa",
            "objectives:=[]",
            "themes:=[]",
            "renewal=none",
            "status=bozza",
        ])
        .expect_ok()
        .trim()
        .to_owned()
    }

    pub fn sync(&self) -> String {
        self.cli(&["sync", "run"]).expect_ok()
    }

    /// The id of the administration called `name` in this register.
    pub fn administration(&self, name: &str) -> String {
        let list = self.cli(&["list", "administrations"]).expect_ok();
        let line = list.lines().find(|l| l.split('\t').nth(1) == Some(name)).unwrap_or_else(|| panic!("{name}"));
        line.split('\t').next().unwrap().to_owned()
    }

    /// Makes `administration` (an id) a party of `agreement`, as an adhering one.
    pub fn add_party(&self, agreement: &str, administration: &str) {
        let (agreement, administration) =
            (format!("agreement_id={agreement}"), format!("administration_id={administration}"));
        self.cli(&["add", "party", &agreement, &administration, "role=aderente"]).expect_ok();
    }

    pub fn snapshot(
        &self,
    ) -> std::collections::BTreeMap<(raccordo_register::Kind, uuid::Uuid), raccordo_register::db::Fields> {
        let reg = raccordo_register::Register::open(&self.db).unwrap();
        raccordo_register::changelog::snapshot(reg.connection()).unwrap()
    }

    pub fn conflicts(&self) -> Vec<String> {
        self.cli(&["sync", "conflicts"]).expect_ok().lines().map(str::to_owned).collect()
    }
}

/// A TCP proxy in front of the hub that the test controls: it passes bytes both ways
/// and, when told, cuts each new connection after so many bytes (both directions
/// counted), mid-TLS record, mid-batch, wherever that falls.
pub struct Proxy {
    pub url: String,
    cut_after: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// Connections it cut.
    pub cuts: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Proxy {
    pub fn start(hub_port: u16) -> Proxy {
        use std::sync::Arc;
        use std::sync::atomic::{AtomicU64, Ordering};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let cut_after = Arc::new(AtomicU64::new(u64::MAX));
        let cuts = Arc::new(AtomicU64::new(0));
        let (limit, cut_count) = (cut_after.clone(), cuts.clone());
        std::thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let Ok(server) = std::net::TcpStream::connect(("127.0.0.1", hub_port)) else { continue };
                let budget = limit.load(Ordering::SeqCst);
                let passed = Arc::new(AtomicU64::new(0));
                let cut_count = cut_count.clone();
                let pump = move |mut from: std::net::TcpStream, mut to: std::net::TcpStream, passed: Arc<AtomicU64>| {
                    let mut buf = [0u8; 4096];
                    loop {
                        let n = match std::io::Read::read(&mut from, &mut buf) {
                            Ok(0) | Err(_) => break,
                            Ok(n) => n,
                        };
                        let before = passed.fetch_add(n as u64, Ordering::SeqCst);
                        let allowed = budget.saturating_sub(before).min(n as u64) as usize;
                        if allowed > 0 && to.write_all(&buf[..allowed]).is_err() {
                            break;
                        }
                        if allowed < n {
                            cut_count.fetch_add(1, Ordering::SeqCst);
                            break;
                        }
                    }
                    let _ = from.shutdown(std::net::Shutdown::Both);
                    let _ = to.shutdown(std::net::Shutdown::Both);
                };
                let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
                let (p1, p2) = (pump.clone(), passed.clone());
                std::thread::spawn(move || p1(client, server, p2));
                std::thread::spawn(move || pump(s2, c2, passed));
            }
        });
        Proxy { url: format!("https://127.0.0.1:{port}"), cut_after, cuts }
    }

    /// New connections are cut after `bytes` (`None`: never).
    pub fn cut_after(&self, bytes: Option<u64>) {
        self.cut_after.store(bytes.unwrap_or(u64::MAX), std::sync::atomic::Ordering::SeqCst);
    }
}
