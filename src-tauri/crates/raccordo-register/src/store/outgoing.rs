//! What this register sends to the hub, by sharing scope (`sharing`): a change goes
//! unless its group is private, or the hub stopped sharing it with this office. What
//! is not sent is noted (`sync_withheld`, schema 8) and sent when the group is shared
//! again, so that the hub, and the offices it serves, never miss a change made meanwhile.
//!
//! A private agreement that the hub had received is announced once as private (the
//! change of its scope, alone) so that the hub stops handing it out; one the hub never
//! had is never named to it.

use super::Register;
use crate::changelog::{Change, Op};
use crate::error::{Error, Result};
use crate::model::Scope;
use crate::sharing::{self, Group};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

/// One batch to send: the changes of the journal after the push cursor that may go,
/// in its order, and what it withholds.
#[derive(Debug, Default)]
pub struct Outgoing {
    pub changes: Vec<Change>,
    /// The last journal row this batch accounts for, sent or withheld: the push cursor
    /// once the hub acknowledges the batch.
    pub through_seq: i64,
    /// Changes read and not sent.
    pub withheld: u64,
    withheld_from: BTreeMap<Uuid, i64>,
    sent_groups: BTreeSet<Uuid>,
}

/// A group shared again, with the changes of it this register withheld.
#[derive(Debug)]
pub struct Released {
    pub group: Uuid,
    pub changes: Vec<Change>,
}

impl Register {
    /// Sets who receives an agreement, or a project outside any agreement, and all that
    /// belongs to it. Only the office that registered it decides (the writer's rule);
    /// the scope it had.
    pub fn set_scope(&mut self, kind: crate::kind::Kind, id: Uuid, scope: Scope) -> Result<Scope> {
        use crate::kind::Kind;
        use crate::model::{Agreement, Project};
        match kind {
            Kind::Agreement => {
                let mut a: Agreement = self.reader().get(id)?.ok_or_else(|| Error::not_found(kind.label()))?;
                let before = std::mem::replace(&mut a.scope, scope);
                self.update(a)?;
                Ok(before)
            }
            Kind::Project => {
                let mut p: Project = self.reader().get(id)?.ok_or_else(|| Error::not_found(kind.label()))?;
                if p.agreement_id.is_some() {
                    return Err(Error::bad_request(
                        "Il progetto appartiene a un protocollo e ne segue la condivisione: cambiarla sul protocollo.",
                    ));
                }
                let before = std::mem::replace(&mut p.scope, scope);
                self.update(p)?;
                Ok(before)
            }
            _ => Err(Error::bad_request(format!(
                "{}: la condivisione si decide sul protocollo (o sul progetto) a cui appartiene.",
                kind.label()
            ))),
        }
    }

    /// The next batch to send: at most `limit` journal rows after the push cursor.
    pub fn outgoing(&self, limit: usize) -> Result<Outgoing> {
        let pushed = self.peer()?.map(|p| p.pushed_seq).unwrap_or(0);
        let rows = self.changes_since(pushed, limit)?;
        let mut out = Outgoing { through_seq: rows.last().map(|c| c.seq).unwrap_or(pushed), ..Outgoing::default() };
        let mut groups = Groups::default();
        for c in rows {
            let group = groups.of(self, &c)?;
            if self.may_send(&c, group)? {
                out.sent_groups.insert(group.id());
                out.changes.push(c);
            } else {
                out.withheld += 1;
                out.withheld_from.entry(group.id()).or_insert(c.seq);
            }
        }
        Ok(out)
    }

    /// The hub acknowledged `out`: the push cursor moves past it and what it withheld
    /// is noted, in one transaction.
    pub fn mark_sent(&mut self, out: &Outgoing) -> Result<()> {
        let tx = self.conn.unchecked_transaction()?;
        for (group, from) in &out.withheld_from {
            tx.prepare_cached(
                "INSERT INTO sync_withheld (grp, from_seq) VALUES (?1, ?2)
                 ON CONFLICT (grp) DO UPDATE SET from_seq = min(from_seq, excluded.from_seq)",
            )?
            .execute((group.to_string(), from))?;
        }
        for group in &out.sent_groups {
            tx.prepare_cached("INSERT OR IGNORE INTO sync_known_group (grp) VALUES (?1)")?
                .execute([group.to_string()])?;
        }
        tx.execute("UPDATE sync_peer SET pushed_seq = max(pushed_seq, ?1)", [out.through_seq])?;
        tx.commit()?;
        Ok(())
    }

    /// Groups withheld that may go now (made shared again, or shared again by the hub),
    /// each with the changes of it after the row it was withheld from, up to the push
    /// cursor. [`Register::forget_withheld`] once the hub has them.
    pub fn released(&self) -> Result<Vec<Released>> {
        let pushed = self.peer()?.map(|p| p.pushed_seq).unwrap_or(0);
        let withheld: Vec<(String, i64)> = self
            .conn
            .prepare("SELECT grp, from_seq FROM sync_withheld ORDER BY from_seq")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        // Which groups may go now, asked of each group before any journal is read: a
        // register keeps many private agreements withheld for good, and reading the
        // journal from each one's first row made every sync of a 100k register cost
        // half a minute (found by `window-speed` with sync configured).
        let mut going: Vec<(Uuid, i64)> = Vec::new();
        for (text, from) in withheld {
            let Ok(id) = Uuid::parse_str(&text) else { continue };
            match self.group_by_id(id)? {
                Some(group) if !self.group_may_go(group)? => {}
                _ => going.push((id, from)),
            }
        }
        let Some(first) = going.iter().map(|(_, from)| *from).min() else { return Ok(Vec::new()) };
        // One pass over the journal, from the earliest row of a group that goes.
        let mut changes: HashMap<Uuid, Vec<Change>> = HashMap::new();
        let mut groups = Groups::default();
        let mut after = first - 1;
        loop {
            let rows = self.changes_since(after, 2000)?;
            let Some(last) = rows.last().map(|c| c.seq) else { break };
            for c in rows.into_iter().filter(|c| c.seq <= pushed) {
                let of = groups.of(self, &c)?.id();
                if going.iter().any(|(g, from)| *g == of && c.seq >= *from) {
                    changes.entry(of).or_default().push(c);
                }
            }
            if last >= pushed {
                break;
            }
            after = last;
        }
        let mut out = Vec::new();
        for (group, _) in going {
            match changes.remove(&group) {
                Some(changes) if !changes.is_empty() => {
                    if self.group_may_go(groups.of(self, &changes[0])?)? {
                        out.push(Released { group, changes });
                    }
                }
                _ => {
                    self.conn.execute("DELETE FROM sync_withheld WHERE grp = ?1", [group.to_string()])?;
                }
            }
        }
        Ok(out)
    }

    /// The group named by `id` (its root's id, or the nil id of the public one), from
    /// the kind the journal gives its root; `None` when the root is not known here.
    fn group_by_id(&self, id: Uuid) -> Result<Option<Group>> {
        if id.is_nil() {
            return Ok(Some(Group::Public));
        }
        let kind: Option<String> =
            self.reader().query_one("SELECT kind FROM journal WHERE record_id = ?1 LIMIT 1", [id])?;
        Ok(kind.as_deref().and_then(crate::kind::Kind::from_table).map(|k| Group::Root(k, id)))
    }

    /// The hub holds what [`Register::released`] gave for `group`.
    pub fn forget_withheld(&mut self, group: Uuid) -> Result<()> {
        self.conn.execute("DELETE FROM sync_withheld WHERE grp = ?1", [group.to_string()])?;
        self.conn.execute("INSERT OR IGNORE INTO sync_known_group (grp) VALUES (?1)", [group.to_string()])?;
        Ok(())
    }

    /// The groups the hub no longer shares with this office: their copy stays here,
    /// read-only.
    pub fn unshared_groups(&self) -> Result<Vec<Uuid>> {
        let rows: Vec<String> = self
            .conn
            .prepare("SELECT grp FROM sync_unshared")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows.iter().filter_map(|t| Uuid::parse_str(t).ok()).collect())
    }

    /// Whether the changes of `group` go to the hub: it is not private, and the hub
    /// still shares it with this office. A person goes once a record that goes refers
    /// to them: one known only to private agreements stays here with them.
    fn group_may_go(&self, group: Group) -> Result<bool> {
        if is_unshared(&self.conn, group.id())? {
            return Ok(false);
        }
        if let Group::Root(crate::kind::Kind::Person, person) = group {
            for (kind, id) in sharing::referring_to_person(&self.reader(), person)? {
                let by = sharing::group_of(&self.reader(), kind, id)?;
                if by != group
                    && !is_unshared(&self.conn, by.id())?
                    && sharing::scope_of(&self.reader(), by)? != Some(Scope::Privato)
                {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        Ok(sharing::scope_of(&self.reader(), group)? != Some(Scope::Privato))
    }

    fn may_send(&self, c: &Change, group: Group) -> Result<bool> {
        if self.group_may_go(group)? {
            return Ok(true);
        }
        if is_unshared(&self.conn, group.id())? {
            return Ok(false);
        }
        // Made private: the change of scope alone goes, to a hub that had the group.
        let announces = c.op == Op::Update
            && c.record_id == group.id()
            && c.fields.as_ref().and_then(|f| f.get("scope")).and_then(|v| v.as_str()) == Some("privato");
        Ok(announces
            && self
                .conn
                .prepare_cached("SELECT 1 FROM sync_known_group WHERE grp = ?1")?
                .exists([group.id().to_string()])?)
    }
}

impl Register {
    /// The changes of this journal after `after_seq` that office `office` reads by
    /// scope (a bundle file for it), reading at most `limit` rows; with the last row
    /// read, `None` at the end of the journal.
    pub fn changes_for_office(&self, office: Uuid, after_seq: i64, limit: usize) -> Result<(Vec<Change>, Option<i64>)> {
        let rows = self.changes_since(after_seq, limit)?;
        let last = rows.last().map(|c| c.seq);
        let mut groups = Groups::default();
        let mut reads = HashMap::new();
        let mut out = Vec::new();
        for c in rows {
            let group = groups.of(self, &c)?;
            let ok = match reads.get(&group) {
                Some(v) => *v,
                None => {
                    let v = self.office_reads(office, group)?;
                    reads.insert(group, v);
                    v
                }
            };
            if ok {
                out.push(c);
            }
        }
        Ok((out, last))
    }

    /// Whether `office` is in the audience of `group`, as this register knows it: the
    /// hub's rule (`raccordo-hub/src/scopes.rs`) on this register's records.
    fn office_reads(&self, office: Uuid, group: Group) -> Result<bool> {
        use crate::kind::Kind;
        let r = self.reader();
        let Group::Root(kind, id) = group else { return Ok(true) };
        if is_unshared(&self.conn, id)? {
            return Ok(false);
        }
        if kind == Kind::Person {
            if self.created_for(id, office)? {
                return Ok(true);
            }
            for (k, rid) in sharing::referring_to_person(&r, id)? {
                let by = sharing::group_of(&r, k, rid)?;
                if by != group && by.is_scoped() && self.office_reads(office, by)? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
        match sharing::scope_of(&r, group)? {
            Some(Scope::Privato) => Ok(false),
            Some(Scope::Rete) | None => Ok(true),
            Some(Scope::Parti) => {
                let party = if kind == Kind::Project { "project_partner" } else { "party" };
                let owner = if kind == Kind::Project { "project_id" } else { "agreement_id" };
                let is_party = self
                    .conn
                    .prepare_cached(&format!("SELECT 1 FROM {party} WHERE {owner} = ?1 AND administration_id = ?2"))?
                    .exists((id, office))?;
                Ok(is_party || self.created_for(id, office)?)
            }
        }
    }

    /// Whether record `id` was created for `office`: its creation says so, or it was
    /// written here while this register works for that office.
    fn created_for(&self, id: Uuid, office: Uuid) -> Result<bool> {
        Ok(match sharing::creation_of(&self.reader(), id)? {
            Some((_, Some(o))) => o == office,
            Some((site, None)) => site == self.site && self.own_office()? == Some(office),
            None => false,
        })
    }
}

impl Register {
    /// Files of attachments that may go to the hub and have not gone yet (SHA-256).
    pub fn blobs_to_send(&self) -> Result<Vec<String>> {
        let rows: Vec<(Uuid, String)> = self
            .conn
            .prepare(
                "SELECT a.id, a.sha256 FROM attachment a JOIN blob b ON b.sha256 = a.sha256
                 WHERE a.sha256 NOT IN (SELECT sha256 FROM sync_blob_sent) ORDER BY a.sha256",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out: Vec<String> = Vec::new();
        for (id, sha) in rows {
            if out.last() == Some(&sha) {
                continue;
            }
            let group = sharing::group_of(&self.reader(), crate::kind::Kind::Attachment, id)?;
            if self.group_may_go(group)? {
                out.push(sha);
            }
        }
        Ok(out)
    }

    /// The hub holds the file `sha256` whole.
    pub fn mark_blob_sent(&mut self, sha256: &str) -> Result<()> {
        self.conn.execute("INSERT OR IGNORE INTO sync_blob_sent (sha256) VALUES (?1)", [sha256])?;
        Ok(())
    }

    /// Files that received attachments wait for (SHA-256).
    pub fn blobs_awaited(&self) -> Result<Vec<String>> {
        let rows: Vec<String> = self
            .conn
            .prepare("SELECT DISTINCT awaits FROM sync_waiting WHERE length(awaits) = 64 ORDER BY awaits")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

/// Records noted as shared again or no longer shared by a pulled batch (`apply_pulled`).
pub(crate) fn note_sharing(conn: &Connection, shared: &[Uuid], unshared: &[Uuid], changes: &[Change]) -> Result<()> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    for g in shared {
        conn.prepare_cached("DELETE FROM sync_unshared WHERE grp = ?1")?.execute([g.to_string()])?;
    }
    for g in unshared {
        conn.prepare_cached("INSERT OR IGNORE INTO sync_unshared (grp, since) VALUES (?1, ?2)")?
            .execute((g.to_string(), &now))?;
    }
    // Roots received: the hub has them (a root's group is named by its own id).
    for c in changes.iter().filter(|c| sharing::scope_field(c.kind).is_some()) {
        conn.prepare_cached("INSERT OR IGNORE INTO sync_known_group (grp) VALUES (?1)")?
            .execute([c.record_id.to_string()])?;
    }
    Ok(())
}

fn is_unshared(conn: &Connection, group: Uuid) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM sync_unshared WHERE grp = ?1")?.exists([group.to_string()])?)
}

/// Groups of the records of one batch, each looked up once.
#[derive(Default)]
struct Groups(HashMap<Uuid, Group>);

impl Groups {
    fn of(&mut self, reg: &Register, c: &Change) -> Result<Group> {
        if let Some(g) = self.0.get(&c.record_id) {
            return Ok(*g);
        }
        let g = sharing::group_of(&reg.reader(), c.kind, c.record_id)?;
        self.0.insert(c.record_id, g);
        Ok(g)
    }
}
