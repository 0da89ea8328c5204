//! The register's data in and out of the programs offices already use: calendars
//! (`ics`, RFC 5545) and spreadsheets (`table` the lists as typed tables, written by
//! `csv` for Italian Excel and LibreOffice and by `xlsx`); the reminders of the day
//! (`reminders`: expiries at 90, 30, 7 days, commitments and actions falling due);
//! the transparency open data with their DCAT-AP_IT record (`opendata`). Each export reads the
//! register through a `Reader`; nothing here changes the register.

pub mod csv;
pub mod ics;
pub mod import;
pub mod ipa;
pub mod opendata;
pub mod read;
pub mod reminders;
pub mod table;
pub mod xlsx;
