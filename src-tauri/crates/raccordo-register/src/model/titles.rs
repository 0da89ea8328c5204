//! What a record is called in a list, a message or the history, for any kind known
//! only at run time.

use super::Kind;
use crate::db::Reader;
use crate::db::rows::from_fields;
use crate::error::Result;
use uuid::Uuid;

/// The one-line title of any record, without knowing its type. A record that links
/// someone to something (a party, a signature, a partner, a member, an attendance) is
/// named by who it links: "Comune di Lucca (Capofila)", not "Capofila".
pub fn title_of(r: &Reader, kind: Kind, id: Uuid) -> Result<Option<String>> {
    let Some(fields) = r.get_fields(kind, id)? else {
        return Ok(None);
    };
    let who = match kind {
        Kind::Party | Kind::ProjectPartner => Some(("administration_id", Kind::Administration)),
        Kind::Signature | Kind::TableMember | Kind::Attendance => Some(("person_id", Kind::Person)),
        _ => None,
    };
    let linked = who.and_then(|(field, k)| {
        let id = fields.get(field)?.as_str()?.parse::<Uuid>().ok()?;
        Some((k, id))
    });
    let own: String = dispatch_kind!(kind, T => from_fields::<T>(fields)?.title());
    Ok(Some(match linked {
        Some((k, linked_id)) => match title_of(r, k, linked_id)? {
            Some(name) => format!("{name} ({own})"),
            None => own,
        },
        None => own,
    }))
}

/// The title of another record of `kind` whose `field` equals `value`, other than
/// `except`: for the rules that a code or a number is unique.
pub fn find_other(r: &Reader, kind: Kind, field: &str, value: &str, except: Uuid) -> Result<Option<String>> {
    let sql = format!("SELECT id FROM {} WHERE {field} = ?1 AND id <> ?2 LIMIT 1", kind.table());
    let id: Option<Uuid> = r.query_one(&sql, (value, except))?;
    match id {
        Some(id) => Ok(Some(title_of(r, kind, id)?.unwrap_or_else(|| id.to_string()))),
        None => Ok(None),
    }
}
