use super::{Kind, Record, enum_str, labels};
use crate::checks;
use crate::db::Reader;
use crate::error::{FieldCode, Result, Violations};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AdministrationKind {
    Prefettura,
    Regione,
    Provincia,
    CittaMetropolitana,
    Comune,
    /// Unione di comuni or Comunità montana.
    UnioneComunita,
    Altro,
}

labels!(AdministrationKind {
    Prefettura => "Prefettura",
    Regione => "Regione",
    Provincia => "Provincia",
    CittaMetropolitana => "Città metropolitana",
    Comune => "Comune",
    UnioneComunita => "Unione di comuni / Comunità montana",
    Altro => "Altro ente",
});

/// Where an administration's record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The ISTAT snapshot in `assets/directory/`.
    Istat,
    /// Copied from the IPA index.
    Ipa,
    /// Typed by a person.
    Typed,
}

labels!(Source {
    Istat => "Elenco ISTAT",
    Ipa => "Indice PA",
    Typed => "Inserito a mano",
});

/// Ente.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Administration {
    pub id: Uuid,
    pub name: String,
    pub kind: AdministrationKind,
    pub ipa_code: Option<String>,
    pub fiscal_code: Option<String>,
    /// ISTAT code of the comune where it has its seat.
    pub seat_istat_code: Option<String>,
    /// Vehicle-plate code of its province ("LU"), for filters.
    pub province: Option<String>,
    pub region: Option<String>,
    pub pec: Option<String>,
    pub website: Option<String>,
    pub source: Source,
    /// Where and when its data came from, in Italian, when it came from a file (the
    /// IPA list): "Indice PA, file «enti.csv» (voce aggiornata al …), importato il …".
    #[serde(default)]
    pub source_note: Option<String>,
}

impl Administration {
    pub fn typed(name: &str, kind: AdministrationKind) -> Administration {
        Administration {
            id: crate::ids::new_id(),
            name: name.to_owned(),
            kind,
            ipa_code: None,
            fiscal_code: None,
            seat_istat_code: None,
            province: None,
            region: None,
            pec: None,
            website: None,
            source: Source::Typed,
            source_note: None,
        }
    }
}

impl Record for Administration {
    const KIND: Kind = Kind::Administration;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.name);
        checks::tidy_code_lower(&mut self.ipa_code);
        checks::tidy_code_upper(&mut self.fiscal_code);
        checks::tidy_opt(&mut self.seat_istat_code);
        checks::tidy_code_upper(&mut self.province);
        checks::tidy_opt(&mut self.region);
        checks::tidy_code_lower(&mut self.pec);
        checks::tidy_opt(&mut self.website);
        checks::tidy_opt(&mut self.source_note);
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "name", "Denominazione", &self.name);
        checks::ipa_code(v, "ipa_code", &self.ipa_code);
        checks::fiscal_code(v, "fiscal_code", &self.fiscal_code);
        checks::istat_comune(v, "seat_istat_code", &self.seat_istat_code);
        if let Some(p) = &self.province
            && (p.len() != 2 || !p.bytes().all(|b| b.is_ascii_uppercase()))
        {
            v.add("province", FieldCode::OutOfRange, "Provincia: la sigla ha due lettere (es. LU).");
        }
        checks::opt_line(v, "region", "Regione", &self.region);
        checks::email(v, "pec", "PEC", &self.pec);
        checks::url(v, "website", "Sito web", &self.website);
        checks::text(v, "source_note", "Origine dei dati", self.source_note.as_deref());
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if let Some(code) = &self.fiscal_code
            && let Some(other) = super::find_other(r, Kind::Administration, "fiscal_code", code, self.id)?
        {
            v.add("fiscal_code", FieldCode::Duplicate, format!("Codice fiscale: è già usato da «{other}»."));
        }
        if let Some(code) = &self.ipa_code
            && let Some(other) = super::find_other(r, Kind::Administration, "ipa_code", code, self.id)?
        {
            v.add("ipa_code", FieldCode::Duplicate, format!("Codice IPA: è già usato da «{other}»."));
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.name.clone()
    }

    fn search_text(&self) -> Option<(String, String)> {
        let body = [
            self.kind.label().to_owned(),
            self.province.clone().unwrap_or_default(),
            self.region.clone().unwrap_or_default(),
            self.ipa_code.clone().unwrap_or_default(),
            self.fiscal_code.clone().unwrap_or_default(),
            self.seat_istat_code.clone().unwrap_or_default(),
            self.pec.clone().unwrap_or_default(),
            enum_str(&self.source),
        ]
        .join(" ");
        Some((self.name.clone(), body))
    }
}
