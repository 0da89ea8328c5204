//! Who receives an agreement (or a project outside any agreement) through sync, as its
//! screen shows it: its scope, the office that registered it (the one that decides),
//! the offices of its parties, whether this office still receives it, and who changed
//! it last, from which office. Changing the scope goes through the register's own rule
//! (`Register::set_scope`: only the registering office).

use crate::{Error, Result, Session};
use raccordo_register::sharing::{self, Group};
use raccordo_register::{Administration, Kind, Party, Project, ProjectPartner, Reader, Scope};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Serialize, TS)]
pub struct Sharing {
    pub scope: Scope,
    /// The office that registered it, which alone changes the scope (`None`: older
    /// than the journal, so registered here).
    pub registrar: Option<String>,
    /// This office registered it: the scope is its to change.
    pub registered_here: bool,
    /// The administrations among its parties (or the project's partners), by name:
    /// with `parti`, their offices receive it.
    pub parties: Vec<String>,
    /// The register syncs with a hub at all.
    pub joined: bool,
    /// The hub no longer shares it with this office: the copy here is read-only.
    pub unshared: bool,
    /// The last change of the record, and where it came from.
    pub last_change: Option<super::LastChange>,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct SharingArgs {
    pub kind: Kind,
    pub id: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct ShareArgs {
    pub kind: Kind,
    pub id: String,
    pub scope: Scope,
}

fn root_of(kind: Kind, id: &str) -> Result<(Kind, Uuid)> {
    let id =
        Uuid::parse_str(id.trim()).map_err(|_| Error::bad_request(format!("Identificativo «{id}» non valido.")))?;
    match kind {
        Kind::Agreement | Kind::Project => Ok((kind, id)),
        _ => Err(Error::bad_request(format!(
            "{}: la condivisione si decide sul protocollo (o sul progetto) a cui appartiene.",
            kind.label()
        ))),
    }
}

fn name_of(r: &Reader, administration: Uuid) -> Result<String> {
    Ok(r.get::<Administration>(administration)?.map(|a| a.name).unwrap_or_else(|| administration.to_string()))
}

/// The administrations taking part: an agreement's parties, a project's partners.
fn parties(r: &Reader, kind: Kind, id: Uuid) -> Result<Vec<String>> {
    let ids: Vec<Uuid> = match kind {
        Kind::Agreement => r
            .select::<Party>("SELECT * FROM party WHERE agreement_id = ?1", [id])?
            .into_iter()
            .map(|p| p.administration_id)
            .collect(),
        _ => r
            .select::<ProjectPartner>("SELECT * FROM project_partner WHERE project_id = ?1", [id])?
            .into_iter()
            .map(|p| p.administration_id)
            .collect(),
    };
    let mut names = ids.into_iter().map(|a| name_of(r, a)).collect::<Result<Vec<_>>>()?;
    names.sort();
    names.dedup();
    Ok(names)
}

fn describe(s: &Session, kind: Kind, id: Uuid) -> Result<Sharing> {
    s.with(|reg| {
        let r = reg.reader();
        if !r.exists(kind, id)? {
            return Err(Error::not_found(kind.label()));
        }
        if kind == Kind::Project && r.get::<Project>(id)?.is_some_and(|p| p.agreement_id.is_some()) {
            return Err(Error::bad_request(
                "Il progetto appartiene a un protocollo e ne segue la condivisione: vederla sul protocollo.",
            ));
        }
        let settings = reg.settings();
        let office = reg.own_office()?;
        let registrar = match sharing::creation_of(&r, id)? {
            Some((_, Some(by))) => Some(name_of(&r, by)?),
            _ => None,
        };
        Ok(Sharing {
            scope: sharing::scope_of(&r, Group::Root(kind, id))?.unwrap_or_default(),
            registrar,
            registered_here: sharing::registered_here(&r, id, settings.site_id, office)?,
            parties: parties(&r, kind, id)?,
            joined: reg.peer()?.is_some(),
            unshared: reg.unshared_groups()?.contains(&id),
            last_change: super::record::last_change(reg, id)?,
        })
    })
}

pub fn sharing(s: &Session, args: SharingArgs) -> Result<Sharing> {
    let (kind, id) = root_of(args.kind, &args.id)?;
    describe(s, kind, id)
}

/// Changes who receives it; refused, with nothing changed, unless this office
/// registered it. Widening it sends its whole history to the offices that gain it at
/// the next sync; narrowing it stops further changes reaching those that lose it.
pub fn share(s: &Session, args: ShareArgs) -> Result<Sharing> {
    let (kind, id) = root_of(args.kind, &args.id)?;
    s.with(|reg| reg.set_scope(kind, id, args.scope))?;
    describe(s, kind, id)
}
