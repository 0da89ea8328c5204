//! The register's data in and out of the programs offices already use: calendars
//! (`ics`, RFC 5545). Each export reads the register through a `Reader` and writes
//! text; nothing here changes the register.

pub mod ics;
