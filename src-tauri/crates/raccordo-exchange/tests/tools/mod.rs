//! The tools nobody here wrote, run as the tests' other side: the Python programs of
//! `tests/tools/` (icalendar, csv, openpyxl, odfpy, xlwt) in the environment that
//! `scripts/install-deps` makes in `target/tools/py`.
#![allow(dead_code)] // each test file uses some of these

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

pub fn python_bin() -> PathBuf {
    root().join("target/tools/py/bin/python")
}

/// Runs `tests/tools/SCRIPT ARGS…` with `stdin` (JSON) on its input; what it printed.
/// A failure stops the test with what the tool said.
pub fn python(script: &str, args: &[&str], stdin: Option<&Value>) -> Vec<u8> {
    let mut child = std::process::Command::new(python_bin())
        .arg(root().join("tests/tools").join(script))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("target/tools/py (scripts/install-deps)");
    let input = stdin.map(|v| v.to_string()).unwrap_or_default();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{script} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// What a reader of `tests/tools/` (ics_read.py, sheet_read.py) finds in `file`, as JSON.
pub fn read_with(script: &str, file: &Path) -> Value {
    serde_json::from_slice(&python(script, &[file.to_str().unwrap()], None)).unwrap()
}
