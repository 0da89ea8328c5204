//! Administrations (the ISTAT directory and those added by hand) and people, each
//! with what links to them: offices held, agreements, signatures.

use crate::names::{LinkedNames, NameMap};
use crate::records::IdArgs;
use crate::{Error, Result, Session};
use raccordo_register::lists;
use raccordo_register::model::*;
use raccordo_register::query::{self, AgreementFilter, AgreementRow, AgreementSort};
use serde::Serialize;
use ts_rs::TS;

/// Agreements shown on an administration's page; the list screen filters for the rest.
const AGREEMENTS_SHOWN: u32 = 50;

#[derive(Debug, Clone, Serialize, TS)]
pub struct AdministrationDetail {
    pub administration: Administration,
    /// People holding (or having held) an office in it.
    pub offices: Vec<OfficeHeld>,
    pub agreements: Vec<AgreementRow>,
    pub agreements_total: u64,
    /// Projects it leads.
    pub projects: Vec<Project>,
    pub attachments: Vec<Attachment>,
    pub names: NameMap,
}

pub fn administration_detail(s: &Session, args: IdArgs) -> Result<AdministrationDetail> {
    s.with(|reg| {
        let r = reg.reader();
        let administration: Administration =
            r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::Administration.label()))?;
        let offices = lists::offices_in(&r, args.id)?;
        let filter = AgreementFilter { administration_id: Some(args.id), ..Default::default() };
        let page = query::agreements(&r, &filter, AgreementSort::Expiry, crate::session::today(), 0, AGREEMENTS_SHOWN)?;
        let projects: Vec<Project> = r.children("lead_administration_id", args.id)?;
        let mut names = LinkedNames::default();
        names.links_of_all(&offices).links_of_all(&projects);
        Ok(AdministrationDetail {
            administration,
            agreements: page.rows,
            agreements_total: page.total,
            attachments: lists::attachments_of(&r, args.id)?,
            names: names.resolve(&r)?,
            offices,
            projects,
        })
    })
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PersonDetail {
    pub person: Person,
    pub offices: Vec<OfficeHeld>,
    pub signatures: Vec<Signature>,
    pub names: NameMap,
}

pub fn person_detail(s: &Session, args: IdArgs) -> Result<PersonDetail> {
    s.with(|reg| {
        let r = reg.reader();
        let person: Person = r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::Person.label()))?;
        let offices = lists::offices_of(&r, args.id)?;
        let signatures: Vec<Signature> = r.children("person_id", args.id)?;
        let mut names = LinkedNames::default();
        names.links_of_all(&offices).links_of_all(&signatures);
        Ok(PersonDetail { person, names: names.resolve(&r)?, offices, signatures })
    })
}
