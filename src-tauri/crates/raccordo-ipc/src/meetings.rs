//! Thematic tables with their members and meetings; one meeting with its agenda,
//! attendance, minutes per item and actions.

use crate::names::{LinkedNames, NameMap};
use crate::records::IdArgs;
use crate::{Error, Result, Session};
use raccordo_register::lists;
use raccordo_register::model::*;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
pub struct TableDetail {
    pub table: ThematicTable,
    pub members: Vec<TableMember>,
    pub meetings: Vec<Meeting>,
    pub projects: Vec<Project>,
    pub names: NameMap,
}

pub fn table_detail(s: &Session, args: IdArgs) -> Result<TableDetail> {
    s.with(|reg| {
        let r = reg.reader();
        let table: ThematicTable = r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::ThematicTable.label()))?;
        let members: Vec<TableMember> = r.children("table_id", args.id)?;
        let meetings = lists::meetings_of_table(&r, args.id)?;
        let projects: Vec<Project> = r.children("table_id", args.id)?;
        let mut names = LinkedNames::default();
        names.links_of(&table).links_of_all(&members).links_of_all(&meetings).links_of_all(&projects);
        Ok(TableDetail { names: names.resolve(&r)?, table, members, meetings, projects })
    })
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    /// The number of the meeting's agreement ("2007/12"), as the breadcrumb shows it.
    pub agreement_number: String,
    pub agenda: Vec<AgendaItem>,
    pub attendance: Vec<Attendance>,
    pub actions: Vec<Action>,
    /// The table's members, offered first when taking attendance.
    pub members: Vec<TableMember>,
    /// Earlier meetings of the same agreement, where these minutes may be approved.
    pub later_meetings: Vec<Meeting>,
    pub attachments: Vec<Attachment>,
    pub names: NameMap,
}

pub fn meeting_detail(s: &Session, args: IdArgs) -> Result<MeetingDetail> {
    s.with(|reg| {
        let r = reg.reader();
        let meeting: Meeting = r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::Meeting.label()))?;
        let agenda = lists::agenda(&r, args.id)?;
        let attendance: Vec<Attendance> = r.children("meeting_id", args.id)?;
        let actions: Vec<Action> = r.children("meeting_id", args.id)?;
        let members: Vec<TableMember> = match meeting.table_id {
            Some(t) => r.children("table_id", t)?,
            None => Vec::new(),
        };
        let later_meetings = lists::meetings_after(&r, meeting.agreement_id, meeting.date)?;
        let mut names = LinkedNames::default();
        names
            .links_of(&meeting)
            .links_of_all(&agenda)
            .links_of_all(&attendance)
            .links_of_all(&actions)
            .links_of_all(&members);
        let agreement_number = r.require::<Agreement>(meeting.agreement_id)?.number;
        Ok(MeetingDetail {
            agreement_number,
            attachments: lists::attachments_of(&r, args.id)?,
            names: names.resolve(&r)?,
            meeting,
            agenda,
            attendance,
            actions,
            members,
            later_meetings,
        })
    })
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct RollCall {
    /// Members of the table newly listed as present.
    pub added: u32,
}

/// The roll call of a meeting: every member of its table not yet in the attendance
/// list is added as present (the secretary then marks the absent), in one
/// transaction: all of them, or none.
pub fn roll_call(s: &Session, args: IdArgs) -> Result<RollCall> {
    s.with(|reg| {
        reg.write(|w| {
            let r = w.reader();
            let meeting: Meeting = r.get(args.id)?.ok_or_else(|| Error::not_found(Kind::Meeting.label()))?;
            let members: Vec<TableMember> = match meeting.table_id {
                Some(t) => r.children("table_id", t)?,
                None => Vec::new(),
            };
            let listed: Vec<Attendance> = r.children("meeting_id", meeting.id)?;
            let mut added = 0;
            for m in members.iter().filter(|m| !listed.iter().any(|a| a.person_id == m.person_id)) {
                let mut a = Attendance::new(meeting.id, m.person_id, Presence::Present);
                a.administration_id = Some(m.administration_id);
                w.create(a)?;
                added += 1;
            }
            Ok(RollCall { added })
        })
    })
}
