//! The hub this register syncs with, and the two cursors that say how far the
//! exchange has come. Sync's own bookkeeping (`sync_peer`, schema 7): never journaled
//! and never sent, since it belongs to this installation, not to the register's data.
//!
//! The cursors move in the same transaction as what they count: a pulled batch is
//! applied and `pulled_seq` advanced together ([`Register::apply_pulled`]), so an
//! interruption at any point resumes where it stopped, with nothing applied twice or
//! skipped.

use super::Register;
use crate::changelog::Change;
use crate::db::rows::text_uuid;
use crate::error::{Error, ErrorCode, Result};
use crate::hlc::{Stamp, wall_ms};
use crate::store::Applied;
use rusqlite::OptionalExtension;
use serde::Serialize;
use uuid::Uuid;

/// One batch pulled from the hub, for [`Register::apply_pulled`].
#[derive(Debug, Clone, Copy)]
pub struct Pulled<'a> {
    pub changes: &'a [Change],
    /// The hub's log position after it, its chain hash there, and how far inside the
    /// history of a group just shared.
    pub seq: i64,
    pub link: &'a str,
    pub within: Option<i64>,
    /// Groups the hub shares with this office from now on, and those it stopped sharing.
    pub shared: &'a [Uuid],
    pub unshared: &'a [Uuid],
}

/// This register as an installation known to one hub.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peer {
    pub hub_url: String,
    pub hub_id: Uuid,
    pub installation_id: Uuid,
    /// The administration whose office this installation is.
    pub office_id: Uuid,
    /// SHA-256 (hex) of the hub's certificate, when trusted by pinning at join rather
    /// than by the system's roots.
    pub pin_sha256: Option<String>,
    /// The last row of this journal the hub acknowledged.
    pub pushed_seq: i64,
    /// The hub's log position pulled up to, and its chain hash there.
    pub pulled_seq: i64,
    pub pulled_link: String,
    /// Inside the history of a group the hub just shared with this office: how far
    /// of it (the hub's log position) came.
    pub pulled_within: Option<i64>,
    pub joined_at: String,
    pub last_sync_at: Option<String>,
    pub last_error: Option<String>,
}

const PEER_COLUMNS: &str = "hub_url, hub_id, installation_id, office_id, pin_sha256, pushed_seq, pulled_seq, \
                            pulled_link, joined_at, last_sync_at, last_error, pulled_within";

fn no_peer() -> Error {
    Error::new(
        ErrorCode::NotFound,
        "Il registro non è collegato a un hub: collegarlo con «raccordo-cli sync join INDIRIZZO CODICE».",
    )
}

impl Register {
    /// The hub this register syncs with, if it has joined one.
    pub fn peer(&self) -> Result<Option<Peer>> {
        let peer = self
            .conn
            .query_row(&format!("SELECT {PEER_COLUMNS} FROM sync_peer"), [], |r| {
                Ok(Peer {
                    hub_url: r.get(0)?,
                    hub_id: text_uuid(r, 1)?,
                    installation_id: text_uuid(r, 2)?,
                    office_id: text_uuid(r, 3)?,
                    pin_sha256: r.get(4)?,
                    pushed_seq: r.get(5)?,
                    pulled_seq: r.get(6)?,
                    pulled_link: r.get(7)?,
                    joined_at: r.get(8)?,
                    last_sync_at: r.get(9)?,
                    last_error: r.get(10)?,
                    pulled_within: r.get(11)?,
                })
            })
            .optional()?;
        Ok(peer)
    }

    /// Records the hub this register has joined, as the office `peer.office_id`. A
    /// register that works for another office is refused: it would send that office's
    /// records as this one's. One that named no office takes the hub's as its own, so
    /// that what it writes from now on says which office wrote it (the registrar of
    /// its agreements, the office beside each change in a partner's history).
    pub fn join_peer(&mut self, peer: &Peer) -> Result<()> {
        self.check_office(peer.office_id)?;
        if self.actor.office_id.is_none() {
            let actor = crate::audit::Actor { user: self.actor.user.clone(), office_id: Some(peer.office_id) };
            self.write(|w| w.record_settings(&actor.settings()))?;
            self.actor = actor;
        }
        self.conn.execute(
            &format!(
                "INSERT OR REPLACE INTO sync_peer (one, {PEER_COLUMNS}) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ),
            rusqlite::params![
                peer.hub_url,
                peer.hub_id.to_string(),
                peer.installation_id.to_string(),
                peer.office_id.to_string(),
                peer.pin_sha256,
                peer.pushed_seq,
                peer.pulled_seq,
                peer.pulled_link,
                peer.joined_at,
                peer.last_sync_at,
                peer.last_error,
                peer.pulled_within,
            ],
        )?;
        Ok(())
    }

    /// The office this register works for: the hub's installation, or its settings.
    pub fn own_office(&self) -> Result<Option<Uuid>> {
        Ok(self.peer()?.map(|p| p.office_id).or(self.actor.office_id))
    }

    /// Refuses joining as `office` when this register works for another one.
    pub fn check_office(&self, office: Uuid) -> Result<()> {
        match self.actor.office_id {
            Some(own) if own != office => Err(Error::new(
                ErrorCode::BadRequest,
                format!(
                    "Questo registro è dell'ufficio {}, ma il codice è per l'ufficio {}: usare il registro di quell'ufficio, o un codice per questo.",
                    self.office_name(own),
                    self.office_name(office)
                ),
            )),
            _ => Ok(()),
        }
    }

    fn office_name(&self, id: Uuid) -> String {
        self.reader()
            .get::<crate::model::Administration>(id)
            .ok()
            .flatten()
            .map(|a| format!("«{}»", a.name))
            .unwrap_or_else(|| id.to_string())
    }

    /// Forgets the hub: the records stay, the cursors go.
    pub fn leave_peer(&mut self) -> Result<()> {
        self.conn.execute_batch(
            "DELETE FROM sync_peer; DELETE FROM sync_withheld; DELETE FROM sync_unshared; DELETE FROM sync_known_group;",
        )?;
        Ok(())
    }

    /// Applies a batch pulled from the hub and moves the pull cursor to `at`, with what
    /// the hub now shares with this office and what it no longer does, in one
    /// transaction. When everything of this journal had been pushed before, what the
    /// batch added is not pushed back: the hub sent it.
    pub fn apply_pulled(&mut self, pulled: &Pulled) -> Result<Applied> {
        self.write(|w| {
            let pushed: Option<i64> =
                w.conn.query_row("SELECT pushed_seq FROM sync_peer", [], |r| r.get(0)).optional()?;
            let pushed = pushed.ok_or_else(no_peer)?;
            let all_pushed = changes_after(w.conn, pushed)? == 0;
            let applied = w.apply_changes(pulled.changes, wall_ms())?;
            super::outgoing::note_sharing(w.conn, pulled.shared, pulled.unshared, pulled.changes)?;
            let pushed = if all_pushed { w.audit.seq } else { pushed };
            w.conn.execute(
                "UPDATE sync_peer SET pulled_seq = ?1, pulled_link = ?2, pulled_within = ?3, pushed_seq = ?4",
                rusqlite::params![pulled.seq, pulled.link, pulled.within, pushed],
            )?;
            Ok(applied)
        })
    }

    /// The hub no longer holds what it acknowledged (restored from an older copy):
    /// everything is sent again and pulled again; both sides keep each change once.
    pub fn restart_cursors(&mut self) -> Result<()> {
        self.conn.execute_batch(
            "UPDATE sync_peer SET pushed_seq = 0, pulled_seq = 0, pulled_link = '', pulled_within = NULL;
             DELETE FROM sync_known_group;",
        )?;
        Ok(())
    }

    /// Notes the end of a sync: when, and its error if it failed (`None`: it succeeded).
    pub fn note_sync(&mut self, error: Option<&str>) -> Result<()> {
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        match error {
            None => self.conn.execute("UPDATE sync_peer SET last_sync_at = ?1, last_error = NULL", [now])?,
            Some(e) => self.conn.execute("UPDATE sync_peer SET last_error = ?1", [e])?,
        };
        Ok(())
    }

    /// Records of this register, administrations aside (the directory's thousands
    /// would hide any loss): what a large delete is measured against.
    pub fn records_held(&self) -> Result<u64> {
        let mut n = 0;
        for kind in crate::kind::Kind::ALL.into_iter().filter(|k| *k != crate::kind::Kind::Administration) {
            n += self.reader().count(kind)?;
        }
        Ok(n)
    }

    /// How many records held here the deletes among `changes` would remove.
    pub fn deletes_of_held(&self, changes: &[Change]) -> Result<u64> {
        let mut n = 0;
        for c in changes
            .iter()
            .filter(|c| c.op == crate::changelog::Op::Delete && c.kind != crate::kind::Kind::Administration)
        {
            if self.reader().exists(c.kind, c.record_id)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// Changes of this journal the hub has not acknowledged yet.
    pub fn changes_waiting(&self) -> Result<u64> {
        let pushed = self.peer()?.map(|p| p.pushed_seq).unwrap_or(0);
        changes_after(&self.conn, pushed)
    }

    /// The last stamp this register's clock gave or saw: a copy restored from an
    /// older backup shows an older one than the hub has seen from its site.
    pub fn clock_last(&self) -> Result<Stamp> {
        Ok(self.meta("hlc_last")?.and_then(|s| s.parse().ok()).map(Stamp).unwrap_or(Stamp(0)).max(self.clock.last()))
    }
}

/// Changes (not settings or loads) in the journal after `seq`.
fn changes_after(conn: &rusqlite::Connection, seq: i64) -> Result<u64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM journal WHERE seq > ?1 AND op IN ('create', 'update', 'delete')",
        [seq],
        |r| r.get::<_, i64>(0),
    )? as u64)
}
