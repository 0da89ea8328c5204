//! Changes of other offices into this register, and the resolutions of the conflicts
//! they leave. A received change is journaled as its origin wrote it (clock, site,
//! author, the versions it replaced), then the record it touches is settled: stored
//! as `merged::state` says, with the records that depend on it, and its conflicts
//! derived again (`conflicts`). All of a batch lands in one transaction, or none.
//!
//! A change is applied once, whatever how often it arrives (its origin's site and
//! clock identify it); one stamped further ahead of this machine's clock than the
//! bound is held back, not applied, until the clock reaches it or a person accepts it.

use super::{Register, Writer};
use crate::changelog::{self, ALL_FIELDS, Change, Op, Parents};
use crate::conflicts::{self, Collision, Conflict};
use crate::db::{Fields, rows};
use crate::error::{Error, ErrorCode, Result, Violations};
use crate::hlc::{MAX_DRIFT_MS, Stamp, wall_ms};
use crate::kind::Kind;
use crate::merged::{self, State};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeSet, VecDeque};
use uuid::Uuid;

/// What applying a batch did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Applied {
    /// Changes applied now (held-back ones whose time came included).
    pub applied: u64,
    /// Changes this register already held: nothing done.
    pub already_held: u64,
    /// Changes held back, their clock too far ahead of this machine's.
    pub held_back: u64,
}

/// How a person resolves a conflict.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep the value stored (the later writer's).
    KeepStored,
    /// Keep the value that lost.
    KeepLost,
    /// Neither: this value.
    Value(Value),
    /// Accept that the changes made under a deletion, or the record cut off by one,
    /// are gone.
    LetGo,
    /// Keep what a deletion cut off as new records: a copy of the record with its last
    /// values, under copies of the deleted records it belonged to (made once, however
    /// many of their records are restored); the original is let go.
    Restore,
}

impl Register {
    /// Changes in this register's journal after `after_seq`, in its order, at most
    /// `limit`: what this site sends, its own and those it received (each receiver
    /// keeps each change once).
    pub fn changes_since(&self, after_seq: i64, limit: usize) -> Result<Vec<Change>> {
        changelog::since(&self.conn, after_seq, limit)
    }

    /// Applies changes received from other sites, in one transaction: all of them, or
    /// none if one cannot be applied ([`ErrorCode::SyncRefused`]).
    pub fn apply_changes(&mut self, changes: &[Change]) -> Result<Applied> {
        self.apply_changes_at(changes, wall_ms())
    }

    /// [`Register::apply_changes`] as if this machine's clock read `wall_ms` (tests of
    /// clocks that disagree).
    #[doc(hidden)]
    pub fn apply_changes_at(&mut self, changes: &[Change], wall_ms: u64) -> Result<Applied> {
        self.write(|w| w.apply_changes(changes, wall_ms))
    }

    /// Applies changes that arrive in chunks (a bundle file read piece by piece), all in
    /// one transaction: every chunk, or none if one cannot be read or applied. `next`
    /// gives the chunks in order, `None` after the last.
    pub fn apply_stream(&mut self, mut next: impl FnMut() -> Result<Option<Vec<Change>>>) -> Result<Applied> {
        self.write(|w| {
            let mut total = Applied::default();
            while let Some(chunk) = next()? {
                let a = w.apply_changes(&chunk, wall_ms())?;
                total.applied += a.applied;
                total.already_held += a.already_held;
                total.held_back += a.held_back;
            }
            Ok(total)
        })
    }

    /// Every conflict waiting for a person.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        conflicts::list(&self.reader())
    }

    pub fn resolve(&mut self, conflict: Uuid, how: Resolution) -> Result<()> {
        self.write(|w| w.resolve(conflict, how))
    }

    /// Keeps a file received for an attachment (checked against its SHA-256) and
    /// stores the attachments that waited for it.
    pub fn receive_file(&mut self, sha256: &str, bytes: &[u8]) -> Result<()> {
        self.write(|w| w.receive_file(sha256, bytes))
    }

    /// Changes held back because their clock was too far ahead, oldest first.
    pub fn held_back(&self) -> Result<Vec<Change>> {
        held(&self.conn)
    }

    /// Applies the held-back change `version` now, as a person decided: the clock of
    /// this site moves up to it.
    pub fn accept_held(&mut self, site: Uuid, hlc: Stamp) -> Result<Applied> {
        self.write(|w| {
            w.apply_held(site, hlc)?;
            Ok(Applied { applied: 1, ..Applied::default() })
        })
    }
}

impl Register {
    /// Refuses the held-back change `version` as a person decided, the only way every
    /// office ends the same: it is applied (this site's clock moves up to it), then
    /// undone by a newer change of this office, which every other office, applying the
    /// held change when its own clock reaches it, orders after it. An edit gets the
    /// values it replaced back; a new record is deleted; a deleted one comes back as a
    /// new record. Refused, with nothing changed, when the undo breaks a rule.
    pub fn reject_held(&mut self, site: Uuid, hlc: Stamp) -> Result<()> {
        self.write(|w| {
            let (change, before) = w.apply_held(site, hlc)?;
            match change.op {
                Op::Create => w.delete(change.kind, change.record_id).map(drop),
                Op::Delete => w.restore_copy(change.kind, change.record_id, 0).map(drop),
                Op::Update => {
                    let Some(before) = before else {
                        return Err(Error::bad_request(
                            "La modifica riguarda un record che questo registro non ha ancora: \
                             non si può respingere, solo applicare o lasciare in attesa.",
                        ));
                    };
                    let changes = changelog::of_record(w.conn, change.record_id)?;
                    for field in change.fields.iter().flat_map(|f| f.keys()) {
                        let old = before.get(field).cloned().unwrap_or(Value::Null);
                        w.write_resolution(change.kind, change.record_id, field, old, &changes)?;
                    }
                    Ok(())
                }
            }
        })
    }
}

/// The meta key of this register's own bound on clocks ahead (ms).
const CLOCK_BOUND_KEY: &str = "sync_clock_bound_ms";

/// How far ahead of this machine's clock a received change may be stamped and still
/// apply: this register's setting, or [`MAX_DRIFT_MS`].
fn clock_bound_ms(conn: &rusqlite::Connection) -> Result<u64> {
    Ok(crate::db::meta::get_meta(conn, CLOCK_BOUND_KEY)?.and_then(|v| v.parse().ok()).unwrap_or(MAX_DRIFT_MS))
}

impl Register {
    /// How far ahead of this machine's clock a received change may be stamped and
    /// still apply; beyond, it is held back until the clock reaches it.
    pub fn clock_bound_ms(&self) -> Result<u64> {
        clock_bound_ms(&self.conn)
    }

    /// Sets that bound: from a minute to 7 days.
    pub fn set_clock_bound_ms(&mut self, ms: u64) -> Result<()> {
        if !(60_000..=7 * 24 * 3_600_000).contains(&ms) {
            return Err(Error::bad_request("Scarto massimo degli orologi: da 1 minuto a 7 giorni (10080 minuti)."));
        }
        crate::db::meta::set_meta(&self.conn, CLOCK_BOUND_KEY, &ms.to_string())
    }
}

fn held(conn: &rusqlite::Connection) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare_cached("SELECT change FROM sync_held ORDER BY hlc, site")?;
    let texts = stmt.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    texts.iter().map(|t| Ok(serde_json::from_str(t)?)).collect()
}

/// Takes a held-back change out of `sync_held`, to be applied now.
fn release(conn: &rusqlite::Connection, c: &Change) -> Result<()> {
    conn.prepare_cached("DELETE FROM sync_held WHERE site = ?1 AND hlc = ?2")?.execute((c.site, c.hlc.0 as i64))?;
    Ok(())
}

fn refused(what: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::SyncRefused,
        format!("Modifiche ricevute non applicate: {what}. Nessuna modifica del lotto è stata applicata."),
    )
}

impl Writer<'_> {
    /// Takes the held-back change `(hlc, site)` out of `sync_held` and applies it, this
    /// site's clock moving up to it; answers it with the record as it was before.
    fn apply_held(&mut self, site: Uuid, hlc: Stamp) -> Result<(Change, Option<Fields>)> {
        let change = held(self.conn)?
            .into_iter()
            .find(|c| c.version() == (hlc, site))
            .ok_or_else(|| Error::not_found("Modifica trattenuta"))?;
        release(self.conn, &change)?;
        self.clock.observe_at(change.hlc, change.hlc.physical_ms());
        let before = self.reader().get_fields(change.kind, change.record_id)?;
        let mut recheck = BTreeSet::new();
        self.apply_one(&change, &mut recheck)?;
        self.recheck(recheck)?;
        Ok((change, before))
    }

    pub(crate) fn apply_changes(&mut self, changes: &[Change], wall_ms: u64) -> Result<Applied> {
        let mut out = Applied::default();
        let bound = clock_bound_ms(self.conn)?;
        // The records whose rules the batch's records touch, checked once at its end:
        // an agreement whose three parties arrive together is checked once, not thrice.
        let mut recheck = BTreeSet::new();
        // Held-back changes whose time has come go first: they were received earlier.
        for c in held(self.conn)? {
            if c.hlc.physical_ms() <= wall_ms + bound {
                release(self.conn, &c)?;
                self.clock.observe_within(c.hlc, wall_ms, bound);
                self.apply_one(&c, &mut recheck)?;
                out.applied += 1;
            }
        }
        for c in changes {
            check_shape(c)?;
            if changelog::holds(self.conn, c.version())? || self.is_held(c)? {
                out.already_held += 1;
                continue;
            }
            if !self.clock.observe_within(c.hlc, wall_ms, bound) {
                self.conn
                    .prepare_cached("INSERT INTO sync_held (site, hlc, change, received) VALUES (?1, ?2, ?3, ?4)")?
                    .execute((c.site, c.hlc.0 as i64, serde_json::to_string(c)?, &self.audit.at))?;
                out.held_back += 1;
                continue;
            }
            self.apply_one(c, &mut recheck)?;
            out.applied += 1;
        }
        self.recheck(recheck)?;
        Ok(out)
    }

    fn is_held(&self, c: &Change) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM sync_held WHERE site = ?1 AND hlc = ?2")?
            .exists((c.site, c.hlc.0 as i64))?)
    }

    /// Journals one received change as its origin wrote it, then settles its record.
    fn apply_one(&mut self, c: &Change, recheck: &mut BTreeSet<(Kind, Uuid)>) -> Result<()> {
        let held_kind: Option<String> = self
            .reader()
            .query_one("SELECT kind FROM journal WHERE record_id = ?1 AND kind != 'settings' LIMIT 1", [c.record_id])?;
        if let Some(k) = held_kind.filter(|k| k != c.kind.table()) {
            return Err(refused(format!("il record {} è qui di un altro tipo ({k})", c.record_id)));
        }
        let stored = self.reader().get_fields(c.kind, c.record_id)?;
        let before: Option<String> = match (&stored, &c.fields) {
            (Some(old), Some(new)) => {
                let b: Map<String, Value> =
                    new.keys().map(|k| (k.clone(), old.get(k).cloned().unwrap_or(Value::Null))).collect();
                Some(serde_json::to_string(&b)?)
            }
            (Some(old), None) => Some(changelog::logged_json(old)?),
            (None, _) => None,
        };
        let after = c.fields.as_ref().map(serde_json::to_string).transpose()?;
        let parents = c.parents.as_ref().map(serde_json::to_string).transpose()?;
        self.audit.append_row(
            self.conn,
            &crate::audit::Row {
                hlc: c.hlc,
                site: c.site,
                kind: c.kind.table(),
                record_id: c.record_id,
                op: c.op.as_str(),
                after: after.as_deref(),
                before: before.as_deref(),
                at: &c.at,
                actor: &c.actor,
                office_id: c.office_id,
                parents: parents.as_deref(),
            },
        )?;
        if c.op == Op::Delete {
            changelog::tombstone(self.conn, c.hlc, c.site, c.kind, c.record_id)?;
        }
        self.settle_then(c.kind, c.record_id, recheck)
    }

    /// Stores a record as merging makes it, then the records that depend on it: those
    /// that waited for it, and those cut off when it goes.
    fn settle(&mut self, kind: Kind, id: Uuid) -> Result<()> {
        let mut recheck = BTreeSet::new();
        self.settle_then(kind, id, &mut recheck)?;
        self.recheck(recheck)
    }

    /// [`Writer::settle`], adding to `rules` the records whose rules must be checked
    /// again, for the caller to check once it has settled all it will.
    fn settle_then(&mut self, kind: Kind, id: Uuid, rules: &mut BTreeSet<(Kind, Uuid)>) -> Result<()> {
        let mut queue = VecDeque::from([(kind, id)]);
        let mut settled = BTreeSet::new();
        while let Some((kind, id)) = queue.pop_front() {
            let changes = changelog::of_record(self.conn, id)?;
            let state = merged::state(&self.reader(), kind, id, &changes)?;
            let stored = self.reader().get_fields(kind, id)?;
            // The records whose rules read this one, from what it is or, deleted, was
            // (a deleted party still names its agreement), found before its row changes:
            // those it links to, and those beside it (a meeting's votes and attendance).
            let known = state_fields(&state).or(stored.as_ref());
            let linked = merged::targets(kind, known.unwrap_or(&Fields::new()));
            let peers = match known {
                Some(fields) => merged::rule_peers(&self.reader(), kind, fields)?,
                None => Vec::new(),
            };
            self.conn.prepare_cached("DELETE FROM sync_waiting WHERE record_id = ?1")?.execute([id])?;
            match &state {
                State::Live(fields) => {
                    self.store_live(kind, id, fields, stored)?;
                    queue.extend(self.waiting_for(&id.to_string())?);
                }
                State::Waiting { awaits, .. } => {
                    if stored.is_some() {
                        self.remove_row(kind, id)?;
                        queue.extend(self.referrers(kind, id)?);
                    }
                    self.conn
                        .prepare_cached("INSERT INTO sync_waiting (record_id, kind, awaits) VALUES (?1, ?2, ?3)")?
                        .execute((id, kind.table(), awaits))?;
                }
                State::Gone | State::Orphan { .. } => {
                    if stored.is_some() {
                        self.remove_row(kind, id)?;
                        queue.extend(self.referrers(kind, id)?);
                    }
                }
            }
            conflicts::refresh(&self.reader(), kind, id, &changes, &state)?;
            // A rule may tie a record to its parent (an adhesion and the signature), to
            // its children, or to records beside it: all are checked again.
            rules.extend(linked);
            rules.extend(self.referrers(kind, id)?);
            rules.extend(peers);
            settled.insert((kind, id));
        }
        for done in settled {
            rules.remove(&done);
        }
        Ok(())
    }

    fn recheck(&self, records: BTreeSet<(Kind, Uuid)>) -> Result<()> {
        for (kind, id) in records {
            self.rederive(kind, id)?;
        }
        Ok(())
    }

    /// Derives one record's conflicts again from what is stored; returns its state.
    fn rederive(&self, kind: Kind, id: Uuid) -> Result<State> {
        let changes = changelog::of_record(self.conn, id)?;
        let state = merged::state(&self.reader(), kind, id, &changes)?;
        conflicts::refresh(&self.reader(), kind, id, &changes, &state)?;
        Ok(state)
    }

    /// After a write of this site: the conflicts the record takes part in, if any are
    /// waiting (a renumbering ends a key conflict, a correction a rule one), and those
    /// of the records whose rules read it. `before`: a deleted record's last fields.
    pub(crate) fn refresh_conflicts(&mut self, kind: Kind, id: Uuid, before: Option<&Fields>) -> Result<()> {
        if !self.reader().query_one::<bool>("SELECT EXISTS (SELECT 1 FROM sync_conflict)", [])?.unwrap_or(false) {
            return Ok(());
        }
        let state = self.rederive(kind, id)?;
        let fields = state_fields(&state).or(before).cloned().unwrap_or_default();
        let peers = merged::rule_peers(&self.reader(), kind, &fields)?;
        for (k, other) in merged::targets(kind, &fields).into_iter().chain(peers).filter(|&(_, other)| other != id) {
            self.rederive(k, other)?;
        }
        Ok(())
    }

    fn store_live(&mut self, kind: Kind, id: Uuid, fields: &Fields, stored: Option<Fields>) -> Result<()> {
        dispatch_kind!(kind, T => {
            let rec: T = rows::from_fields(fields.clone())
                .map_err(|e| refused(format!("{} {id}: {}", kind.label(), e.message)))?;
            let full = rows::to_fields(&rec)?;
            match stored {
                None => {
                    self.insert_row(kind, &full)?;
                    crate::search::index(self.conn, &rec, true)?;
                    self.known.insert((kind, id));
                }
                Some(old) => {
                    let changed = rows::diff(&old, &full);
                    if !changed.is_empty() {
                        self.update_columns(kind, id, &changed)?;
                        crate::search::index(self.conn, &rec, false)?;
                    }
                }
            }
        });
        Ok(())
    }

    fn remove_row(&mut self, kind: Kind, id: Uuid) -> Result<()> {
        self.conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", kind.table()))?.execute([id])?;
        crate::search::unindex(self.conn, id)?;
        self.conn.prepare_cached("DELETE FROM provenance WHERE record_id = ?1")?.execute([id])?;
        self.known.remove(&(kind, id));
        Ok(())
    }

    fn waiting_for(&self, awaited: &str) -> Result<Vec<(Kind, Uuid)>> {
        let mut stmt = self.conn.prepare_cached("SELECT kind, record_id FROM sync_waiting WHERE awaits = ?1")?;
        let rows = stmt.query_map([awaited], |r| Ok((r.get::<_, String>(0)?, r.get::<_, Uuid>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (kind, id) = row?;
            out.extend(Kind::from_table(&kind).map(|k| (k, id)));
        }
        Ok(out)
    }

    /// Keeps a file received for an attachment, checked against its SHA-256, and
    /// stores the attachments that waited for it.
    pub(crate) fn receive_file(&mut self, sha256: &str, bytes: &[u8]) -> Result<()> {
        use sha2::Digest;
        if crate::audit::hex(&sha2::Sha256::digest(bytes)) != sha256 {
            return Err(refused(format!("il file {sha256} non corrisponde alla sua impronta SHA-256")));
        }
        self.keep_bytes(sha256, bytes)?;
        for (kind, id) in self.waiting_for(sha256)? {
            self.settle(kind, id)?;
        }
        Ok(())
    }

    fn resolve(&mut self, conflict_id: Uuid, how: Resolution) -> Result<()> {
        let c = conflicts::get(&self.reader(), conflict_id)?.ok_or_else(|| Error::not_found("Conflitto"))?;
        let changes = changelog::of_record(self.conn, c.record_id)?;
        match (c.what, how) {
            (Collision::Field, how) => {
                let field = c.field.clone().unwrap_or_default();
                let value = match how {
                    Resolution::KeepStored => c.detail["kept"]["value"].clone(),
                    Resolution::KeepLost => c.detail["lost"]["value"].clone(),
                    Resolution::Value(v) => v,
                    Resolution::LetGo | Resolution::Restore => {
                        return Err(Error::bad_request(
                            "Conflitto su un campo: scegli quale valore tenere, o scrivine un altro.",
                        ));
                    }
                };
                self.write_resolution(c.kind, c.record_id, &field, value, &changes)
            }
            (
                Collision::ChangedAfterDelete | Collision::UnderDeleted,
                how @ (Resolution::LetGo | Resolution::Restore),
            ) => {
                if how == Resolution::Restore {
                    self.restore_copy(c.kind, c.record_id, 0)?;
                }
                let mut parents = Parents::new();
                parents.insert(ALL_FIELDS.to_owned(), conflicts::all_versions(&changes));
                let hlc = self.clock.tick();
                let site = self.audit.site;
                changelog::tombstone(self.conn, hlc, site, c.kind, c.record_id)?;
                let parents = serde_json::to_string(&parents)?;
                self.audit.append(self.conn, hlc, c.kind.table(), c.record_id, "delete", None, None, Some(&parents))?;
                self.settle(c.kind, c.record_id)
            }
            (Collision::ChangedAfterDelete | Collision::UnderDeleted, _) => Err(Error::bad_request(
                "Il record è stato eliminato da un altro ufficio: lo si lascia andare, o lo si ripristina come nuovo record.",
            )),
            (Collision::Key, _) => Err(Error::bad_request(
                "Due record hanno la stessa chiave: cambia il numero o il codice di uno dei due, \
                 o unisci i due record; il conflitto si chiude da sé.",
            )),
            (Collision::Rule, _) => Err(Error::bad_request(
                "Il record unito non rispetta una regola: correggilo; il conflitto si chiude da sé.",
            )),
        }
    }

    /// Writes `field` of a record with `value`, naming every head of it as replaced,
    /// after the same checks as any edit of the record.
    /// A new record with the last values `(kind, id)` had, its links to deleted or
    /// cut-off records pointing at their own copies (made here first); the copy's id.
    fn restore_copy(&mut self, kind: Kind, id: Uuid, depth: usize) -> Result<Uuid> {
        let done: Option<String> =
            self.reader().query_one("SELECT new_id FROM sync_restored WHERE old_id = ?1", [id.to_string()])?;
        if let Some(new) = done.and_then(|t| Uuid::parse_str(&t).ok()) {
            return Ok(new);
        }
        if depth > 8 {
            return Err(Error::bad_request("Ripristino: la catena dei record da ripristinare è troppo lunga."));
        }
        let changes = changelog::of_record(self.conn, id)?;
        let mut fields = changelog::fold(None, changes.iter().filter(|c| c.op != Op::Delete))
            .ok_or_else(|| Error::not_found(kind.label()))?;
        let mut links: Vec<(String, Kind, Uuid)> = kind
            .links()
            .iter()
            .filter_map(|l| Some((l.field.to_owned(), l.target, rows::link_id(&fields, l.field)?)))
            .collect();
        if let Some((owner_kind, owner)) = crate::sharing::parent_of(kind, &fields).filter(|_| kind == Kind::Attachment)
        {
            links.push(("owner_id".to_owned(), owner_kind, owner));
        }
        for (field, target_kind, target) in links {
            if self.reader().exists(target_kind, target)? {
                continue;
            }
            let copy = self.restore_copy(target_kind, target, depth + 1)?;
            fields.insert(field, Value::String(copy.to_string()));
        }
        let new_id = crate::ids::new_id();
        fields.insert("id".to_owned(), Value::String(new_id.to_string()));
        dispatch_kind!(kind, T => {
            let rec: T = rows::from_fields(fields)
                .map_err(|e| Error::bad_request(format!("Ripristino di {}: {}", kind.label(), e.message)))?;
            self.create_restored(rec)?;
        });
        self.conn
            .prepare_cached("INSERT INTO sync_restored (old_id, new_id) VALUES (?1, ?2)")?
            .execute((id.to_string(), new_id.to_string()))?;
        Ok(new_id)
    }

    fn write_resolution(&mut self, kind: Kind, id: Uuid, field: &str, value: Value, changes: &[Change]) -> Result<()> {
        let Some(mut fields) = self.reader().get_fields(kind, id)? else {
            return Err(Error::not_found(kind.label()));
        };
        let old = fields.get(field).cloned().unwrap_or(Value::Null);
        fields.insert(field.to_owned(), value.clone());
        let mut v = Violations::default();
        dispatch_kind!(kind, T => {
            let rec: T = rows::from_fields(fields.clone())
                .map_err(|_| Error::bad_request(format!("{}: valore non valido per questo campo.", kind.label())))?;
            rec.check(&mut v);
            rec.check_in(&self.reader(), &mut v)?;
        });
        v.into_result(kind.label())?;
        let mut parents = Parents::new();
        parents.insert(field.to_owned(), conflicts::heads(changes, field));
        let after = serde_json::to_string(&Map::from_iter([(field.to_owned(), value)]))?;
        let before = serde_json::to_string(&Map::from_iter([(field.to_owned(), old)]))?;
        let parents = serde_json::to_string(&parents)?;
        let hlc = self.clock.tick();
        self.audit.append(self.conn, hlc, kind.table(), id, "update", Some(&after), Some(&before), Some(&parents))?;
        self.settle(kind, id)
    }
}

fn state_fields(state: &State) -> Option<&Fields> {
    match state {
        State::Live(f) | State::Orphan { fields: f, .. } | State::Waiting { fields: f, .. } => Some(f),
        State::Gone => None,
    }
}

/// What a received change must be before anything of it is applied.
fn check_shape(c: &Change) -> Result<()> {
    changelog::check_shape(c).map_err(refused)
}
