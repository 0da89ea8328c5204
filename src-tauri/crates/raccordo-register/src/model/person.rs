use super::{Kind, Record};
use crate::checks;
use crate::error::Violations;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Persona.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    pub id: Uuid,
    pub given_name: String,
    pub family_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

impl Person {
    pub fn new(given_name: &str, family_name: &str) -> Person {
        Person {
            id: crate::ids::new_id(),
            given_name: given_name.to_owned(),
            family_name: family_name.to_owned(),
            email: None,
            phone: None,
        }
    }

    pub fn full_name(&self) -> String {
        format!("{} {}", self.given_name, self.family_name)
    }
}

impl Record for Person {
    const KIND: Kind = Kind::Person;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.given_name);
        checks::tidy(&mut self.family_name);
        checks::tidy_code_lower(&mut self.email);
        checks::tidy_opt(&mut self.phone);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "given_name", "Nome", &self.given_name);
        checks::required_line(v, "family_name", "Cognome", &self.family_name);
        checks::email(v, "email", "E-mail istituzionale", &self.email);
        if let Some(p) = &self.phone {
            let ok = p.chars().all(|c| c.is_ascii_digit() || " +-/().".contains(c))
                && p.chars().filter(char::is_ascii_digit).count() >= 6;
            if !ok {
                v.add(
                    "phone",
                    crate::error::FieldCode::OutOfRange,
                    "Telefono: solo cifre, spazi e + - / ( ) (almeno 6 cifre).",
                );
            }
        }
    }

    fn title(&self) -> String {
        format!("{} {}", self.family_name, self.given_name)
    }

    fn search_text(&self) -> Option<(String, String)> {
        Some((self.full_name(), self.email.clone().unwrap_or_default()))
    }
}

/// Carica: an office a person holds in an administration, over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfficeHeld {
    pub id: Uuid,
    pub person_id: Uuid,
    pub administration_id: Uuid,
    /// "Prefetto", "Sindaco", "Assessore all'innovazione"…
    pub title: String,
    pub from_date: Option<NaiveDate>,
    pub to_date: Option<NaiveDate>,
}

impl OfficeHeld {
    /// Whether the office was held on `day` (unknown bounds are open).
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.from_date.is_none_or(|f| f <= day) && self.to_date.is_none_or(|t| day <= t)
    }
}

impl Record for OfficeHeld {
    const KIND: Kind = Kind::OfficeHeld;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.title);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "title", "Carica", &self.title);
        checks::date_order(v, "to_date", self.from_date, self.to_date, |f, t| {
            format!(
                "Fine della carica ({}) precedente all'inizio ({}).",
                checks::italian_date(t),
                checks::italian_date(f)
            )
        });
    }

    fn title(&self) -> String {
        self.title.clone()
    }
}
