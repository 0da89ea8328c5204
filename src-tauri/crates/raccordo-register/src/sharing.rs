//! Floor 4: what travels together through sync, and whose it is (DESIGN.md, «Sharing
//! has scopes»). A record belongs to a **group**: an agreement with everything under
//! it (parties, signatures, tables, meetings, actions, projects and their parts,
//! attachments); a project outside any agreement with its parts; a person with the
//! offices they hold. Administrations are public: every office receives them. A group
//! is named by its root record's id.
//!
//! The same rules serve both sides: a register withholds what it must not send, and
//! the hub hands a group only to the offices in its audience: for an agreement or a
//! project, by its scope, the office that registered it and the offices of its parties;
//! for a person, the offices that receive a group referring to them.

use crate::changelog;
use crate::db::{Fields, Reader, rows};
use crate::error::Result;
use crate::kind::Kind;
use crate::model::Scope;
use rusqlite::OptionalExtension;
use uuid::Uuid;

/// The group of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Group {
    /// Administrations: every office receives them.
    Public,
    /// The group of this root record: an agreement, a project outside any agreement,
    /// a person.
    Root(Kind, Uuid),
}

impl Group {
    /// The id the hub and the bookkeeping tables name it by: the root's id, or the nil
    /// id for the public group.
    pub fn id(self) -> Uuid {
        match self {
            Group::Public => Uuid::nil(),
            Group::Root(_, id) => id,
        }
    }

    /// A group with a scope of its own: an agreement, or a project outside any.
    pub fn is_scoped(self) -> bool {
        matches!(self, Group::Root(Kind::Agreement | Kind::Project, _))
    }
}

/// The fields of `kind` that place a record under another one for sharing, in the
/// order they are looked at: the links it belongs to by (a party to its agreement), a
/// project's agreement, an attachment's owner. None: the record is a root, or public.
pub fn parent_fields(kind: Kind) -> Vec<&'static str> {
    match kind {
        Kind::Administration | Kind::Person | Kind::Agreement => Vec::new(),
        Kind::Project => vec!["agreement_id"],
        Kind::Attachment => vec!["owner_id"],
        _ => kind.links().iter().filter(|l| l.owned).map(|l| l.field).collect(),
    }
}

/// The record `fields` (of a `kind`) belongs to for sharing, with its kind.
pub fn parent_of(kind: Kind, fields: &Fields) -> Option<(Kind, Uuid)> {
    if kind == Kind::Attachment {
        let owner_kind = fields.get("owner_kind").and_then(|v| serde_json::from_value::<Kind>(v.clone()).ok())?;
        return Some((owner_kind, rows::link_id(fields, "owner_id")?));
    }
    let target = |field: &str| kind.links().iter().find(|l| l.field == field).map(|l| l.target);
    parent_fields(kind).into_iter().find_map(|f| Some((target(f)?, rows::link_id(fields, f)?)))
}

/// Whether a record (of `kind`, with these `fields`, stored or about to be) belongs
/// to a group the hub no longer shares with this office (`sync_unshared`): the copy
/// here receives nothing more, so it is read-only.
pub fn in_unshared_group(r: &Reader, kind: Kind, id: Uuid, fields: &Fields) -> Result<bool> {
    // Nearly always empty: one look before walking any parents.
    let any: bool = r
        .connection()
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM sync_unshared)")?
        .query_row([], |row| row.get(0))?;
    if !any || kind == Kind::Administration {
        return Ok(false);
    }
    let group = match parent_of(kind, fields) {
        Some((parent_kind, parent)) => group_of(r, parent_kind, parent)?,
        None => Group::Root(kind, id),
    };
    Ok(r.connection().prepare_cached("SELECT 1 FROM sync_unshared WHERE grp = ?1")?.exists([group.id().to_string()])?)
}

/// The field of a party-like record naming the administration it makes a party of its
/// group: an agreement's parties, a project's partners (for a project outside any
/// agreement; inside one, the agreement's parties decide).
pub fn party_field(kind: Kind) -> Option<(Kind, &'static str)> {
    match kind {
        Kind::Party => Some((Kind::Agreement, "administration_id")),
        Kind::ProjectPartner => Some((Kind::Project, "administration_id")),
        _ => None,
    }
}

/// The fields of `kind` that refer to a person: the person travels to every office
/// that receives the record.
pub fn person_fields(kind: Kind) -> Vec<&'static str> {
    kind.links().iter().filter(|l| !l.owned && l.target == Kind::Person).map(|l| l.field).collect()
}

/// The field holding the scope of a root that has one.
pub fn scope_field(kind: Kind) -> Option<&'static str> {
    matches!(kind, Kind::Agreement | Kind::Project).then_some("scope")
}

/// What a tracked field tells about where a record travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// It places the record under another ([`parent_fields`]).
    Parent,
    /// The scope of a root ([`scope_field`]).
    Scope,
    /// The administration a party makes a party of its group ([`party_field`]).
    Party,
    /// A person the record refers to ([`person_fields`]).
    Person,
    /// The SHA-256 of an attachment's file: the file goes where the attachment does.
    Blob,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Parent => "parent",
            Role::Scope => "scope",
            Role::Party => "party",
            Role::Person => "person",
            Role::Blob => "blob",
        }
    }
}

/// Every field whose value decides where a record travels, with what it tells: what
/// the hub keeps of each record besides the log.
pub fn tracked_fields(kind: Kind) -> Vec<(&'static str, Role)> {
    let mut out: Vec<(&'static str, Role)> = parent_fields(kind).into_iter().map(|f| (f, Role::Parent)).collect();
    out.extend(scope_field(kind).map(|f| (f, Role::Scope)));
    out.extend(party_field(kind).map(|(_, f)| (f, Role::Party)));
    out.extend(person_fields(kind).into_iter().map(|f| (f, Role::Person)));
    if kind == Kind::Attachment {
        out.push(("sha256", Role::Blob));
    }
    out
}

/// The fields of a record as this register knows them: stored, or (deleted, waiting,
/// cut off) folded from its journal.
fn known_fields(r: &Reader, kind: Kind, id: Uuid) -> Result<Option<Fields>> {
    if let Some(f) = r.get_fields(kind, id)? {
        return Ok(Some(f));
    }
    let changes = changelog::of_record(r.connection(), id)?;
    let mut fields = Fields::new();
    for c in &changes {
        if let Some(f) = &c.fields {
            fields.extend(f.clone());
        }
    }
    Ok((!changes.is_empty()).then_some(fields))
}

/// The group `(kind, id)` belongs to, by walking up its parents. A parent this
/// register does not know ends the walk there: the record is taken as that parent's.
pub fn group_of(r: &Reader, kind: Kind, id: Uuid) -> Result<Group> {
    let (mut kind, mut id) = (kind, id);
    // Links never loop (a record belongs to an older one), but a file could be forged.
    for _ in 0..16 {
        if kind == Kind::Administration {
            return Ok(Group::Public);
        }
        let Some(fields) = known_fields(r, kind, id)? else { return Ok(Group::Root(kind, id)) };
        match parent_of(kind, &fields) {
            Some((k, p)) => (kind, id) = (k, p),
            None => return Ok(Group::Root(kind, id)),
        }
    }
    Ok(Group::Root(kind, id))
}

/// The scope of a scoped group as this register holds it (`Parti` when the root is
/// not stored, as a new one would have); `None` for a person's group and the public one.
pub fn scope_of(r: &Reader, group: Group) -> Result<Option<Scope>> {
    let Group::Root(kind @ (Kind::Agreement | Kind::Project), id) = group else { return Ok(None) };
    let text: Option<String> = r.query_one(&format!("SELECT scope FROM {} WHERE id = ?1", kind.table()), [id])?;
    Ok(Some(text.as_deref().and_then(Scope::parse).unwrap_or_default()))
}

/// Where record `id` was created: the site and the office of its first journal row,
/// `None` when it is older than the journal.
pub fn creation_of(r: &Reader, id: Uuid) -> Result<Option<(Uuid, Option<Uuid>)>> {
    Ok(r.connection()
        .prepare_cached(
            "SELECT site, office_id FROM journal WHERE record_id = ?1 AND op = 'create' ORDER BY seq LIMIT 1",
        )?
        .query_row([id], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()?)
}

/// Whether this register registered root `id`: its creation was written here (`site`)
/// or for this office. Only the office that registered an agreement changes its scope.
pub fn registered_here(r: &Reader, id: Uuid, site: Uuid, office: Option<Uuid>) -> Result<bool> {
    Ok(match creation_of(r, id)? {
        // Older than the journal: it was registered here.
        None => true,
        Some((by_site, by_office)) => by_site == site || (by_office.is_some() && by_office == office),
    })
}

/// The records that refer to person `id`, by the fields of [`person_fields`].
pub fn referring_to_person(r: &Reader, id: Uuid) -> Result<Vec<(Kind, Uuid)>> {
    let mut out = Vec::new();
    for kind in Kind::ALL {
        for field in person_fields(kind) {
            let mut stmt =
                r.connection().prepare_cached(&format!("SELECT id FROM {} WHERE {field} = ?1", kind.table()))?;
            for row in stmt.query_map([id], |row| row.get::<_, Uuid>(0))? {
                out.push((kind, row?));
            }
        }
    }
    Ok(out)
}
