use super::{Kind, Record, labels};
use crate::checks::{self, italian_date};
use crate::db::Reader;
use crate::error::{FieldCode, Result, Violations};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ProjectStatus {
    Proposto,
    Approvato,
    InCorso,
    Sospeso,
    Concluso,
    Annullato,
}

labels!(ProjectStatus {
    Proposto => "Proposto",
    Approvato => "Approvato",
    InCorso => "In corso",
    Sospeso => "Sospeso",
    Concluso => "Concluso",
    Annullato => "Annullato",
});

/// Progetto of e-government born from an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Project {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub cup: Option<String>,
    pub cig: Option<String>,
    pub lead_administration_id: Option<Uuid>,
    pub agreement_id: Option<Uuid>,
    pub table_id: Option<Uuid>,
    pub status: ProjectStatus,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    /// Progress, 0 to 100.
    pub progress_percent: u8,
    /// Who receives it through sync when it belongs to no agreement (otherwise the
    /// agreement's scope holds).
    #[serde(default)]
    pub scope: super::Scope,
}

impl Project {
    pub fn new(title: &str) -> Project {
        Project {
            id: crate::ids::new_id(),
            title: title.to_owned(),
            description: None,
            cup: None,
            cig: None,
            lead_administration_id: None,
            agreement_id: None,
            table_id: None,
            status: ProjectStatus::Proposto,
            starts_on: None,
            ends_on: None,
            progress_percent: 0,
            scope: super::Scope::Parti,
        }
    }
}

impl Record for Project {
    const KIND: Kind = Kind::Project;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.title);
        checks::tidy_opt(&mut self.description);
        checks::tidy_code_upper(&mut self.cup);
        checks::tidy_code_upper(&mut self.cig);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "title", "Titolo del progetto", &self.title);
        checks::text(v, "description", "Descrizione", self.description.as_deref());
        checks::cup(v, "cup", &self.cup);
        checks::cig(v, "cig", &self.cig);
        if self.progress_percent > 100 {
            v.add("progress_percent", FieldCode::OutOfRange, "Avanzamento: da 0 a 100 per cento.");
        }
        checks::date_order(v, "ends_on", self.starts_on, self.ends_on, |s, e| {
            format!("Fine del progetto ({}) precedente all'avvio ({}).", italian_date(e), italian_date(s))
        });
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if let (Some(table), Some(agreement)) = (self.table_id, self.agreement_id) {
            let a: Option<Uuid> = r.query_one("SELECT agreement_id FROM thematic_table WHERE id = ?1", [table])?;
            if a.is_some_and(|a| a != agreement) {
                v.add("table_id", FieldCode::LinkMismatch, "Tavolo: appartiene a un altro protocollo.");
            }
        }
        if let Some(cup) = &self.cup
            && super::find_other(r, Kind::Project, "cup", cup, self.id)?.is_some()
        {
            v.add("cup", FieldCode::Duplicate, format!("CUP: {cup} è già assegnato a un altro progetto."));
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.title.clone()
    }

    fn search_text(&self) -> Option<(String, String)> {
        let body = [
            self.description.clone().unwrap_or_default(),
            self.cup.clone().unwrap_or_default(),
            self.cig.clone().unwrap_or_default(),
            self.status.label().to_owned(),
        ];
        Some((self.title.clone(), body.join("\n")))
    }
}

/// A partner administration of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProjectPartner {
    pub id: Uuid,
    pub project_id: Uuid,
    pub administration_id: Uuid,
    pub role: Option<String>,
}

impl Record for ProjectPartner {
    const KIND: Kind = Kind::ProjectPartner;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy_opt(&mut self.role);
    }

    fn check(&self, v: &mut Violations) {
        checks::opt_line(v, "role", "Ruolo", &self.role);
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        let dup: Option<Uuid> = r.query_one(
            "SELECT id FROM project_partner WHERE project_id = ?1 AND administration_id = ?2 AND id <> ?3",
            (self.project_id, self.administration_id, self.id),
        )?;
        if dup.is_some() {
            v.add("administration_id", FieldCode::Duplicate, "Ente: è già partner di questo progetto.");
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.role.clone().unwrap_or_else(|| "partner".into())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FundingSource {
    Pnrr,
    Fesr,
    Fse,
    Fsc,
    Statale,
    Regionale,
    FondiPropri,
    Altro,
}

labels!(FundingSource {
    Pnrr => "PNRR",
    Fesr => "FESR",
    Fse => "FSE+",
    Fsc => "FSC",
    Statale => "Fondi statali",
    Regionale => "Fondi regionali",
    FondiPropri => "Fondi propri",
    Altro => "Altro",
});

/// A funding line of a project. Amounts in euro cents: never a float for money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FundingLine {
    pub id: Uuid,
    pub project_id: Uuid,
    pub source: FundingSource,
    /// Mission/component/investment for PNRR ("M1C1 Inv. 1.4"), axis or action otherwise.
    pub measure: Option<String>,
    pub amount_cents: i64,
    /// The act that grants it ("Decreto n. 12/2023").
    pub act: Option<String>,
}

impl Record for FundingLine {
    const KIND: Kind = Kind::FundingLine;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy_opt(&mut self.measure);
        checks::tidy_opt(&mut self.act);
    }

    fn check(&self, v: &mut Violations) {
        checks::opt_line(v, "measure", "Misura", &self.measure);
        checks::opt_line(v, "act", "Atto di finanziamento", &self.act);
        if self.amount_cents <= 0 {
            v.add("amount_cents", FieldCode::OutOfRange, "Importo: deve essere maggiore di zero.");
        }
        if self.amount_cents > 100_000_000_000_00 {
            v.add("amount_cents", FieldCode::OutOfRange, "Importo: oltre 100 miliardi di euro, controlla le cifre.");
        }
    }

    fn title(&self) -> String {
        format!("{} {}", self.source.label(), self.measure.as_deref().unwrap_or_default())
    }
}

/// Milestone of a project: planned and actual date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Milestone {
    pub id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub planned_on: Option<NaiveDate>,
    pub actual_on: Option<NaiveDate>,
}

impl Record for Milestone {
    const KIND: Kind = Kind::Milestone;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.title);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "title", "Titolo della milestone", &self.title);
    }

    fn title(&self) -> String {
        self.title.clone()
    }
}
