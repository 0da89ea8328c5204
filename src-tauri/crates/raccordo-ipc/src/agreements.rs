//! The agreements: the paged list over the whole register, and one agreement with
//! everything that hangs from it.

use crate::names::{LinkedNames, NameMap};
use crate::{Result, Session};
use raccordo_register::Error;
use raccordo_register::audit::{self, Entry};
use raccordo_register::lists;
use raccordo_register::model::*;
use raccordo_register::provenance::{self, Provenance};
use raccordo_register::query::{self, AgreementFilter, AgreementRow, AgreementSort};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

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
        let meetings = lists::meetings_of_agreement(&r, id)?;
        let actions = lists::actions_of_agreement(&r, id)?;
        let projects: Vec<Project> = r.children("agreement_id", id)?;
        let mut names = LinkedNames::default();
        names
            .links_of_all(&parties)
            .links_of_all(&signatures)
            .links_of_all(&commitments)
            .links_of_all(&tables)
            .links_of_all(&meetings)
            .links_of_all(&actions)
            .links_of_all(&projects);
        for p in &parties {
            // The window names a party by its own id too (its role, its commitments).
            names.add(Kind::Party, p.id);
        }
        let names = names.resolve(&r)?;
        Ok(AgreementDetail {
            provenance: provenance::of(&r, id)?,
            attachments: lists::attachments_of(&r, id)?,
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
