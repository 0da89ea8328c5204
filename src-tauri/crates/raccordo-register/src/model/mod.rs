//! The records of the register (DESIGN.md's table): English names in code, Italian on
//! screen. Every record is a plain struct; [`Kind`] describes its table and its links
//! once, so storage, deletion, the change log and search work the same for all.

mod administration;
mod agreement;
mod attachment;
mod meeting;
mod person;
mod project;
mod table;

pub use administration::*;
pub use agreement::*;
pub use attachment::*;
pub use meeting::*;
pub use person::*;
pub use project::*;
pub use table::*;

use crate::error::{Result, Violations};
use crate::store::Reader;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use uuid::Uuid;

/// Every kind of record, with its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Administration,
    Person,
    OfficeHeld,
    Agreement,
    Party,
    Signature,
    Commitment,
    ThematicTable,
    TableMember,
    Meeting,
    AgendaItem,
    Attendance,
    Action,
    Project,
    ProjectPartner,
    FundingLine,
    Milestone,
    Attachment,
}

/// A field of one record that holds the id of another.
#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub field: &'static str,
    pub target: Kind,
    /// The record belongs to its target (a party to its agreement): deleting the
    /// target deletes it too. Otherwise the link is a reference and blocks the delete.
    pub owned: bool,
}

/// A `'static` slice of links built by the const helpers below.
macro_rules! links {
    ($($l:expr),* $(,)?) => {{
        const L: &[Link] = &[$($l),*];
        L
    }};
}

const fn own(field: &'static str, target: Kind) -> Link {
    Link { field, target, owned: true }
}
const fn refer(field: &'static str, target: Kind) -> Link {
    Link { field, target, owned: false }
}

impl Kind {
    pub const ALL: [Kind; 18] = [
        Kind::Administration,
        Kind::Person,
        Kind::OfficeHeld,
        Kind::Agreement,
        Kind::Party,
        Kind::Signature,
        Kind::Commitment,
        Kind::ThematicTable,
        Kind::TableMember,
        Kind::Meeting,
        Kind::AgendaItem,
        Kind::Attendance,
        Kind::Action,
        Kind::Project,
        Kind::ProjectPartner,
        Kind::FundingLine,
        Kind::Milestone,
        Kind::Attachment,
    ];

    /// The SQLite table, also the name used in the change log.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Administration => "administration",
            Kind::Person => "person",
            Kind::OfficeHeld => "office_held",
            Kind::Agreement => "agreement",
            Kind::Party => "party",
            Kind::Signature => "signature",
            Kind::Commitment => "commitment",
            Kind::ThematicTable => "thematic_table",
            Kind::TableMember => "table_member",
            Kind::Meeting => "meeting",
            Kind::AgendaItem => "agenda_item",
            Kind::Attendance => "attendance",
            Kind::Action => "action",
            Kind::Project => "project",
            Kind::ProjectPartner => "project_partner",
            Kind::FundingLine => "funding_line",
            Kind::Milestone => "milestone",
            Kind::Attachment => "attachment",
        }
    }

    /// Position in [`Kind::ALL`], for per-kind tables of prepared SQL.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_table(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == name)
    }

    /// What a person calls it, with its article where a sentence needs one.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Administration => "Ente",
            Kind::Person => "Persona",
            Kind::OfficeHeld => "Carica",
            Kind::Agreement => "Protocollo",
            Kind::Party => "Parte",
            Kind::Signature => "Firma",
            Kind::Commitment => "Impegno",
            Kind::ThematicTable => "Tavolo tematico",
            Kind::TableMember => "Componente del tavolo",
            Kind::Meeting => "Seduta",
            Kind::AgendaItem => "Punto all'ordine del giorno",
            Kind::Attendance => "Presenza",
            Kind::Action => "Azione",
            Kind::Project => "Progetto",
            Kind::ProjectPartner => "Partner di progetto",
            Kind::FundingLine => "Linea di finanziamento",
            Kind::Milestone => "Milestone",
            Kind::Attachment => "Allegato",
        }
    }

    /// Plural, for messages that count records.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Administration => "enti",
            Kind::Person => "persone",
            Kind::OfficeHeld => "cariche",
            Kind::Agreement => "protocolli",
            Kind::Party => "parti di protocolli",
            Kind::Signature => "firme",
            Kind::Commitment => "impegni",
            Kind::ThematicTable => "tavoli tematici",
            Kind::TableMember => "componenti di tavoli",
            Kind::Meeting => "sedute",
            Kind::AgendaItem => "punti all'ordine del giorno",
            Kind::Attendance => "presenze",
            Kind::Action => "azioni",
            Kind::Project => "progetti",
            Kind::ProjectPartner => "partner di progetti",
            Kind::FundingLine => "linee di finanziamento",
            Kind::Milestone => "milestone",
            Kind::Attachment => "allegati",
        }
    }

    /// The fields that hold ids of other records. Attachments point at any record
    /// (`owner_kind` + `owner_id`), which storage handles on its own.
    pub fn links(self) -> &'static [Link] {
        use Kind::*;
        match self {
            Administration | Person | Attachment => links![],
            OfficeHeld => links![own("person_id", Person), refer("administration_id", Administration)],
            Agreement => links![],
            Party => links![
                own("agreement_id", Agreement),
                refer("administration_id", Administration),
                refer("contact_person_id", Person),
            ],
            Signature => links![
                own("agreement_id", Agreement),
                own("party_id", Party),
                refer("person_id", Person),
                refer("office_held_id", OfficeHeld),
            ],
            Commitment => links![own("agreement_id", Agreement), own("party_id", Party)],
            ThematicTable => links![own("agreement_id", Agreement), refer("coordinator_id", Person)],
            TableMember => links![
                own("table_id", ThematicTable),
                refer("person_id", Person),
                refer("administration_id", Administration),
            ],
            Meeting => links![
                own("agreement_id", Agreement),
                own("table_id", ThematicTable),
                refer("convened_by_id", Person),
                refer("chair_id", Person),
                refer("secretary_id", Person),
                refer("minutes_approved_at_id", Meeting),
            ],
            AgendaItem => links![own("meeting_id", Meeting), refer("rapporteur_id", Person)],
            Attendance => links![
                own("meeting_id", Meeting),
                refer("person_id", Person),
                refer("administration_id", Administration),
                refer("delegate_id", Person),
            ],
            Action => links![own("meeting_id", Meeting), own("agreement_id", Agreement), refer("owner_id", Person),],
            Project => links![
                refer("lead_administration_id", Administration),
                refer("agreement_id", Agreement),
                refer("table_id", ThematicTable),
            ],
            ProjectPartner => links![own("project_id", Project), refer("administration_id", Administration)],
            FundingLine => links![own("project_id", Project)],
            Milestone => links![own("project_id", Project)],
        }
    }

    /// Fields stored as JSON text (lists).
    pub fn json_fields(self) -> &'static [&'static str] {
        match self {
            Kind::Agreement => &["objectives", "themes"],
            _ => &[],
        }
    }
}

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

/// Calls `$m!` with every record type, in [`Kind::ALL`]'s order: for code in other
/// crates that needs one item per kind (the window's `AnyRecord`), without a second list.
#[macro_export]
macro_rules! for_each_kind {
    ($m:ident) => {
        $m!(
            Administration,
            Person,
            OfficeHeld,
            Agreement,
            Party,
            Signature,
            Commitment,
            ThematicTable,
            TableMember,
            Meeting,
            AgendaItem,
            Attendance,
            Action,
            Project,
            ProjectPartner,
            FundingLine,
            Milestone,
            Attachment
        );
    };
}

/// Runs `$body` with `$T` bound to the record type of a [`Kind`] known only at run time.
#[macro_export]
macro_rules! dispatch_kind {
    ($kind:expr, $T:ident => $body:expr) => {{
        use $crate::model::*;
        match $kind {
            Kind::Administration => {
                type $T = Administration;
                $body
            }
            Kind::Person => {
                type $T = Person;
                $body
            }
            Kind::OfficeHeld => {
                type $T = OfficeHeld;
                $body
            }
            Kind::Agreement => {
                type $T = Agreement;
                $body
            }
            Kind::Party => {
                type $T = Party;
                $body
            }
            Kind::Signature => {
                type $T = Signature;
                $body
            }
            Kind::Commitment => {
                type $T = Commitment;
                $body
            }
            Kind::ThematicTable => {
                type $T = ThematicTable;
                $body
            }
            Kind::TableMember => {
                type $T = TableMember;
                $body
            }
            Kind::Meeting => {
                type $T = Meeting;
                $body
            }
            Kind::AgendaItem => {
                type $T = AgendaItem;
                $body
            }
            Kind::Attendance => {
                type $T = Attendance;
                $body
            }
            Kind::Action => {
                type $T = Action;
                $body
            }
            Kind::Project => {
                type $T = Project;
                $body
            }
            Kind::ProjectPartner => {
                type $T = ProjectPartner;
                $body
            }
            Kind::FundingLine => {
                type $T = FundingLine;
                $body
            }
            Kind::Milestone => {
                type $T = Milestone;
                $body
            }
            Kind::Attachment => {
                type $T = Attachment;
                $body
            }
        }
    }};
}
