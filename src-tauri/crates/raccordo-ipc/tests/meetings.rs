//! Operations that write several records for one user action are one command and one
//! transaction.

use raccordo_ipc::meetings;
use raccordo_ipc::records::IdArgs;
use raccordo_ipc::session::{Places, Session};
use raccordo_register::{Attendance, Kind, Meeting, Presence, TableMember, audit};

#[test]
fn the_roll_call_lists_every_missing_member_as_present_in_one_write() {
    let dir = tempfile::tempdir().unwrap();
    let s = Session::start(Places { data_dir: dir.path().to_owned(), explicit: None, demo: true });
    let (meeting, members) = s
        .with(|reg| {
            let meetings: Vec<Meeting> = reg.reader().select("SELECT * FROM meeting WHERE table_id IS NOT NULL", [])?;
            let m = meetings.into_iter().next().expect("a demo meeting of a table");
            let members: Vec<TableMember> = reg.reader().children("table_id", m.table_id.unwrap())?;
            // Nobody listed yet: the roll call adds them all.
            for a in reg.reader().children::<Attendance>("meeting_id", m.id)? {
                reg.delete(Kind::Attendance, a.id)?;
            }
            Ok((m, members))
        })
        .unwrap();
    assert!(members.len() >= 2, "the table has members");
    let journal_before = s.with(|reg| Ok(audit::verify(reg.connection())?.entries)).unwrap();

    let added = meetings::roll_call(&s, IdArgs { id: meeting.id }).unwrap().added;
    assert_eq!(added as usize, members.len());
    s.with(|reg| {
        let listed: Vec<Attendance> = reg.reader().children("meeting_id", meeting.id)?;
        assert_eq!(listed.len(), members.len());
        assert!(listed.iter().all(|a| a.presence == Presence::Present && a.administration_id.is_some()));
        let entries = audit::verify(reg.connection())?.entries;
        assert_eq!(entries, journal_before + members.len() as u64);
        Ok(())
    })
    .unwrap();
    assert_eq!(meetings::roll_call(&s, IdArgs { id: meeting.id }).unwrap().added, 0, "a second call adds nobody");
    let e = meetings::roll_call(&s, IdArgs { id: uuid::Uuid::now_v7() }).unwrap_err();
    assert_eq!(e.message, "Seduta: non presente nel registro (forse è stato eliminato).");
}
