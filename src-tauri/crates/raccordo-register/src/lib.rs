//! Raccordo's register: the records of DESIGN.md, validated and stored in one SQLite
//! file, with the change log that sync builds on, the hash-chained audit history,
//! full-text search and the pre-loaded directory of administrations. No tauri, no
//! display: the desktop shell, the command line and the hub all call this crate.

// Amounts in cents are grouped as euros and cents: `250_000_00` is € 250.000,00.
#![allow(clippy::inconsistent_digit_grouping)]

pub mod audit;
pub mod changelog;
pub mod checks;
pub mod directory;
pub mod error;
pub mod hlc;
pub mod ids;
pub mod model;
pub mod provenance;
pub mod query;
pub mod search;
pub mod signing;
pub mod store;
pub mod verify;

pub use error::{Error, ErrorCode, FieldCode, FieldError, Result};
pub use model::*;
pub use store::{Batch, Reader, Register, Settings, Writer};
