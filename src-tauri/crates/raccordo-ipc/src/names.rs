//! The titles of the records a view refers to, so the window shows "Comune di Lucca"
//! where the record holds an id, without a round trip per link.

use crate::Result;
use raccordo_register::{Kind, Party, Reader, Record};
use std::collections::BTreeMap;
use uuid::Uuid;

/// id → title, as sent to the window.
pub type NameMap = BTreeMap<Uuid, String>;

#[derive(Default)]
pub struct LinkedNames {
    wanted: BTreeMap<Uuid, Kind>,
}

impl LinkedNames {
    pub fn add(&mut self, kind: Kind, id: impl Into<Option<Uuid>>) -> &mut Self {
        if let Some(id) = id.into() {
            self.wanted.insert(id, kind);
        }
        self
    }

    /// Everything a record links to (its kind's `Kind::links`): a meeting's agreement,
    /// table, chair, secretary…
    pub fn links_of<T: Record>(&mut self, rec: &T) -> &mut Self {
        for (kind, id) in raccordo_register::linked(rec) {
            self.add(kind, id);
        }
        self
    }

    /// Everything each of `recs` links to.
    pub fn links_of_all<T: Record>(&mut self, recs: &[T]) -> &mut Self {
        for rec in recs {
            self.links_of(rec);
        }
        self
    }

    pub fn resolve(&self, r: &Reader) -> Result<NameMap> {
        let mut out = NameMap::new();
        for (&id, &kind) in &self.wanted {
            // A party is known by its administration ("Comune di Lucca"), not its role.
            let (kind, id_of_title) = match kind {
                Kind::Party => match r.get::<Party>(id)? {
                    Some(p) => (Kind::Administration, p.administration_id),
                    None => continue,
                },
                k => (k, id),
            };
            if let Some(title) = raccordo_register::title_of(r, kind, id_of_title)? {
                out.insert(id, title);
            }
        }
        Ok(out)
    }
}
