//! One project with its partners, funding lines (and their totals by source) and
//! milestones.

use crate::names::{LinkedNames, NameMap};
use crate::records::IdArgs;
use crate::{Error, Result, Session};
use raccordo_register::lists;
use raccordo_register::model::*;
use serde::Serialize;
use std::collections::BTreeMap;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct ProjectDetail {
    pub project: Project,
    pub partners: Vec<ProjectPartner>,
    pub funding: Vec<FundingLine>,
    pub milestones: Vec<Milestone>,
    /// Sum of the funding lines, in euro cents.
    pub total_cents: i64,
    pub totals_by_source: Vec<SourceTotal>,
    pub attachments: Vec<Attachment>,
    pub names: NameMap,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct SourceTotal {
    pub source: FundingSource,
    pub cents: i64,
}

pub fn project_detail(s: &Session, args: IdArgs) -> Result<ProjectDetail> {
    s.with(|reg| {
        let r = reg.reader();
        let project: Project = r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::Project.label()))?;
        let partners: Vec<ProjectPartner> = r.children("project_id", args.id)?;
        let funding: Vec<FundingLine> = r.children("project_id", args.id)?;
        let milestones = lists::milestones(&r, args.id)?;
        let mut by_source: BTreeMap<String, (FundingSource, i64)> = BTreeMap::new();
        for f in &funding {
            by_source.entry(enum_str(&f.source)).or_insert((f.source, 0)).1 += f.amount_cents;
        }
        let mut names = LinkedNames::default();
        names.links_of(&project).links_of_all(&partners);
        Ok(ProjectDetail {
            total_cents: funding.iter().map(|f| f.amount_cents).sum(),
            totals_by_source: by_source.into_values().map(|(source, cents)| SourceTotal { source, cents }).collect(),
            attachments: lists::attachments_of(&r, args.id)?,
            names: names.resolve(&r)?,
            project,
            partners,
            funding,
            milestones,
        })
    })
}
