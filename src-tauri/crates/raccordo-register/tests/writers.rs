//! A register survives a kill at any point, and any number of processes write it.
//!
//! The other side is a real second process: this test binary run again as a child
//! (`child_writer`, ignored in a normal run), which writes through the register and
//! prints `ack …` on stdout after each write returned Ok. The parent kills it with
//! SIGKILL at random moments, or runs two of them on one file, and then checks the file
//! with SQLite's `integrity_check` and the full `verify::register`, and that no
//! acknowledged write is lost.

mod common;
use common::*;
use raccordo_register::*;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use uuid::Uuid;

const CHILD_ENV: &str = "RACCORDO_TEST_CHILD";
/// Starts every line a child says, among the test harness's own.
const MARK: &str = "@@ ";

/// How a child writes: `crash` (a random mix of writes until killed), `turns` (one
/// write per line read on stdin), `burst:N` (N writes as fast as it can, then exit).
fn spawn(path: &Path, mode: &str, seed: u64) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writer", "--ignored", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{mode}|{seed}|{}", path.display()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Run only as the child of the tests below.
#[test]
#[ignore = "the child process of the tests in this file"]
fn child_writer() {
    let spec = std::env::var(CHILD_ENV).expect("run by the tests of writers.rs");
    let mut parts = spec.splitn(3, '|');
    let (mode, seed, path) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
    let mut rng = fastrand::Rng::with_seed(seed.parse().unwrap());
    let out = std::io::stdout();
    let say = |line: String| {
        let mut o = out.lock();
        // Marked: the test harness prints lines of its own on the same stdout.
        writeln!(o, "{MARK}{line}").unwrap();
        o.flush().unwrap();
    };
    say("try open".into());
    let mut reg = Register::open(path).unwrap();
    say("ack open".into());
    let lucca = admin(&reg, "Comune di Lucca");
    let prefettura = admin(&reg, "Prefettura di Lucca");
    match mode {
        "crash" => loop {
            match rng.u8(0..10) {
                0..=3 => {
                    let n = format!("{}/{}", 2000 + rng.u32(0..100), rng.u64(..));
                    say(format!("try create {n}"));
                    let (a, _, _) = agreement_with_parties(&mut reg, &n, lucca, prefettura);
                    say(format!("ack create {}", a.id));
                }
                4..=5 => {
                    let Some(a) = any_agreement(&reg, &mut rng) else { continue };
                    let subject = format!("Oggetto {}", rng.u64(..));
                    say(format!("try update {} {subject}", a.id));
                    reg.update(Agreement { subject: subject.clone(), ..a.clone() }).unwrap();
                    say(format!("ack update {} {subject}", a.id));
                }
                6..=7 => {
                    let n = rng.usize(1..400);
                    say(format!("try many {n}"));
                    let ids: Vec<Uuid> = reg
                        .write_many(|b| (0..n).map(|i| b.create(Person::new(&format!("P{i}"), "Lotto"))).collect())
                        .unwrap();
                    let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
                    say(format!("ack many {}", ids.join(",")));
                }
                _ => {
                    let Some(a) = any_agreement(&reg, &mut rng) else { continue };
                    say(format!("try delete {}", a.id));
                    reg.delete(Kind::Agreement, a.id).unwrap();
                    say(format!("ack delete {}", a.id));
                }
            }
        },
        "turns" => {
            for line in std::io::stdin().lock().lines() {
                let name = line.unwrap();
                let p = reg.create(Person::new(&name, "Turno")).unwrap();
                say(format!("ack person {}", p.id));
            }
        }
        burst => {
            let n: usize = burst.strip_prefix("burst:").unwrap().parse().unwrap();
            for i in 0..n {
                let p = reg.create(Person::new(&format!("Raffica {i}"), "Insieme")).unwrap();
                say(format!("ack person {}", p.id));
            }
        }
    }
}

fn agreement_with_parties(reg: &mut Register, number: &str, a1: Uuid, a2: Uuid) -> (Agreement, Party, Party) {
    reg.write(|w| {
        let a = w.create(Agreement::draft(number, "Protocollo di prova"))?;
        let p1 = w.create(Party::new(a.id, a1, PartyRole::Capofila))?;
        let p2 = w.create(Party::new(a.id, a2, PartyRole::Aderente))?;
        Ok((a, p1, p2))
    })
    .unwrap()
}

fn any_agreement(reg: &Register, rng: &mut fastrand::Rng) -> Option<Agreement> {
    let all: Vec<Agreement> = reg.reader().select("SELECT * FROM agreement", []).unwrap();
    (!all.is_empty()).then(|| all[rng.usize(..all.len())].clone())
}

/// The file opens, SQLite finds it sound, and it is what its journal says.
fn check_file(path: &Path) -> Register {
    let reg = Register::open(path).unwrap_or_else(|e| panic!("the register does not open again: {}", e.describe()));
    let ok: String = reg.connection().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(ok, "ok");
    verify::register(reg.connection()).unwrap().into_result().unwrap_or_else(|e| panic!("{}", e.describe()));
    assert_eq!(reg.directory_snapshot().unwrap().as_deref(), Some(directory::SNAPSHOT));
    reg
}

/// What the children acknowledged, to be found in the file.
#[derive(Default)]
struct Acked {
    /// Agreement id → its acknowledged subject (`None`: as created); deleted ones removed.
    agreements: HashMap<Uuid, Option<String>>,
    deleted: HashSet<Uuid>,
    people: HashSet<Uuid>,
    /// People in the file after the last check, and those acknowledged since.
    people_in_file: usize,
    new_people: usize,
}

impl Acked {
    /// Takes one child's output; returns the line of the write in flight when it died.
    fn take(&mut self, lines: &[String]) -> Option<String> {
        let mut in_flight = None;
        for line in lines {
            let mut words = line.splitn(3, ' ');
            let (verb, what, rest) = (words.next(), words.next().unwrap_or(""), words.next());
            match (verb, what) {
                (Some("try"), _) => in_flight = Some(line.clone()),
                (Some("ack"), "open") => in_flight = None,
                (Some("ack"), "create") => {
                    self.agreements.insert(rest.unwrap().parse().unwrap(), None);
                    in_flight = None;
                }
                (Some("ack"), "update") => {
                    let (id, subject) = rest.unwrap().split_once(' ').unwrap();
                    self.agreements.insert(id.parse().unwrap(), Some(subject.to_owned()));
                    in_flight = None;
                }
                (Some("ack"), "many") => {
                    let ids: Vec<Uuid> = rest.unwrap().split(',').map(|id| id.parse().unwrap()).collect();
                    self.new_people += ids.len();
                    self.people.extend(ids);
                    in_flight = None;
                }
                (Some("ack"), "delete") => {
                    let id = rest.unwrap().parse().unwrap();
                    self.agreements.remove(&id);
                    self.deleted.insert(id);
                    in_flight = None;
                }
                _ => panic!("unexpected line from the child: {line}"),
            }
        }
        in_flight
    }

    /// Every acknowledged write is in the file; the one in flight may or may not be,
    /// and what the file holds of it becomes what later runs expect.
    fn check(&mut self, reg: &Register, in_flight: Option<&str>) {
        let touched = |id: &Uuid| in_flight.is_some_and(|l| l.contains(&id.to_string()));
        for (id, subject) in &self.agreements {
            if touched(id) {
                continue;
            }
            let a: Agreement =
                reg.reader().get(*id).unwrap().unwrap_or_else(|| panic!("acknowledged agreement {id} lost"));
            if let Some(s) = subject {
                assert_eq!(&a.subject, s, "acknowledged update of {id} lost");
            }
            assert_eq!(reg.reader().children::<Party>("agreement_id", *id).unwrap().len(), 2, "parties of {id}");
        }
        for id in self.deleted.iter().filter(|id| !touched(id)) {
            assert!(reg.reader().get::<Agreement>(*id).unwrap().is_none(), "acknowledged delete of {id} undone");
        }
        let people = reg.reader().count(Kind::Person).unwrap() as usize;
        let pending: usize = in_flight.and_then(|l| l.strip_prefix("try many ")).map_or(0, |n| n.parse().unwrap());
        let expected = self.people_in_file + self.new_people;
        assert!(
            people == expected || people == expected + pending,
            "{people} people in the file, {expected} expected, {pending} in flight: a batch landed in part"
        );
        for id in &self.people {
            assert!(reg.reader().exists(Kind::Person, *id).unwrap(), "acknowledged person {id} lost");
        }
        (self.people_in_file, self.new_people) = (people, 0);
        let in_flight_id = in_flight.and_then(|l| l.split(' ').nth(2)).and_then(|w| w.parse::<Uuid>().ok());
        if let Some(id) = in_flight_id {
            match reg.reader().get::<Agreement>(id).unwrap() {
                Some(a) => {
                    self.agreements.insert(id, Some(a.subject));
                }
                None => {
                    self.agreements.remove(&id);
                    self.deleted.insert(id);
                }
            }
        }
    }
}

/// What a child said on a line of its stdout. The harness may have printed the start
/// of its own line ("test child_writer ... ") before the child's first.
fn said(line: &str) -> Option<&str> {
    line.find(MARK).map(|at| &line[at + MARK.len()..])
}

/// Reads a child's stdout on a thread. A line the kill cut short (no newline yet) was
/// never fully said, so it is left out.
fn collect(child: &mut Child) -> std::thread::JoinHandle<Vec<String>> {
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(out);
        let mut lines = Vec::new();
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            let text = String::from_utf8_lossy(&line);
            if let Some(said) = said(&text).and_then(|t| t.strip_suffix('\n')) {
                lines.push(said.to_owned());
            }
            line.clear();
        }
        lines
    })
}

#[test]
fn a_child_killed_at_random_points_200_times_loses_no_acknowledged_write() {
    let seed: u64 = std::env::var("RACCORDO_CRASH_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(20261201);
    let runs: usize = std::env::var("RACCORDO_CRASH_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let mut rng = fastrand::Rng::with_seed(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut path = dir.path().join("registro-0.raccordo");
    let mut acked = Acked::default();
    let mut first_opens = 0;
    for run in 0..runs {
        // One run in eight starts a new file: the kill may land in its first open
        // (migrations, identity, the directory).
        let first_open = run % 8 == 0;
        if first_open {
            path = dir.path().join(format!("registro-{run}.raccordo"));
            acked = Acked::default();
        }
        let mut child = spawn(&path, "crash", rng.u64(..));
        let lines = collect(&mut child);
        let wait = if first_open { rng.u64(0..500) } else { rng.u64(20..250) };
        std::thread::sleep(Duration::from_millis(wait));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let lines = lines.join().unwrap();
        if first_open && !lines.iter().any(|l| l == "ack open") {
            first_opens += 1;
        }
        let in_flight = acked.take(&lines);
        let reg = check_file(&path);
        acked.check(&reg, in_flight.as_deref());
        eprintln!("run {run} (seed {seed}): killed after {wait} ms, {} lines, in flight: {in_flight:?}", lines.len());
    }
    eprintln!("{first_opens} kills landed during a first open");
}

#[test]
fn two_processes_writing_in_turns_keep_one_chain() {
    let (_d, reg) = fresh();
    let path = reg.path().to_owned();
    drop(reg);
    let mut a = spawn(&path, "turns", 1);
    let mut b = spawn(&path, "turns", 2);
    let (mut a_in, mut b_in) = (a.stdin.take().unwrap(), b.stdin.take().unwrap());
    let said = |c: &mut Child| {
        BufReader::new(c.stdout.take().unwrap()).lines().map(Result::unwrap).filter_map(|l| said(&l).map(str::to_owned))
    };
    let (mut a_out, mut b_out) = (said(&mut a), said(&mut b));
    // Both have the register open before either writes: each one's head goes stale.
    for out in [&mut a_out, &mut b_out] {
        assert_eq!(out.next().unwrap(), "try open");
        assert_eq!(out.next().unwrap(), "ack open");
    }
    let mut ids = Vec::new();
    for i in 0..20 {
        let (input, output) = if i % 2 == 0 { (&mut a_in, &mut a_out) } else { (&mut b_in, &mut b_out) };
        writeln!(input, "Persona {i}").unwrap();
        let line = output.next().unwrap();
        ids.push(line.strip_prefix("ack person ").unwrap().parse::<Uuid>().unwrap());
    }
    drop((a_in, b_in));
    assert!(a.wait().unwrap().success() && b.wait().unwrap().success());
    let reg = check_file(&path);
    for id in &ids {
        assert!(reg.reader().exists(Kind::Person, *id).unwrap());
    }
    assert_eq!(audit::verify(reg.connection()).unwrap().entries, 21, "the directory load and 20 writes, one chain");
}

#[test]
fn two_processes_writing_at_once_lose_nothing() {
    let (_d, reg) = fresh();
    let path = reg.path().to_owned();
    drop(reg);
    let mut children: Vec<Child> = (0..2).map(|i| spawn(&path, "burst:150", i)).collect();
    let outputs: Vec<_> = children.iter_mut().map(collect).collect();
    for c in &mut children {
        assert!(c.wait().unwrap().success(), "a writer failed instead of waiting its turn");
    }
    let mut acked = HashSet::new();
    for out in outputs {
        for line in out.join().unwrap() {
            if let Some(id) = line.strip_prefix("ack person ") {
                acked.insert(id.parse::<Uuid>().unwrap());
            }
        }
    }
    assert_eq!(acked.len(), 300);
    let reg = check_file(&path);
    assert_eq!(reg.reader().count(Kind::Person).unwrap(), 300);
    for id in &acked {
        assert!(reg.reader().exists(Kind::Person, *id).unwrap());
    }
    assert_eq!(audit::verify(reg.connection()).unwrap().entries, 301);
}

#[test]
fn two_registers_open_on_one_file_in_one_process_write_in_turns() {
    let (_d, mut first) = fresh();
    let mut second = Register::open(first.path()).unwrap();
    let lucca = admin(&first, "Comune di Lucca");
    let prefettura = admin(&first, "Prefettura di Lucca");
    agreement_with_parties(&mut first, "2007/12", lucca, prefettura);
    // Before the fix: "UNIQUE constraint failed: journal.seq" here, and on every later write.
    second.create(Person::new("Mario", "Rossi")).unwrap();
    first.create(Person::new("Luca", "Leone")).unwrap();
    let changes = changelog::since(first.connection(), 0, 100).unwrap();
    assert_eq!(changes.len(), 5);
    assert!(changes.windows(2).all(|w| w[0].hlc < w[1].hlc), "the clock grows across both connections");
    verify::register(first.connection()).unwrap().into_result().unwrap();
}

#[test]
fn a_writer_held_busy_past_its_wait_says_so_in_italian_and_changes_nothing() {
    let (_d, mut reg) = fresh();
    let blocker = rusqlite::Connection::open(reg.path()).unwrap();
    blocker.execute_batch("BEGIN IMMEDIATE").unwrap();
    let before = std::time::Instant::now();
    let e = reg.create(Person::new("Mario", "Rossi")).unwrap_err();
    assert_eq!(e.code, ErrorCode::Busy);
    assert!(e.message.contains("Riprova fra qualche secondo"), "{}", e.message);
    assert!(before.elapsed() >= Duration::from_secs(5), "it waited before giving up");
    blocker.execute_batch("ROLLBACK").unwrap();
    assert_eq!(reg.reader().count(Kind::Person).unwrap(), 0);
    reg.create(Person::new("Mario", "Rossi")).unwrap();
}
