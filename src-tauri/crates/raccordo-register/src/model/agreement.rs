use super::{Kind, OfficeHeld, Record, labels};
use crate::checks::{self, italian_date};
use crate::db::{Fields, Reader};
use crate::error::{FieldCode, Result, Violations};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    ProtocolloIntesa,
    Accordo,
    Convenzione,
}

labels!(AgreementKind {
    ProtocolloIntesa => "Protocollo d'intesa",
    Accordo => "Accordo",
    Convenzione => "Convenzione",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AgreementStatus {
    Bozza,
    InFirma,
    Vigente,
    Scaduto,
    Rinnovato,
    Risolto,
}

labels!(AgreementStatus {
    Bozza => "Bozza",
    InFirma => "In firma",
    Vigente => "Vigente",
    Scaduto => "Scaduto",
    Rinnovato => "Rinnovato",
    Risolto => "Risolto",
});

impl AgreementStatus {
    /// Statuses that only a signed agreement can have.
    pub fn needs_signature(self) -> bool {
        !matches!(self, AgreementStatus::Bozza | AgreementStatus::InFirma)
    }
}

/// An edit may not claim what only a checked signed file proves: that the agreement
/// was signed in a file (`signed_file_sha256`), nor move it from a draft into force.
/// Both happen only through `signing::confirm_signed_file`, after the file's signatures
/// were checked. `old`: the stored fields (none on create, where an agreement signed on
/// paper long ago may be registered as in force, but never with a file it lacks).
pub(crate) fn guard_signed_fields(old: Option<&Fields>, new: &Fields, v: &mut Violations) {
    let field = |f: &Fields, name: &str| f.get(name).filter(|x| !x.is_null()).cloned();
    for (name, label) in [("signed_file_sha256", "File firmato"), ("signature_check", "Verifica delle firme")] {
        if field(new, name) != old.and_then(|o| field(o, name)) {
            v.add(
                name,
                FieldCode::NotAllowed,
                format!(
                    "{label}: si registra solo confermando un file firmato allegato al protocollo, dopo la verifica \
                     delle sue firme."
                ),
            );
        }
    }
    let status = |f: &Fields| {
        field(f, "status")
            .and_then(|s| serde_json::from_value::<AgreementStatus>(s).ok())
            .unwrap_or(AgreementStatus::Bozza)
    };
    if let Some(old) = old
        && !status(old).needs_signature()
        && status(new).needs_signature()
    {
        v.add(
            "status",
            FieldCode::NotAllowed,
            format!(
                "Stato: un protocollo in bozza o in firma diventa «{}» solo confermando il file firmato, \
                 dopo la verifica delle firme.",
                status(new).label().to_lowercase()
            ),
        );
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Renewal {
    None,
    Tacit,
    Express,
}

labels!(Renewal {
    None => "Nessun rinnovo",
    Tacit => "Rinnovo tacito",
    Express => "Rinnovo espresso",
});

/// Protocollo d'intesa, accordo or convenzione.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Agreement {
    pub id: Uuid,
    /// Register number, e.g. "2007/12". Unique in the register.
    pub number: String,
    pub kind: AgreementKind,
    /// Oggetto.
    pub subject: String,
    pub premises: Option<String>,
    /// Ordered objectives.
    pub objectives: Vec<String>,
    pub signature_place: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub effective_from: Option<NaiveDate>,
    pub duration_months: Option<u32>,
    pub expires_on: Option<NaiveDate>,
    pub renewal: Renewal,
    /// Who may adhere later, as the text says.
    pub open_to: Option<String>,
    pub financial_terms: Option<String>,
    pub status: AgreementStatus,
    /// SHA-256 of the signed file, once it is back.
    pub signed_file_sha256: Option<String>,
    pub themes: Vec<String>,
    /// How the signed file was found when it was confirmed, in Italian: its signers
    /// verified against the trusted list, or confirmed under the user's responsibility.
    #[serde(default)]
    pub signature_check: Option<String>,
    /// Who receives it through sync.
    #[serde(default)]
    pub scope: super::Scope,
}

impl Agreement {
    pub fn draft(number: &str, subject: &str) -> Agreement {
        Agreement {
            id: crate::ids::new_id(),
            number: number.to_owned(),
            kind: AgreementKind::ProtocolloIntesa,
            subject: subject.to_owned(),
            premises: None,
            objectives: Vec::new(),
            signature_place: None,
            signed_on: None,
            effective_from: None,
            duration_months: None,
            expires_on: None,
            renewal: Renewal::None,
            open_to: None,
            financial_terms: None,
            status: AgreementStatus::Bozza,
            signed_file_sha256: None,
            themes: Vec::new(),
            signature_check: None,
            scope: super::Scope::Parti,
        }
    }
}

impl Record for Agreement {
    const KIND: Kind = Kind::Agreement;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.number);
        checks::tidy(&mut self.subject);
        checks::tidy_opt(&mut self.premises);
        checks::tidy_opt(&mut self.signature_place);
        checks::tidy_opt(&mut self.open_to);
        checks::tidy_opt(&mut self.financial_terms);
        checks::tidy_code_lower(&mut self.signed_file_sha256);
        for list in [&mut self.objectives, &mut self.themes] {
            list.iter_mut().for_each(checks::tidy);
            list.retain(|s| !s.is_empty());
        }
    }

    fn check(&self, v: &mut Violations) {
        checks::required_line(v, "number", "Numero di repertorio", &self.number);
        checks::required(v, "subject", "Oggetto", &self.subject);
        checks::text(v, "subject", "Oggetto", Some(&self.subject));
        checks::text(v, "premises", "Premesse", self.premises.as_deref());
        checks::opt_line(v, "signature_place", "Luogo di sottoscrizione", &self.signature_place);
        checks::text(v, "open_to", "Adesioni successive", self.open_to.as_deref());
        checks::text(v, "financial_terms", "Aspetti finanziari", self.financial_terms.as_deref());
        checks::sha256_hex(v, "signed_file_sha256", &self.signed_file_sha256);
        for (i, o) in self.objectives.iter().enumerate() {
            if o.chars().count() > checks::MAX_TEXT {
                v.add("objectives", FieldCode::TooLong, format!("Obiettivo n. {}: testo troppo lungo.", i + 1));
            }
        }
        for t in &self.themes {
            checks::line(v, "themes", "Tema", t);
        }
        if let Some(m) = self.duration_months
            && (m == 0 || m > 1200)
        {
            v.add("duration_months", FieldCode::OutOfRange, "Durata: da 1 a 1200 mesi.");
        }
        checks::date_order(v, "expires_on", self.signed_on, self.expires_on, |s, e| {
            format!("Scadenza ({}) precedente alla sottoscrizione ({}).", italian_date(e), italian_date(s))
        });
        checks::date_order(v, "expires_on", self.effective_from, self.expires_on, |s, e| {
            format!("Scadenza ({}) precedente alla decorrenza ({}).", italian_date(e), italian_date(s))
        });
        if self.status.needs_signature() && self.signed_on.is_none() && !v.has("signed_on") {
            v.add(
                "signed_on",
                FieldCode::Required,
                format!(
                    "Data di sottoscrizione: obbligatoria per un protocollo «{}».",
                    self.status.label().to_lowercase()
                ),
            );
        }
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if let Some(_other) = super::find_other(r, Kind::Agreement, "number", &self.number, self.id)? {
            v.add(
                "number",
                FieldCode::Duplicate,
                format!("Numero di repertorio: il {} è già assegnato a un altro protocollo.", self.number),
            );
        }
        if let Some(signed) = self.signed_on {
            // An adhesion dated before the signature would now be contradicted.
            let early: Option<NaiveDate> = r.query_one(
                "SELECT min(adhered_on) FROM party WHERE agreement_id = ?1 AND adhered_on < ?2",
                (self.id, signed.to_string()),
            )?;
            if let Some(d) = early {
                v.add(
                    "signed_on",
                    FieldCode::DateOrder,
                    format!(
                        "Data di sottoscrizione: una parte risulta aderente dal {}, prima di questa data.",
                        italian_date(d)
                    ),
                );
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        format!("{} — {}", self.number, self.subject)
    }

    fn search_text(&self) -> Option<(String, String)> {
        let mut body = Vec::new();
        body.push(self.kind.label().to_owned());
        body.extend(self.premises.clone());
        body.extend(self.objectives.iter().cloned());
        body.extend(self.signature_place.clone());
        body.extend(self.open_to.clone());
        body.extend(self.financial_terms.clone());
        body.extend(self.themes.iter().cloned());
        Some((format!("{} {}", self.number, self.subject), body.join("\n")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PartyRole {
    Promotore,
    Capofila,
    Aderente,
}

labels!(PartyRole {
    Promotore => "Promotore",
    Capofila => "Capofila",
    Aderente => "Aderente",
});

/// Parte / adesione: an administration in an agreement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Party {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub administration_id: Uuid,
    pub role: PartyRole,
    pub adhered_on: Option<NaiveDate>,
    /// Approving act: kind ("Delibera di Giunta"), number and date.
    pub act_kind: Option<String>,
    pub act_number: Option<String>,
    pub act_date: Option<NaiveDate>,
    pub contact_person_id: Option<Uuid>,
}

impl Party {
    pub fn new(agreement_id: Uuid, administration_id: Uuid, role: PartyRole) -> Party {
        Party {
            id: crate::ids::new_id(),
            agreement_id,
            administration_id,
            role,
            adhered_on: None,
            act_kind: None,
            act_number: None,
            act_date: None,
            contact_person_id: None,
        }
    }
}

impl Record for Party {
    const KIND: Kind = Kind::Party;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy_opt(&mut self.act_kind);
        checks::tidy_opt(&mut self.act_number);
    }

    fn check(&self, v: &mut Violations) {
        checks::opt_line(v, "act_kind", "Atto di approvazione", &self.act_kind);
        checks::opt_line(v, "act_number", "Numero dell'atto", &self.act_number);
        checks::date_order(v, "adhered_on", self.act_date, self.adhered_on, |a, d| {
            format!("Data di adesione ({}) precedente all'atto che la approva ({}).", italian_date(d), italian_date(a))
        });
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        let signed: Option<NaiveDate> =
            r.query_one("SELECT signed_on FROM agreement WHERE id = ?1", [self.agreement_id])?;
        checks::date_order(v, "adhered_on", signed, self.adhered_on, |s, d| {
            format!(
                "Data di adesione ({}) precedente alla sottoscrizione del protocollo ({}).",
                italian_date(d),
                italian_date(s)
            )
        });
        let dup: Option<Uuid> = r.query_one(
            "SELECT id FROM party WHERE agreement_id = ?1 AND administration_id = ?2 AND id <> ?3",
            (self.agreement_id, self.administration_id, self.id),
        )?;
        if dup.is_some() {
            v.add("administration_id", FieldCode::Duplicate, "Ente: è già parte di questo protocollo.");
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.role.label().to_owned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SignatureCapacity {
    ProTempore,
    Delegation,
}

labels!(SignatureCapacity {
    ProTempore => "Pro tempore",
    Delegation => "Su delega",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum SignatureMethod {
    Autografa,
    Pades,
    Cades,
    Fea,
}

labels!(SignatureMethod {
    Autografa => "Firma autografa",
    Pades => "Firma digitale PAdES",
    Cades => "Firma digitale CAdES",
    Fea => "Firma elettronica avanzata",
});

/// Firma: who signed for which party, in which office held, when and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Signature {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub party_id: Uuid,
    pub person_id: Uuid,
    pub office_held_id: Option<Uuid>,
    pub capacity: SignatureCapacity,
    pub delegation_act: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub method: SignatureMethod,
}

impl Record for Signature {
    const KIND: Kind = Kind::Signature;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy_opt(&mut self.delegation_act);
    }

    fn check(&self, v: &mut Violations) {
        checks::opt_line(v, "delegation_act", "Atto di delega", &self.delegation_act);
        match (self.capacity, &self.delegation_act) {
            (SignatureCapacity::Delegation, None) => {
                v.add("delegation_act", FieldCode::Required, "Atto di delega: obbligatorio quando si firma per delega.")
            }
            (SignatureCapacity::ProTempore, Some(_)) => v.add(
                "delegation_act",
                FieldCode::NotAllowed,
                "Atto di delega: indicalo solo per una firma per delega.",
            ),
            _ => {}
        }
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        let party_agreement: Option<Uuid> =
            r.query_one("SELECT agreement_id FROM party WHERE id = ?1", [self.party_id])?;
        if party_agreement.is_some_and(|a| a != self.agreement_id) {
            v.add("party_id", FieldCode::LinkMismatch, "Parte: non appartiene a questo protocollo.");
        }
        if let Some(office_id) = self.office_held_id
            && let Some(office) = r.get::<OfficeHeld>(office_id)?
        {
            if office.person_id != self.person_id {
                v.add(
                    "office_held_id",
                    FieldCode::LinkMismatch,
                    "Carica: appartiene a un'altra persona, non a chi firma.",
                );
            }
            if let Some(day) = self.signed_on
                && !office.held_on(day)
            {
                v.add(
                    "office_held_id",
                    FieldCode::DateOrder,
                    format!("Carica: il {} la persona non ricopriva «{}».", italian_date(day), office.title),
                );
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.method.label().to_owned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WorkStatus {
    DaAvviare,
    InCorso,
    Completato,
    Annullato,
}

labels!(WorkStatus {
    DaAvviare => "Da avviare",
    InCorso => "In corso",
    Completato => "Completato",
    Annullato => "Annullato",
});

impl WorkStatus {
    pub fn is_open(self) -> bool {
        matches!(self, WorkStatus::DaAvviare | WorkStatus::InCorso)
    }
}

/// Impegno: what one party undertakes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Commitment {
    pub id: Uuid,
    pub agreement_id: Uuid,
    pub party_id: Option<Uuid>,
    pub description: String,
    pub due_on: Option<NaiveDate>,
    pub status: WorkStatus,
}

impl Record for Commitment {
    const KIND: Kind = Kind::Commitment;

    fn id(&self) -> Uuid {
        self.id
    }

    fn tidy(&mut self) {
        checks::tidy(&mut self.description);
    }

    fn check(&self, v: &mut Violations) {
        checks::required(v, "description", "Descrizione dell'impegno", &self.description);
        checks::text(v, "description", "Descrizione dell'impegno", Some(&self.description));
    }

    fn check_in(&self, r: &Reader, v: &mut Violations) -> Result<()> {
        if let Some(party) = self.party_id {
            let a: Option<Uuid> = r.query_one("SELECT agreement_id FROM party WHERE id = ?1", [party])?;
            if a.is_some_and(|a| a != self.agreement_id) {
                v.add("party_id", FieldCode::LinkMismatch, "Parte: non appartiene a questo protocollo.");
            }
        }
        Ok(())
    }

    fn title(&self) -> String {
        self.description.clone()
    }
}
