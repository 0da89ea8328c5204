//! Which administration an office is: `office add` takes its id, IPA code, fiscal
//! code, ISTAT code or exact name, looked up in the directory every register has and
//! among the administrations offices added by hand and sent to this hub.

use crate::store::{HubResult, HubStore};
use raccordo_register::changelog::{self, Change};
use raccordo_register::{Administration, AdministrationKind};
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
    let key = key.trim();
    let all = known(store).map_err(|e| e.message)?;
    let matches: Vec<&Administration> = if let Ok(id) = Uuid::parse_str(key) {
        all.iter().filter(|a| a.id == id).collect()
    } else {
        let up = key.to_uppercase();
        let by = |f: &dyn Fn(&Administration) -> bool| all.iter().filter(|a| f(a)).collect::<Vec<_>>();
        let mut m = by(&|a| a.ipa_code.as_deref().is_some_and(|c| c.eq_ignore_ascii_case(key)));
        if m.is_empty() {
            m = by(&|a| a.fiscal_code.as_deref() == Some(up.as_str()));
        }
        if m.is_empty() && key.len() == 6 && key.bytes().all(|b| b.is_ascii_digit()) {
            m = by(&|a| a.kind == AdministrationKind::Comune && a.seat_istat_code.as_deref() == Some(key));
        }
        if m.is_empty() {
            m = by(&|a| a.name.eq_ignore_ascii_case(key));
        }
        m
    };
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(format!(
            "Nessun ente «{key}»: indicarne l'identificativo, il codice IPA, il codice fiscale, il codice ISTAT del comune o il nome esatto."
        )),
        many => Err(format!(
            "«{key}» indica {} enti ({}): usare l'identificativo.",
            many.len(),
            many.iter().take(5).map(|a| format!("{} {}", a.name, a.id)).collect::<Vec<_>>().join("; ")
        )),
    }
}
