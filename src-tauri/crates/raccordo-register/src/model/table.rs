use super::{Kind, Record, labels};
use crate::checks::{self, italian_date};
use crate::db::Reader;
use crate::error::{FieldCode, Result, Violations};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Tavolo tematico of an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ThematicTable {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub theme: String,
    pub coordinator_id: Option<Uuid>,
    pub opened_on: Option<NaiveDate>,
    pub closed_on: Option<NaiveDate>,
}

impl Record for ThematicTable {
    const KIND: Kind = Kind::ThematicTable;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.theme);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "theme", "Tema del tavolo", &self.theme);
        checks::date_order(v, "closed_on", self.opened_on, self.closed_on, |o, c| {
            format!("Chiusura ({}) precedente all'apertura ({}).", italian_date(c), italian_date(o))
        });
    }

    fn title(&self) -> String {
        self.theme.clone()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Coordinatore,
    Componente,
    Segreteria,
}

labels!(MemberRole {
    Coordinatore => "Coordinatore",
    Componente => "Componente",
    Segreteria => "Segreteria",
});

/// A member of a thematic table: a person, for an administration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TableMember {
    pub id: Uuid,
    pub table_id: Uuid,
    pub person_id: Uuid,
    pub administration_id: Uuid,
    pub role: MemberRole,
}

impl Record for TableMember {
    const KIND: Kind = Kind::TableMember;

    fn id(&self) -> Uuid {
        self.id
    }

    fn check(&self, _v: &mut Violations) {}

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        let dup: Option<Uuid> = r.query_one(
            "SELECT id FROM table_member WHERE table_id = ?1 AND person_id = ?2 AND id <> ?3",
            (self.table_id, self.person_id, self.id),
        )?;
        if dup.is_some() {
            v.add("person_id", FieldCode::Duplicate, "Persona: è già componente di questo tavolo.");
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.role.label().to_owned()
    }
}
