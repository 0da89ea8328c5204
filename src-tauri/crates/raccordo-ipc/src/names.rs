//! The titles of the records a view refers to, so the window shows "Comune di Lucca"
//! where the record holds an id, without a round trip per link.

use crate::Result;
use raccordo_register::{Kind, Party, Reader};
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
            if let Some(title) = r.title_of(kind, id_of_title)? {
                out.insert(id, title);
            }
        }
        Ok(out)
    }
}
