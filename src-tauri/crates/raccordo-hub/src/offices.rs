//! Which administration an office is: `office add` takes its id, IPA code, fiscal
//! code, ISTAT code or exact name, looked up in the directory every register has and
//! among the administrations offices added by hand and sent to this hub.

use crate::store::{HubResult, HubStore};
use raccordo_register::Administration;
use raccordo_register::changelog::{self, Change};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The administrations the hub knows: the directory, then the ones received.
pub fn known(store: &dyn HubStore) -> HubResult<Vec<Administration>> {
    let mut all = raccordo_register::directory::administrations();
    let mut received: BTreeMap<Uuid, Vec<Change>> = BTreeMap::new();
    for body in store.bodies_of_kind("administration")? {
        if let Ok(c) = serde_json::from_str::<Change>(&body) {
            received.entry(c.record_id).or_default().push(c);
        }
    }
    for (id, changes) in received {
        let base = raccordo_register::directory::base_of(id).ok().flatten();
        let Some(fields) = changelog::fold(base, &changes) else { continue };
        let mut fields = fields;
        fields.insert("id".into(), serde_json::Value::String(id.to_string()));
        if let Ok(a) = serde_json::from_value::<Administration>(serde_json::Value::Object(fields)) {
            all.retain(|d| d.id != a.id);
            all.push(a);
        }
    }
    Ok(all)
}

/// The one administration `key` names, or why none.
pub fn resolve(store: &dyn HubStore, key: &str) -> Result<Administration, String> {
    let all = known(store).map_err(|e| e.message)?;
    raccordo_register::directory::pick(&all, key)
}
