//! The agreements: the paged list over the whole register, and one agreement with
//! everything that hangs from it.

use crate::names::{LinkedNames, NameMap};
use crate::{Result, Session};
use raccordo_register::audit::{self, Entry};
use raccordo_register::model::*;
use raccordo_register::provenance::{self, Provenance};
use raccordo_register::query::{self, AgreementFilter, AgreementRow, AgreementSort};
use raccordo_register::{Error, Reader};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

#[derive(Debug, Clone, Deserialize, TS)]
pub struct AgreementPageArgs {
    pub filter: AgreementFilter,
    pub sort: AgreementSort,
    pub offset: u64,
    pub limit: u32,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AgreementPage {
    pub rows: Vec<AgreementRow>,
    pub total: u64,
    pub offset: u64,
}

pub fn agreements_page(s: &Session, args: AgreementPageArgs) -> Result<AgreementPage> {
    crate::browse::check_text(args.filter.text.as_deref())?;
    s.with(|reg| {
        let page = query::agreements(
            &reg.reader(),
            &args.filter,
            args.sort,
            crate::session::today(),
            args.offset,
            args.limit,
        )?;
        Ok(AgreementPage { rows: page.rows, total: page.total, offset: page.offset })
    })
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct AgreementDetail {
    pub agreement: Agreement,
    /// Taken from a seed text, or demo data.
    pub provenance: Option<Provenance>,
    pub parties: Vec<Party>,
    pub signatures: Vec<Signature>,
    pub commitments: Vec<Commitment>,
    pub tables: Vec<ThematicTable>,
    pub meetings: Vec<Meeting>,
    pub actions: Vec<Action>,
    pub projects: Vec<Project>,
    pub attachments: Vec<Attachment>,
    pub history: Vec<Entry>,
    pub names: NameMap,
}

pub fn agreement_detail(s: &Session, args: crate::records::IdArgs) -> Result<AgreementDetail> {
    s.with(|reg| {
        let r = reg.reader();
        let agreement: Agreement = r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::Agreement.label()))?;
        let id = agreement.id;
        let parties: Vec<Party> = r.children("agreement_id", id)?;
        let signatures: Vec<Signature> = r.children("agreement_id", id)?;
        let commitments: Vec<Commitment> = r.children("agreement_id", id)?;
        let tables: Vec<ThematicTable> = r.children("agreement_id", id)?;
        let meetings: Vec<Meeting> =
            r.select("SELECT * FROM meeting WHERE agreement_id = ?1 ORDER BY date, number", [id])?;
        let actions: Vec<Action> =
            r.select("SELECT * FROM action WHERE agreement_id = ?1 ORDER BY due_on IS NULL, due_on", [id])?;
        let projects: Vec<Project> = r.children("agreement_id", id)?;
        let mut names = LinkedNames::default();
        for p in &parties {
            names
                .add(Kind::Party, p.id)
                .add(Kind::Administration, p.administration_id)
                .add(Kind::Person, p.contact_person_id);
        }
        for sg in &signatures {
            names.add(Kind::Person, sg.person_id).add(Kind::OfficeHeld, sg.office_held_id);
        }
        for t in &tables {
            names.add(Kind::Person, t.coordinator_id);
        }
        for a in &actions {
            names.add(Kind::Person, a.owner_id);
        }
        for p in &projects {
            names.add(Kind::Administration, p.lead_administration_id);
        }
        for m in &meetings {
            names.add(Kind::ThematicTable, m.table_id);
        }
        let names = names.resolve(&r)?;
        Ok(AgreementDetail {
            provenance: provenance::of(&r, id)?,
            attachments: attachments_of(&r, id)?,
            history: audit::history(reg.connection(), id)?,
            agreement,
            parties,
            signatures,
            commitments,
            tables,
            meetings,
            actions,
            projects,
            names,
        })
    })
}

/// The files attached to one record, in the order they were added.
pub fn attachments_of(r: &Reader, owner: Uuid) -> Result<Vec<Attachment>> {
    r.select("SELECT * FROM attachment WHERE owner_id = ?1 ORDER BY id", [owner])
}
