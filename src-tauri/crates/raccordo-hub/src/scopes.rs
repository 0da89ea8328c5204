//! Who may read and write what, on the SQLite store: the hub's index of groups
//! (`raccordo_register::sharing`), built from the changes it receives and never from a
//! client's say-so.
//!
//! For each record the hub keeps its kind, its group and the fields that route it
//! (`tracked`, last writer wins on the clock like the registers do); for each group its
//! registrar (the office that first sent it), its scope and its **audience**, the
//! offices that read it (`access`; all offices when its scope is *rete*). A pushed
//! change is admitted only from an office in the audience of its record's group
//! ([`Refusal::OutOfScope`] otherwise, and the batch is refused whole); only the
//! registrar changes a scope. At the end of a batch the audiences it touched are
//! computed again, and each office that gains a group gets a `share` entry in the log
//! (its pull then brings the group's history), each office that loses one an `unshare`
//! entry (its copy is shown as no longer shared, and nothing further reaches it).
//!
//! A delete reaches every office that ever read the group (`ever`), so nothing comes
//! back, and so that a party removed with its agreement still learns of the removal.

use crate::store::{HubError, HubResult, LoggedChange};
use raccordo_register::sharing::Role;
use raccordo_sync::protocol::Refusal;
use rusqlite::{Connection, OptionalExtension, params};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

pub const SCHEMA: &str = "
-- Every record the hub has a change of: its group, and where it belongs; how far its
-- log entries are purged (`purge`): 0 not, 1 all but its delete, 2 all.
CREATE TABLE IF NOT EXISTS rec (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    grp TEXT NOT NULL,
    parent TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    purged INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS rec_parent ON rec(parent);
CREATE INDEX IF NOT EXISTS rec_grp ON rec(grp);
-- The routing fields of each record, with the clock and site that wrote them.
CREATE TABLE IF NOT EXISTS tracked (
    record TEXT NOT NULL,
    field TEXT NOT NULL,
    role TEXT NOT NULL,
    ord INTEGER NOT NULL,
    value TEXT,
    hlc INTEGER NOT NULL,
    site TEXT NOT NULL,
    PRIMARY KEY (record, field)
) STRICT, WITHOUT ROWID;
-- For 'who refers to this value'. Statements that know the record write +role
-- (`by_record`), so that the planner goes by the key, not through every field of a role.
CREATE INDEX IF NOT EXISTS tracked_value ON tracked(role, value);
-- Groups: an agreement, a project outside any, a person.
CREATE TABLE IF NOT EXISTS grp (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    registrar TEXT NOT NULL,
    scope TEXT NOT NULL,
    ever_rete INTEGER NOT NULL DEFAULT 0,
    deleted INTEGER NOT NULL DEFAULT 0
) STRICT;
-- The offices that read a group now (all of them when its scope is rete), and those
-- that ever did.
CREATE TABLE IF NOT EXISTS access (grp TEXT NOT NULL, office TEXT NOT NULL, PRIMARY KEY (grp, office)) STRICT, WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ever (grp TEXT NOT NULL, office TEXT NOT NULL, PRIMARY KEY (grp, office)) STRICT, WITHOUT ROWID;
";

/// The statements that know the record and read its routing fields. Each writes
/// `+role`, so that SQLite goes by the record's key and not through `tracked_value`,
/// every field of that role in the hub (a push of 2,000 changes grew from 0.1 to 1.1 s
/// over 50,000 changes that way); a test reads their query plans.
mod by_record {
    pub const ROUTES: &str = "SELECT role, value FROM tracked WHERE record = ?1 AND +role IN ('party', 'person')";
    pub const PARENT: &str =
        "SELECT value FROM tracked WHERE record = ?1 AND +role = 'parent' AND value IS NOT NULL ORDER BY ord LIMIT 1";
    pub const SCOPE: &str = "SELECT value FROM tracked WHERE record = ?1 AND +role = 'scope'";
    pub const GROUP_PERSONS: &str = "SELECT DISTINCT t.value FROM rec r JOIN tracked t ON t.record = r.id
         WHERE r.grp = ?1 AND r.deleted = 0 AND +t.role = 'person' AND t.value IS NOT NULL";
    pub const GROUP_PARTIES: &str = "SELECT t.value FROM rec r JOIN tracked t ON t.record = r.id AND +t.role = 'party'
         WHERE r.grp = ?1 AND r.kind = ?2 AND r.deleted = 0 AND t.value IS NOT NULL";
    #[cfg(test)]
    pub const ALL: [&str; 5] = [ROUTES, PARENT, SCOPE, GROUP_PERSONS, GROUP_PARTIES];
}

/// The group of administrations: every office reads it.
pub fn public() -> String {
    Uuid::nil().to_string()
}

fn internal(e: impl std::fmt::Display) -> HubError {
    HubError::internal(e)
}

fn out_of_scope(message: String) -> HubError {
    HubError::new(Refusal::OutOfScope, format!("{message} Il lotto non è stato applicato."))
}

/// Who reads a group.
#[derive(Debug, Clone, PartialEq)]
enum Audience {
    All,
    Offices(BTreeSet<String>),
}

/// The index work of one pushed batch, in its transaction.
pub struct Admission<'t> {
    conn: &'t Connection,
    office: String,
    /// Scoped groups and persons whose audience may have changed.
    dirty: BTreeSet<String>,
    /// Groups first seen in this batch: their offices get all of them in the log's
    /// order, no share needed.
    new: BTreeSet<String>,
    /// Groups that gained records moved from another group: every office of theirs
    /// gets their history again.
    regrouped: BTreeSet<String>,
}

impl<'t> Admission<'t> {
    pub fn new(conn: &'t Connection, office: Uuid) -> Admission<'t> {
        Admission {
            conn,
            office: office.to_string(),
            dirty: BTreeSet::new(),
            new: BTreeSet::new(),
            regrouped: BTreeSet::new(),
        }
    }

    /// Checks that the sender's office may write this change and files it in the
    /// index; its group, for the log.
    pub fn admit(&mut self, ch: &LoggedChange) -> HubResult<String> {
        let id = ch.record_id.to_string();
        let held: Option<(String, String)> = self
            .conn
            .prepare_cached("SELECT grp, kind FROM rec WHERE id = ?1")
            .and_then(|mut s| s.query_row([&id], |r| Ok((r.get(0)?, r.get(1)?))).optional())
            .map_err(internal)?;
        if let Some((grp, _)) = &held {
            self.check_write(grp, ch)?;
        }
        // The routing fields, last writer wins.
        let mut routing_changed = Vec::new();
        for t in &ch.tracked {
            let stored: Option<(Option<String>, i64, String)> = self
                .conn
                .prepare_cached("SELECT value, hlc, site FROM tracked WHERE record = ?1 AND field = ?2")
                .and_then(|mut s| {
                    s.query_row(params![id, t.field], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()
                })
                .map_err(internal)?;
            let newer = match &stored {
                None => true,
                Some((_, hlc, site)) => (ch.hlc as i64, ch.site.to_string()) > (*hlc, site.clone()),
            };
            if !newer || stored.as_ref().is_some_and(|(v, _, _)| *v == t.value) {
                continue;
            }
            if t.role == Role::Scope && held.is_some() {
                self.check_registrar(&id, ch)?;
            }
            self.conn
                .prepare_cached(
                    "INSERT OR REPLACE INTO tracked (record, field, role, ord, value, hlc, site) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .and_then(|mut s| {
                    s.execute(params![id, t.field, t.role.as_str(), t.ord, t.value, ch.hlc as i64, ch.site.to_string()])
                })
                .map_err(internal)?;
            routing_changed.push((t.role, stored.and_then(|(v, _, _)| v), t.value.clone()));
        }
        let parent = self.parent(&id)?;
        let grp = match &parent {
            _ if ch.kind == "administration" => public(),
            Some(p) => match self.group_of_record(p)? {
                Some(g) => g,
                None => {
                    return Err(out_of_scope(format!(
                        "{} {}: appartiene a un record ({p}) che il hub non ha ricevuto.",
                        ch.kind, ch.record_id
                    )));
                }
            },
            None => {
                self.found_group(&id, &ch.kind)?;
                id.clone()
            }
        };
        match &held {
            None => {
                self.check_write(&grp, ch)?;
                self.conn
                    .prepare_cached("INSERT INTO rec (id, kind, grp, parent) VALUES (?1, ?2, ?3, ?4)")
                    .and_then(|mut s| s.execute(params![id, ch.kind, grp, parent]))
                    .map_err(internal)?;
            }
            Some((old, _)) if *old != grp => {
                self.check_write(&grp, ch)?;
                self.regroup(&id, &grp, parent.as_deref())?;
                crate::purge::reopen(self.conn, &id)?;
                self.dirty.insert(old.clone());
                self.dirty.insert(grp.clone());
                self.regrouped.insert(grp.clone());
            }
            Some(_) => {
                // `purged = 0`: a change for a purged record waits to be purged again
                // (`purge::reopen`, here in the statement every held record runs).
                self.conn
                    .prepare_cached("UPDATE rec SET parent = ?2, purged = 0 WHERE id = ?1")
                    .and_then(|mut s| s.execute(params![id, parent]))
                    .map_err(internal)?;
            }
        }
        if ch.op == "delete" {
            self.conn.execute("UPDATE rec SET deleted = 1 WHERE id = ?1", [&id]).map_err(internal)?;
            if grp == id {
                self.conn.execute("UPDATE grp SET deleted = 1 WHERE id = ?1", [&id]).map_err(internal)?;
            }
            // What it made a party of, or referred to, no longer counts.
            let routes: Vec<(String, Option<String>)> = self
                .conn
                .prepare_cached(by_record::ROUTES)
                .and_then(|mut s| s.query_map([&id], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
                .map_err(internal)?;
            for (role, value) in routes {
                if role == "party" {
                    self.dirty.insert(grp.clone());
                } else if let Some(person) = value {
                    self.dirty.insert(person);
                }
            }
        }
        for (role, old, new) in routing_changed {
            match role {
                Role::Scope | Role::Party => {
                    self.dirty.insert(grp.clone());
                }
                Role::Person => self.dirty.extend([old, new].into_iter().flatten()),
                Role::Parent | Role::Blob => {}
            }
        }
        Ok(grp)
    }

    /// The record this one belongs to: the first routing parent field with a value.
    fn parent(&self, id: &str) -> HubResult<Option<String>> {
        self.conn
            .prepare_cached(by_record::PARENT)
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(internal)
    }

    fn group_of_record(&self, id: &str) -> HubResult<Option<String>> {
        self.conn
            .prepare_cached("SELECT grp FROM rec WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)).optional())
            .map_err(internal)
    }

    /// A root seen for the first time: its group, registered by the sender's office.
    fn found_group(&mut self, id: &str, kind: &str) -> HubResult<()> {
        let n = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO grp (id, kind, registrar, scope) VALUES (?1, ?2, ?3, 'parti')")
            .and_then(|mut s| s.execute(params![id, kind, self.office]))
            .map_err(internal)?;
        if n > 0 {
            self.new.insert(id.to_owned());
            self.dirty.insert(id.to_owned());
        }
        Ok(())
    }

    /// A record moved to another group, with the records under it, and their changes.
    fn regroup(&self, id: &str, grp: &str, parent: Option<&str>) -> HubResult<()> {
        self.conn
            .execute(
                "WITH RECURSIVE moved(id) AS (SELECT ?1 UNION SELECT r.id FROM rec r JOIN moved m ON r.parent = m.id)
                 UPDATE rec SET grp = ?2 WHERE id IN (SELECT id FROM moved)",
                params![id, grp],
            )
            .map_err(internal)?;
        self.conn.execute("UPDATE rec SET parent = ?2 WHERE id = ?1", params![id, parent]).map_err(internal)?;
        self.conn
            .execute(
                "UPDATE change SET grp = ?1 WHERE record_id IN (SELECT id FROM rec WHERE grp = ?1) AND grp != ?1",
                [grp],
            )
            .map_err(internal)?;
        Ok(())
    }

    fn check_write(&self, grp: &str, ch: &LoggedChange) -> HubResult<()> {
        if grp == public() || may_read(self.conn, grp, &self.office, false)? {
            return Ok(());
        }
        Err(out_of_scope(format!(
            "{} {}: il protocollo o progetto a cui appartiene non è condiviso con questo ufficio (o non lo è più).",
            ch.kind, ch.record_id
        )))
    }

    fn check_registrar(&self, id: &str, ch: &LoggedChange) -> HubResult<()> {
        let registrar: Option<String> = self
            .conn
            .query_row("SELECT registrar FROM grp WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(internal)?;
        if registrar.is_none_or(|r| r == self.office) {
            return Ok(());
        }
        Err(out_of_scope(format!(
            "{} {}: la condivisione la decide solo l'ufficio che lo ha registrato.",
            ch.kind, ch.record_id
        )))
    }

    /// Computes again the audiences the batch touched and returns the log's share and
    /// unshare entries to append: `(op, group, office)`.
    pub fn finish(self) -> HubResult<Vec<(&'static str, String, String)>> {
        let mut markers = Vec::new();
        let mut persons = BTreeSet::new();
        let kind_of = |g: &str| -> HubResult<Option<(String, bool)>> {
            self.conn
                .query_row("SELECT kind, deleted FROM grp WHERE id = ?1", [g], |r| {
                    Ok((r.get(0)?, r.get::<_, i64>(1)? != 0))
                })
                .optional()
                .map_err(internal)
        };
        let mut scoped = Vec::new();
        for g in &self.dirty {
            match kind_of(g)? {
                Some((k, _)) if k == "person" => {
                    persons.insert(g.clone());
                }
                Some((_, false)) => scoped.push(g.clone()),
                _ => {}
            }
        }
        for g in scoped {
            if self.refresh(&g, &mut markers)? {
                // The people it refers to travel where it does.
                let referred: Vec<String> = self
                    .conn
                    .prepare_cached(by_record::GROUP_PERSONS)
                    .and_then(|mut s| s.query_map([&g], |r| r.get(0))?.collect())
                    .map_err(internal)?;
                persons.extend(referred);
            }
        }
        for p in persons {
            if kind_of(&p)?.is_some_and(|(_, deleted)| !deleted) {
                self.refresh(&p, &mut markers)?;
            }
        }
        Ok(markers)
    }

    /// Computes a group's audience again and notes who gains and who loses it;
    /// whether it changed.
    fn refresh(&self, g: &str, markers: &mut Vec<(&'static str, String, String)>) -> HubResult<bool> {
        let before = stored_audience(self.conn, g)?;
        let after = audience(self.conn, g)?;
        let regrouped = self.regrouped.contains(g);
        if before == after && !regrouped {
            return Ok(false);
        }
        let offices: BTreeSet<String> = self
            .conn
            .prepare_cached("SELECT id FROM office WHERE revoked_at IS NULL")
            .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
            .map_err(internal)?;
        let expand = |a: &Audience| match a {
            Audience::All => offices.clone(),
            Audience::Offices(s) => s.intersection(&offices).cloned().collect(),
        };
        let (had, has) = (if regrouped { BTreeSet::new() } else { expand(&before) }, expand(&after));
        if !self.new.contains(g) {
            for o in has.difference(&had) {
                markers.push(("share", g.to_owned(), o.clone()));
            }
        }
        for o in expand(&before).difference(&has) {
            markers.push(("unshare", g.to_owned(), o.clone()));
        }
        self.conn.execute("DELETE FROM access WHERE grp = ?1", [g]).map_err(internal)?;
        match &after {
            Audience::All => {
                self.conn
                    .execute("UPDATE grp SET scope = 'rete', ever_rete = 1 WHERE id = ?1", [g])
                    .map_err(internal)?;
            }
            Audience::Offices(set) => {
                let scope = scope_of(self.conn, g)?;
                self.conn.execute("UPDATE grp SET scope = ?2 WHERE id = ?1", params![g, scope]).map_err(internal)?;
                for o in set {
                    for table in ["access", "ever"] {
                        self.conn
                            .prepare_cached(&format!("INSERT OR IGNORE INTO {table} (grp, office) VALUES (?1, ?2)"))
                            .and_then(|mut s| s.execute(params![g, o]))
                            .map_err(internal)?;
                    }
                }
            }
        }
        Ok(true)
    }
}

/// The scope a scoped group's root holds now (a person's group: `parti`).
fn scope_of(conn: &Connection, g: &str) -> HubResult<String> {
    let v: Option<Option<String>> = conn.query_row(by_record::SCOPE, [g], |r| r.get(0)).optional().map_err(internal)?;
    Ok(v.flatten().unwrap_or_else(|| "parti".to_owned()))
}

/// The audience as the index holds it, from the last refresh.
fn stored_audience(conn: &Connection, g: &str) -> HubResult<Audience> {
    let scope: Option<String> =
        conn.query_row("SELECT scope FROM grp WHERE id = ?1", [g], |r| r.get(0)).optional().map_err(internal)?;
    if scope.as_deref() == Some("rete") {
        return Ok(Audience::All);
    }
    let set = conn
        .prepare_cached("SELECT office FROM access WHERE grp = ?1")
        .and_then(|mut s| s.query_map([g], |r| r.get(0))?.collect())
        .map_err(internal)?;
    Ok(Audience::Offices(set))
}

/// The audience a group has by its records now.
fn audience(conn: &Connection, g: &str) -> HubResult<Audience> {
    let (kind, registrar): (String, String) = conn
        .query_row("SELECT kind, registrar FROM grp WHERE id = ?1", [g], |r| Ok((r.get(0)?, r.get(1)?)))
        .map_err(internal)?;
    let mut offices = BTreeSet::from([registrar]);
    if kind == "person" {
        let groups: Vec<String> = conn
            .prepare_cached(
                "SELECT DISTINCT r.grp FROM tracked t JOIN rec r ON r.id = t.record
                 JOIN grp g ON g.id = r.grp AND g.deleted = 0
                 WHERE t.role = 'person' AND t.value = ?1 AND r.deleted = 0 AND r.grp != ?1",
            )
            .and_then(|mut s| s.query_map([g], |r| r.get(0))?.collect())
            .map_err(internal)?;
        for other in groups {
            match audience(conn, &other)? {
                Audience::All => return Ok(Audience::All),
                Audience::Offices(s) => offices.extend(s),
            }
        }
        return Ok(Audience::Offices(offices));
    }
    match scope_of(conn, g)?.as_str() {
        "privato" => {}
        "rete" => return Ok(Audience::All),
        _ => {
            let party_kind = if kind == "project" { "project_partner" } else { "party" };
            let parties: Vec<String> = conn
                .prepare_cached(by_record::GROUP_PARTIES)
                .and_then(|mut s| s.query_map([g, party_kind], |r| r.get(0))?.collect())
                .map_err(internal)?;
            offices.extend(parties);
        }
    }
    Ok(Audience::Offices(offices))
}

/// Whether `office` reads group `grp` (for a delete: whether it ever did).
fn may_read(conn: &Connection, grp: &str, office: &str, delete: bool) -> HubResult<bool> {
    let row: Option<(String, String, i64)> = conn
        .prepare_cached("SELECT registrar, scope, ever_rete FROM grp WHERE id = ?1")
        .and_then(|mut s| s.query_row([grp], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional())
        .map_err(internal)?;
    let Some((registrar, scope, ever_rete)) = row else { return Ok(false) };
    if registrar == office || scope == "rete" || (delete && ever_rete != 0) {
        return Ok(true);
    }
    let table = if delete { "ever" } else { "access" };
    conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE grp = ?1 AND office = ?2"))
        .and_then(|mut s| s.exists([grp, office]))
        .map_err(internal)
}

/// Whether `office` reads an attachment whose file has SHA-256 `sha`: the file goes
/// where the attachment does, and only there.
pub fn blob_readable(conn: &Connection, office: Uuid, sha: &str) -> HubResult<bool> {
    let groups: Vec<String> = conn
        .prepare_cached(
            "SELECT DISTINCT r.grp FROM tracked t JOIN rec r ON r.id = t.record
             WHERE t.role = 'blob' AND t.value = ?1 AND r.deleted = 0",
        )
        .and_then(|mut s| s.query_map([sha], |r| r.get(0))?.collect())
        .map_err(internal)?;
    let office = office.to_string();
    for g in groups {
        if g == public() || may_read(conn, &g, &office, false)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// What one office reads of the log, each group looked up once per pull.
pub struct Reading<'c> {
    conn: &'c Connection,
    office: String,
    seen: HashMap<(String, bool), bool>,
}

impl<'c> Reading<'c> {
    pub fn new(conn: &'c Connection, office: Uuid) -> Reading<'c> {
        Reading { conn, office: office.to_string(), seen: HashMap::new() }
    }

    pub fn office(&self) -> &str {
        &self.office
    }

    /// Whether the office reads a change of `op` to a record of group `grp`.
    pub fn reads(&mut self, grp: &str, op: &str) -> HubResult<bool> {
        if grp == public() {
            return Ok(true);
        }
        let key = (grp.to_owned(), op == "delete");
        if let Some(v) = self.seen.get(&key) {
            return Ok(*v);
        }
        let v = may_read(self.conn, grp, &self.office, key.1)?;
        self.seen.insert(key, v);
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plans SQLite makes for the statements that know the record, on the hub's
    /// schema: none goes through `tracked_value`.
    #[test]
    fn statements_that_know_the_record_go_by_its_key() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(SCHEMA).unwrap();
        for sql in by_record::ALL {
            let plan: Vec<String> = conn
                .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                .unwrap()
                .query_map(rusqlite::params_from_iter(["a", "b"].iter().take(sql.matches('?').count())), |r| r.get(3))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let plan = plan.join(" / ");
            assert!(!plan.contains("tracked_value"), "{sql}\n{plan}");
            assert!(
                plan.contains("tracked USING PRIMARY KEY") || plan.contains("USING PRIMARY KEY (record=?"),
                "{sql}\n{plan}"
            );
        }
    }
}
