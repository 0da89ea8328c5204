//! Floor 3: the records of the register (DESIGN.md's table) and their rules, English
//! names in code, Italian on screen. Every record is a plain struct; [`Kind`] describes
//! its table and its links once, so storage, deletion, the change log and search work
//! the same for all. Rules that need other records read them through `db::Reader`.

mod administration;
mod agreement;
mod attachment;
mod meeting;
mod person;
mod project;
mod scope;
mod table;
mod titles;

pub use administration::*;
pub use agreement::*;
pub use attachment::*;
pub use meeting::*;
pub use person::*;
pub use project::*;
pub use scope::Scope;
pub use table::*;
pub use titles::{find_other, title_of};

pub use crate::kind::{Kind, Link};

use crate::db::{Reader, TableRow};
use crate::error::{Result, Violations};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

/// One record of the register.
pub trait Record: Serialize + DeserializeOwned + Clone + std::fmt::Debug {
    const KIND: Kind;

    fn id(&self) -> Uuid;

    /// Trims text and normalises codes before anything is checked or stored.
    fn tidy(&mut self) {}

    /// Rules on this record alone: required fields, formats, dates that contradict.
    fn check(&self, v: &mut Violations);

    /// Rules that need other records: dates against the parent, uniqueness, counts.
    /// Links to missing records are checked by storage before this runs.
    fn check_in(&self, _r: &Reader, _v: &mut Violations) -> Result<()> {
        Ok(())
    }

    /// One line that names the record in a list.
    fn title(&self) -> String;

    /// What full-text search finds it by: a title and a body. `None` = not searched.
    fn search_text(&self) -> Option<(String, String)> {
        None
    }
}

/// The records `rec` links to, as its kind's [`Kind::links`] say: (kind, id) for each
/// link field that holds an id.
pub fn linked<T: Record>(rec: &T) -> Vec<(Kind, Uuid)> {
    let Ok(fields) = crate::db::rows::to_fields(rec) else { return Vec::new() };
    T::KIND.links().iter().filter_map(|l| Some((l.target, crate::db::rows::link_id(&fields, l.field)?))).collect()
}

impl<T: Record> TableRow for T {
    const ROW_KIND: Kind = <T as Record>::KIND;
}

/// An enum of the register with its Italian labels: `ALL` values, in the order a
/// form offers them, and `label()`, what a person reads (on screen and in documents).
macro_rules! labels {
    ($T:ident { $($v:ident => $l:expr),* $(,)? }) => {
        impl $T {
            pub const ALL: &'static [$T] = &[$($T::$v),*];

            pub fn label(self) -> &'static str {
                match self {
                    $($T::$v => $l,)*
                }
            }
        }
    };
}
pub(crate) use labels;

/// A short label of an enum value, as stored (`snake_case`).
pub fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}
