//! The one list of record kinds. Every kind is declared once, in [`for_each_kind!`],
//! with its table, its Italian label and its plural; the enum [`Kind`], `Kind::ALL`,
//! `table`, `label`, `plural` and [`dispatch_kind!`] are generated from that list, so a
//! new kind is one line here plus its struct in `model` and its table in a migration.
//!
//! Floor 1 (see the crate's docs): no SQLite, no records. `dispatch_kind!` names the
//! record types of `model`, so only modules at the model's floor or above expand it.

use serde::{Deserialize, Serialize};

/// Calls `$m!` with the list of kinds, in the order of [`Kind::ALL`]: each as
/// `Type: "table", "Etichetta", "plurale";`, where `Type` is both the variant of
/// [`Kind`] and the record's struct. Other crates use it for one item per kind (the
/// window's `AnyRecord`) without a second list. Tokens after the macro's name are
/// passed before the list.
#[macro_export]
macro_rules! for_each_kind {
    ($m:ident $($before:tt)*) => {
        $m! {
            $($before)*
            Administration: "administration", "Ente", "enti";
            Person: "person", "Persona", "persone";
            OfficeHeld: "office_held", "Carica", "cariche";
            Agreement: "agreement", "Protocollo", "protocolli";
            Party: "party", "Parte", "parti di protocolli";
            Signature: "signature", "Firma", "firme";
            Commitment: "commitment", "Impegno", "impegni";
            ThematicTable: "thematic_table", "Tavolo tematico", "tavoli tematici";
            TableMember: "table_member", "Componente del tavolo", "componenti di tavoli";
            Meeting: "meeting", "Seduta", "sedute";
            AgendaItem: "agenda_item", "Punto all'ordine del giorno", "punti all'ordine del giorno";
            Attendance: "attendance", "Presenza", "presenze";
            Action: "action", "Azione", "azioni";
            Project: "project", "Progetto", "progetti";
            ProjectPartner: "project_partner", "Partner di progetto", "partner di progetti";
            FundingLine: "funding_line", "Linea di finanziamento", "linee di finanziamento";
            Milestone: "milestone", "Milestone", "milestone";
            Attachment: "attachment", "Allegato", "allegati";
        }
    };
}

/// Generates [`Kind`] and [`dispatch_kind!`] from the list. `$d` is a `$` passed in
/// from the invocation below, so that the generated macro can have metavariables of
/// its own.
macro_rules! declare_kinds {
    ($d:tt $($K:ident: $table:literal, $label:literal, $plural:literal;)*) => {
        /// Every kind of record, with its table.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "snake_case")]
        pub enum Kind {
            $($K,)*
        }

        impl Kind {
            pub const ALL: [Kind; [$(stringify!($K)),*].len()] = [$(Kind::$K),*];

            /// The SQLite table, also the name used in the change log.
            pub fn table(self) -> &'static str {
                match self {
                    $(Kind::$K => $table,)*
                }
            }

            /// What a person calls it, with its article where a sentence needs one.
            pub fn label(self) -> &'static str {
                match self {
                    $(Kind::$K => $label,)*
                }
            }

            /// Plural, for messages that count records.
            pub fn plural(self) -> &'static str {
                match self {
                    $(Kind::$K => $plural,)*
                }
            }
        }

        /// Runs `$body` with `$T` bound to the record type of a [`Kind`] known only at
        /// run time, with the trait `Record` in scope.
        #[macro_export]
        macro_rules! dispatch_kind {
            ($d kind:expr, $d T:ident => $d body:expr) => {{
                // The body calls the record's methods (`title`, `id`…).
                #[allow(unused_imports)]
                use $crate::model::Record as _;
                match $d kind {
                    $($crate::kind::Kind::$K => {
                        type $d T = $crate::model::$K;
                        $d body
                    })*
                }
            }};
        }
    };
}

for_each_kind!(declare_kinds $);

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
    /// Position in [`Kind::ALL`], for per-kind tables of prepared SQL.
    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_table(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == name)
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

    /// The keys the register keeps unique among the records of this kind, each as its
    /// fields: checked by the records' rules on every write of this site; records of
    /// two offices may still collide on one, which merging shows as a conflict.
    pub fn unique_keys(self) -> &'static [&'static [&'static str]] {
        match self {
            Kind::Agreement => &[&["number"]],
            Kind::Administration => &[&["fiscal_code"], &["ipa_code"]],
            Kind::Project => &[&["cup"]],
            Kind::Party => &[&["agreement_id", "administration_id"]],
            Kind::TableMember => &[&["table_id", "person_id"]],
            Kind::Attendance => &[&["meeting_id", "person_id"]],
            Kind::ProjectPartner => &[&["project_id", "administration_id"]],
            _ => &[],
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
