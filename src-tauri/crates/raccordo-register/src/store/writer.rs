//! Writing records. Every public write runs inside [`Register::write`], one SQLite
//! transaction: the record row, its journal row and its search entry land together
//! or not at all. Records are checked before anything is written.

use crate::audit::{self, Actor, Appender};
use crate::changelog;
use crate::db::Reader;
use crate::db::meta::{get_meta, set_meta};
use crate::db::rows::{self, Fields};
use crate::error::{Error, ErrorCode, FieldCode, Result, Violations};
use crate::hlc::{Clock, Stamp};
use crate::model::{Attachment, Kind, Record};
use crate::search;
use rusqlite::Connection;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::OnceLock;
use uuid::Uuid;

/// The journal's `kind` of a settings row (its `record_id` is the site).
pub const SETTINGS_KIND: &str = "settings";

pub struct Writer<'a> {
    pub(crate) conn: &'a Connection,
    pub(crate) clock: Clock,
    pub(crate) audit: Appender<'a>,
    /// Records this transaction has created or found by a link lookup, and not deleted
    /// since: a link to one of them needs no lookup. Most links of a batch point at a
    /// record just created or at the same few administrations (measured: the lookups
    /// were 10% of storing the 100k register). It lives as long as the transaction,
    /// which holds the write lock, so nothing else can delete one meanwhile.
    pub(crate) known: HashSet<(Kind, Uuid)>,
    /// The last stamp as this transaction found it stored, to know whether to store
    /// the new one.
    pub(crate) stored_at_begin: Stamp,
}

impl<'a> Writer<'a> {
    /// A writer inside a transaction that already holds the write lock. The journal's
    /// head and the last stamp are read here, inside it: another connection may have
    /// written since this one last did. `floor`: the stamp this connection last gave,
    /// which the clock never goes below.
    pub(crate) fn begin(conn: &'a Connection, site: Uuid, actor: &'a Actor, floor: Clock) -> Result<Writer<'a>> {
        let stored = get_meta(conn, "hlc_last")?.and_then(|s| s.parse().ok()).map(Stamp).unwrap_or(Stamp(0));
        let clock = Clock::starting_after(stored.max(floor.last()));
        let (seq, hash) = audit::head(conn)?;
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        Ok(Writer {
            conn,
            clock,
            audit: Appender { site, actor, seq, hash, at },
            known: Default::default(),
            stored_at_begin: stored,
        })
    }

    /// Stores the clock for the next transaction, whichever connection makes it.
    pub(crate) fn finish(self) -> Result<Clock> {
        if self.clock.last() != self.stored_at_begin {
            set_meta(self.conn, "hlc_last", &self.clock.last().0.to_string())?;
        }
        Ok(self.clock)
    }

    /// Changes the installation's settings (who works, for which office, the trusted
    /// list) and records them as a journal row, so that the history shows each change
    /// and `audit verify` finds settings changed behind Raccordo's back. Sync never
    /// sends it: settings belong to one installation. `None` clears a setting.
    pub(crate) fn record_settings(&mut self, changes: &[(&str, Option<String>)]) -> Result<()> {
        let before = settings_snapshot(self.conn)?;
        for (key, value) in changes {
            debug_assert!(SETTINGS.iter().any(|(k, _)| k == key), "unknown setting {key}");
            match value {
                Some(v) => set_meta(self.conn, key, v)?,
                None => {
                    self.conn.execute("DELETE FROM meta WHERE key = ?1", [key])?;
                }
            }
        }
        let before = before.values().any(|v| !v.is_null()).then(|| Value::Object(before).to_string());
        let after = Value::Object(settings_snapshot(self.conn)?).to_string();
        let hlc = self.clock.tick();
        let site = self.audit.site;
        self.audit.append(self.conn, hlc, SETTINGS_KIND, site, "settings", Some(&after), before.as_deref(), None)
    }

    /// Keeps `bytes` under their SHA-256 (`sha256`, computed by the caller), once.
    pub(crate) fn keep_bytes(&mut self, sha256: &str, bytes: &[u8]) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR IGNORE INTO blob (sha256, bytes) VALUES (?1, ?2)")?
            .execute((sha256, bytes))?;
        Ok(())
    }

    pub fn reader(&self) -> Reader<'a> {
        Reader::new(self.conn)
    }

    /// Runs `f` as one step that lands whole or not at all inside this transaction (a
    /// savepoint): one row of an imported file, refused without undoing the rows before
    /// it. The journal's head goes back with the rows, so the chain stays unbroken.
    pub fn attempt<R>(&mut self, f: impl FnOnce(&mut Writer<'a>) -> Result<R>) -> Result<R> {
        self.conn.execute_batch("SAVEPOINT attempt")?;
        let (seq, hash) = (self.audit.seq, self.audit.hash.clone());
        match f(self) {
            Ok(out) => {
                self.conn.execute_batch("RELEASE attempt")?;
                Ok(out)
            }
            Err(e) => {
                self.conn.execute_batch("ROLLBACK TO attempt; RELEASE attempt")?;
                self.audit.seq = seq;
                self.audit.hash = hash;
                // Records it created are gone: links must be looked up again.
                self.known.clear();
                Err(e)
            }
        }
    }

    /// Adds a new record. Refused, with every problem named, if it is not valid.
    pub fn create<T: Record>(&mut self, rec: T) -> Result<T> {
        self.create_prepared(Prepared::new(rec)?)
    }

    /// The part of [`Writer::create`] that needs the register: the checks against
    /// other records, then the row, its journal entry and its search entry.
    pub(crate) fn create_prepared<T: Record>(&mut self, prepared: Prepared<T>) -> Result<T> {
        self.create_guarded(prepared, true)
    }

    /// A copy of a record another office deleted, restored by a person from its
    /// conflict (`merge`): its signed statuses are those it had, confirmed back then.
    pub(crate) fn create_restored<T: Record>(&mut self, rec: T) -> Result<T> {
        self.create_guarded(Prepared::new(rec)?, false)
    }

    fn create_guarded<T: Record>(&mut self, prepared: Prepared<T>, guard_signed: bool) -> Result<T> {
        let Prepared { rec, fields, mut own, logged, search } = prepared;
        if guard_signed && T::KIND == Kind::Agreement {
            crate::model::guard_signed_fields(None, &fields, &mut own);
        }
        self.validate(&rec, &fields, own)?;
        let id = rec.id();
        self.refuse_if_unshared(T::KIND, id, &fields)?;
        if changelog::is_tombstoned(self.conn, id)? {
            return Err(Error::bad_request(format!(
                "{}: questo identificativo apparteneva a un record eliminato e non si riusa.",
                T::KIND.label()
            )));
        }
        // A reused id fails on the primary key: no lookup before every insert.
        self.insert_row(T::KIND, &fields).map_err(|e| match e.code {
            ErrorCode::Duplicate => {
                Error::bad_request(format!("{}: esiste già un record con questo identificativo.", T::KIND.label()))
            }
            _ => e,
        })?;
        let hlc = self.clock.tick();
        self.audit.append(self.conn, hlc, T::KIND.table(), id, "create", Some(&logged), None, None)?;
        search::index_text(self.conn, T::KIND, id, search, true)?;
        self.known.insert((T::KIND, id));
        self.refresh_conflicts(T::KIND, id, None)?;
        Ok(rec)
    }

    /// Replaces a record's fields with these. Only the fields that differ are written
    /// to the journal; an update that changes nothing writes nothing.
    pub fn update<T: Record>(&mut self, rec: T) -> Result<T> {
        self.update_guarded(rec, true)
    }

    /// An update of an agreement's signed statuses and file, once its signed file was
    /// checked (`signing::confirm_signed_file`, the only caller).
    pub(crate) fn update_confirming_signature<T: Record>(&mut self, rec: T) -> Result<T> {
        self.update_guarded(rec, false)
    }

    fn update_guarded<T: Record>(&mut self, mut rec: T, guard_signed: bool) -> Result<T> {
        rec.tidy();
        let id = rec.id();
        let old = self.reader().get_fields(T::KIND, id)?.ok_or_else(|| Error::not_found(T::KIND.label()))?;
        self.refuse_if_unshared(T::KIND, id, &old)?;
        let fields = rows::to_fields(&rec)?;
        let mut own = Violations::default();
        rec.check(&mut own);
        if guard_signed && T::KIND == Kind::Agreement {
            crate::model::guard_signed_fields(Some(&old), &fields, &mut own);
        }
        if let Some(scope) = crate::sharing::scope_field(T::KIND)
            && old.get(scope) != fields.get(scope)
            && !crate::sharing::registered_here(&self.reader(), id, self.audit.site, self.audit.actor.office_id)?
        {
            own.add(
                scope,
                FieldCode::NotAllowed,
                "Condivisione: la decide solo l'ufficio che ha registrato il protocollo.",
            );
        }
        self.validate(&rec, &fields, own)?;
        let changed = rows::diff(&old, &fields);
        if changed.is_empty() {
            return Ok(rec);
        }
        self.update_columns(T::KIND, id, &changed)?;

        // Each field names the version it replaces, so that another office's
        // concurrent change of it is recognised as such (`conflicts`).
        let history = changelog::of_record(self.conn, id)?;
        let mut before = Map::new();
        let mut after = Map::new();
        let mut parents = changelog::Parents::new();
        for (k, old, new) in changed {
            parents.insert(k.clone(), crate::conflicts::replaced_by_edit(&history, &k, &old));
            before.insert(k.clone(), old);
            after.insert(k, new);
        }
        let (after, before) = (serde_json::to_string(&after)?, serde_json::to_string(&before)?);
        let parents = serde_json::to_string(&parents)?;
        let hlc = self.clock.tick();
        self.audit.append(
            self.conn,
            hlc,
            T::KIND.table(),
            id,
            "update",
            Some(&after),
            Some(&before),
            Some(&parents),
        )?;
        search::index(self.conn, &rec, false)?;
        self.refresh_conflicts(T::KIND, id, None)?;
        Ok(rec)
    }

    /// Deletes a record with everything that belongs to it (an agreement's parties,
    /// a meeting's agenda…). Refused while other records still refer to any of them.
    /// Returns how many records were deleted.
    pub fn delete(&mut self, kind: Kind, id: Uuid) -> Result<usize> {
        let Some(fields) = self.reader().get_fields(kind, id)? else {
            return Err(Error::not_found(kind.label()));
        };
        self.refuse_if_unshared(kind, id, &fields)?;
        let mut order = Vec::new();
        let mut seen = BTreeSet::new();
        self.collect_owned(kind, id, &mut order, &mut seen)?;
        self.refuse_if_referenced(kind, &order, &seen)?;
        // Meetings that lose attendance but stay: their counted votes must still fit.
        let mut doomed_meetings = BTreeSet::new();
        for (_, attendance) in order.iter().filter(|(k, _)| *k == Kind::Attendance) {
            let meeting: Option<Uuid> =
                self.reader().query_one("SELECT meeting_id FROM attendance WHERE id = ?1", [attendance])?;
            doomed_meetings.extend(meeting.filter(|m| !seen.contains(&(Kind::Meeting, *m))));
        }

        // Children first, so that no row ever points at a deleted one.
        for &(k, rid) in order.iter().rev() {
            let old = self.reader().get_fields(k, rid)?.unwrap_or_default();
            self.conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", k.table()))?.execute([rid])?;
            let hlc = self.clock.tick();
            changelog::tombstone(self.conn, hlc, self.audit.site, k, rid)?;
            let before = changelog::logged_json(&old)?;
            // Every version this site held: a change it had not seen is shown as
            // made under the deletion (`conflicts`).
            let seen = changelog::delete_parents(self.conn, rid)?;
            self.audit.append(self.conn, hlc, k.table(), rid, "delete", None, Some(&before), Some(&seen))?;
            search::unindex(self.conn, rid)?;
            self.conn.prepare_cached("DELETE FROM provenance WHERE record_id = ?1")?.execute([rid])?;
            self.known.remove(&(k, rid));
            self.refresh_conflicts(k, rid, Some(&old))?;
        }
        for meeting in doomed_meetings {
            crate::model::votes_still_fit(&self.reader(), meeting)?;
        }
        Ok(order.len())
    }

    /// Stores a file by its SHA-256 (once, however often attached) and links it.
    pub fn attach(
        &mut self,
        owner_kind: Kind,
        owner_id: Uuid,
        file_name: &str,
        media_type: &str,
        bytes: &[u8],
        description: Option<String>,
    ) -> Result<Attachment> {
        let sha256 = crate::audit::hex(&Sha256::digest(bytes));
        self.keep_bytes(&sha256, bytes)?;
        self.create(Attachment {
            id: crate::ids::new_id(),
            owner_kind,
            owner_id,
            file_name: file_name.to_owned(),
            media_type: media_type.to_owned(),
            size: bytes.len() as u64,
            sha256,
            description,
        })
    }

    /// Loads records every site derives alike (the ISTAT directory): stored and
    /// searchable, with one audit entry for the whole snapshot, and no change-log
    /// rows, since every site loads the same snapshot with the same ids.
    pub(crate) fn load_snapshot<T: Record>(&mut self, records: &[T], snapshot: &str) -> Result<()> {
        // Loaded by the migration of schema 4: fields added to the kind by later
        // migrations (empty in the snapshot) have no column yet.
        let columns: HashSet<String> = self
            .conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{}')", T::KIND.table()))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for rec in records {
            let mut fields = rows::to_fields(rec)?;
            fields.retain(|name, _| columns.contains(name));
            self.insert_row(T::KIND, &fields)?;
            search::index(self.conn, rec, true)?;
        }
        let mut summary = Map::new();
        summary.insert("kind".into(), T::KIND.table().into());
        summary.insert("records".into(), records.len().into());
        let summary = serde_json::to_string(&summary)?;
        let hlc = self.clock.tick();
        self.audit.append(
            self.conn,
            hlc,
            "directory",
            crate::directory::snapshot_id(snapshot),
            "snapshot",
            Some(&summary),
            None,
            None,
        )
    }

    /// Sets the columns `changed` lists (name, old value, new value) of one row.
    pub(super) fn update_columns(&self, kind: Kind, id: Uuid, changed: &[(String, Value, Value)]) -> Result<()> {
        let sets: Vec<String> = changed.iter().enumerate().map(|(i, (k, _, _))| format!("{k} = ?{}", i + 1)).collect();
        let sql = format!("UPDATE {} SET {} WHERE id = ?{}", kind.table(), sets.join(", "), changed.len() + 1);
        let mut values: Vec<rusqlite::types::Value> = changed.iter().map(|(k, _, new)| rows::to_sql(k, new)).collect();
        values.push(rusqlite::types::Value::Blob(id.as_bytes().to_vec()));
        self.conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
        Ok(())
    }

    pub(super) fn insert_row(&self, kind: Kind, fields: &Fields) -> Result<()> {
        // A kind's records always serialise to the same columns, in the same order:
        // the statement is built once per kind (checked, in case a record ever differs).
        static SQL: [OnceLock<(Vec<String>, String)>; Kind::ALL.len()] = [const { OnceLock::new() }; Kind::ALL.len()];
        let (cols, cached) =
            SQL[kind.index()].get_or_init(|| (fields.keys().cloned().collect(), insert_sql(kind, fields)));
        let fresh;
        let sql = if cols.iter().eq(fields.keys()) {
            cached
        } else {
            fresh = insert_sql(kind, fields);
            &fresh
        };
        match self
            .conn
            .prepare_cached(sql)?
            .execute(rusqlite::params_from_iter(fields.iter().map(|(k, v)| rows::to_sql(k, v))))
        {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                Err(Error::new(ErrorCode::Duplicate, format!("{}: identificativo già presente.", kind.label())))
            }
            other => other.map(drop).map_err(Error::from),
        }
    }

    /// `v`: what `Record::check` found, to which the checks against the register add.
    /// Refuses a change of a copy the hub no longer shares with this office: it would
    /// reach no other office, and the copy would drift from the one that goes on.
    fn refuse_if_unshared(&self, kind: Kind, id: Uuid, fields: &Fields) -> Result<()> {
        if crate::sharing::in_unshared_group(&self.reader(), kind, id, fields)? {
            return Err(Error::new(
                ErrorCode::Unshared,
                format!(
                    "{}: appartiene a un protocollo (o progetto) non più condiviso con questo ufficio; \
                     la copia qui è in sola lettura.",
                    kind.label()
                ),
            ));
        }
        Ok(())
    }

    fn validate<T: Record>(&mut self, rec: &T, fields: &Fields, mut v: Violations) -> Result<()> {
        for link in T::KIND.links() {
            if let Some(target) = rows::link_id(fields, link.field)
                && !self.link_exists(link.target, target)?
            {
                v.add(link.field, FieldCode::LinkMissing, format!("{}: non esiste nel registro.", link.target.label()));
            }
        }
        rec.check_in(&self.reader(), &mut v)?;
        v.into_result(T::KIND.label())
    }

    fn link_exists(&mut self, kind: Kind, id: Uuid) -> Result<bool> {
        if self.known.contains(&(kind, id)) {
            return Ok(true);
        }
        let found = self.reader().exists(kind, id)?;
        if found {
            self.known.insert((kind, id));
        }
        Ok(found)
    }

    /// The record and, depth first, everything that belongs to it.
    fn collect_owned(
        &self,
        kind: Kind,
        id: Uuid,
        order: &mut Vec<(Kind, Uuid)>,
        seen: &mut BTreeSet<(Kind, Uuid)>,
    ) -> Result<()> {
        if !seen.insert((kind, id)) {
            return Ok(());
        }
        order.push((kind, id));
        for child_kind in Kind::ALL {
            for link in child_kind.links().iter().filter(|l| l.owned && l.target == kind) {
                for child in self.ids_where(child_kind, link.field, id)? {
                    self.collect_owned(child_kind, child, order, seen)?;
                }
            }
        }
        if kind != Kind::Attachment {
            for child in self.ids_where(Kind::Attachment, "owner_id", id)? {
                self.collect_owned(Kind::Attachment, child, order, seen)?;
            }
        }
        Ok(())
    }

    fn refuse_if_referenced(&self, kind: Kind, order: &[(Kind, Uuid)], seen: &BTreeSet<(Kind, Uuid)>) -> Result<()> {
        let mut blockers: BTreeMap<Kind, BTreeSet<Uuid>> = BTreeMap::new();
        for &(k, rid) in order {
            for (other, referrer) in self.referrers(k, rid)? {
                if !seen.contains(&(other, referrer)) {
                    blockers.entry(other).or_default().insert(referrer);
                }
            }
        }
        if blockers.is_empty() {
            return Ok(());
        }
        let what: Vec<String> = blockers.iter().map(|(k, ids)| format!("{} {}", ids.len(), k.plural())).collect();
        Err(Error::new(
            ErrorCode::InUse,
            format!(
                "{}: non eliminato, perché è ancora indicato in {}. Togli prima questi collegamenti.",
                kind.label(),
                what.join(", ")
            ),
        ))
    }

    /// Records stored that name `(kind, id)`: its children, those that refer to it,
    /// its attachments.
    pub(super) fn referrers(&self, kind: Kind, id: Uuid) -> Result<Vec<(Kind, Uuid)>> {
        let mut out = Vec::new();
        for other in Kind::ALL {
            for link in other.links().iter().filter(|l| l.target == kind) {
                out.extend(self.ids_where(other, link.field, id)?.into_iter().map(|r| (other, r)));
            }
        }
        if kind != Kind::Attachment {
            out.extend(self.ids_where(Kind::Attachment, "owner_id", id)?.into_iter().map(|r| (Kind::Attachment, r)));
        }
        Ok(out)
    }

    pub(super) fn ids_where(&self, kind: Kind, field: &str, value: Uuid) -> Result<Vec<Uuid>> {
        let sql = format!("SELECT id FROM {} WHERE {field} = ?1", kind.table());
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let ids = stmt.query_map([value], |r| r.get(0))?.collect::<rusqlite::Result<Vec<Uuid>>>()?;
        Ok(ids)
    }
}

/// A new record made ready to write, on any thread: tidied, turned into columns,
/// checked on its own (`Record::check`), with its journal entry and search text.
/// [`Writer::create`] makes one and writes it at once; a [`super::Batch`] makes them on
/// a second thread while the writer writes the ones before.
pub(crate) struct Prepared<T> {
    rec: T,
    fields: Fields,
    own: Violations,
    logged: String,
    search: Option<(String, String)>,
}

impl<T: Record> Prepared<T> {
    pub(crate) fn new(mut rec: T) -> Result<Prepared<T>> {
        rec.tidy();
        let fields = rows::to_fields(&rec)?;
        let mut own = Violations::default();
        rec.check(&mut own);
        // On create the journal lists the non-empty fields: a field not named is empty.
        let logged = changelog::logged_json(&fields)?;
        let search = rec.search_text();
        Ok(Prepared { rec, fields, own, logged, search })
    }
}

/// The journal's JSON of the settings a settings row sets.
/// The settings kept in `meta` and journaled, with what the messages call them.
pub const SETTINGS: [(&str, &str); 3] =
    [("user_name", "il nome dell'utente"), ("office_id", "l'ufficio"), ("trusted_list_sha256", "l'elenco di fiducia")];

/// Every setting as it is in `meta` now (null when not set).
fn settings_snapshot(conn: &rusqlite::Connection) -> Result<serde_json::Map<String, Value>> {
    let mut out = serde_json::Map::new();
    for (key, _) in SETTINGS {
        out.insert(key.to_owned(), get_meta(conn, key)?.map_or(Value::Null, Value::String));
    }
    Ok(out)
}

fn insert_sql(kind: Kind, fields: &Fields) -> String {
    let cols: Vec<&str> = fields.keys().map(String::as_str).collect();
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    format!("INSERT INTO {} ({}) VALUES ({})", kind.table(), cols.join(", "), marks.join(", "))
}
