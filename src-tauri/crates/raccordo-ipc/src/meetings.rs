//! Thematic tables with their members and meetings; one meeting with its agenda,
//! attendance, minutes per item and actions.

use crate::agreements::attachments_of;
use crate::names::{LinkedNames, NameMap};
use crate::records::IdArgs;
use crate::{Error, Result, Session};
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
        let meetings: Vec<Meeting> =
            r.select("SELECT * FROM meeting WHERE table_id = ?1 ORDER BY date, number", [args.id])?;
        let projects: Vec<Project> = r.children("table_id", args.id)?;
        let mut names = LinkedNames::default();
        names.add(Kind::Agreement, table.agreement_id).add(Kind::Person, table.coordinator_id);
        for m in &members {
            names.add(Kind::Person, m.person_id).add(Kind::Administration, m.administration_id);
        }
        Ok(TableDetail { names: names.resolve(&r)?, table, members, meetings, projects })
    })
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingDetail {
    pub meeting: Meeting,
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
        let agenda: Vec<AgendaItem> =
            r.select("SELECT * FROM agenda_item WHERE meeting_id = ?1 ORDER BY position", [args.id])?;
        let attendance: Vec<Attendance> = r.children("meeting_id", args.id)?;
        let actions: Vec<Action> = r.children("meeting_id", args.id)?;
        let members: Vec<TableMember> = match meeting.table_id {
            Some(t) => r.children("table_id", t)?,
            None => Vec::new(),
        };
        let later_meetings: Vec<Meeting> = r.select(
            "SELECT * FROM meeting WHERE agreement_id = ?1 AND date > ?2 ORDER BY date, number",
            (meeting.agreement_id, meeting.date.to_string()),
        )?;
        let mut names = LinkedNames::default();
        names
            .add(Kind::Agreement, meeting.agreement_id)
            .add(Kind::ThematicTable, meeting.table_id)
            .add(Kind::Person, meeting.chair_id)
            .add(Kind::Person, meeting.secretary_id)
            .add(Kind::Person, meeting.convened_by_id)
            .add(Kind::Meeting, meeting.minutes_approved_at_id);
        for i in &agenda {
            names.add(Kind::Person, i.rapporteur_id);
        }
        for a in &attendance {
            names
                .add(Kind::Person, a.person_id)
                .add(Kind::Administration, a.administration_id)
                .add(Kind::Person, a.delegate_id);
        }
        for a in &actions {
            names.add(Kind::Person, a.owner_id);
        }
        for m in &members {
            names.add(Kind::Person, m.person_id).add(Kind::Administration, m.administration_id);
        }
        Ok(MeetingDetail {
            attachments: attachments_of(&r, args.id)?,
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
