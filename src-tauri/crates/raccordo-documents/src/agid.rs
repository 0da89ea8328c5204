//! The metadata record written beside every PDF, in the shape of AGID's *Linee guida
//! sulla formazione, gestione e conservazione dei documenti informatici*, Allegato 5
//! ("I metadati", metadata of the *documento informatico*): the office files the PDF
//! in its own *protocollo informatico* with these fields already filled.
//!
//! Field names are the guidelines' own (Italian, CamelCase), so a records officer
//! recognises them; the registration fields stay empty because Raccordo does not
//! register: the office's protocol system does.

use base64::Engine as _;
use serde::Serialize;
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AgidRecord {
    pub id_doc: IdDoc,
    /// Always "d": generated automatically from the register's data (Allegato 5,
    /// ModalitaDiFormazione d: "generazione o raggruppamento anche in via automatica di
    /// un insieme di dati o registrazioni, provenienti da una o più banche dati").
    pub modalita_di_formazione: ModalitaDiFormazione,
    pub tipologia_documentale: String,
    pub dati_di_registrazione: DatiDiRegistrazione,
    pub soggetti: Vec<Soggetto>,
    pub chiave_descrittiva: ChiaveDescrittiva,
    pub allegati: Allegati,
    pub classificazione: Option<String>,
    pub riservato: bool,
    pub identificativo_del_formato: Formato,
    pub verifica: Verifica,
    /// The agreement's register number, the natural *fascicolo* of its documents.
    pub id_aggregazione: Option<String>,
    pub nome_del_documento: String,
    pub versione_del_documento: String,
    /// When the document was made, ISO 8601 in UTC.
    pub data_creazione: String,
    pub tempo_di_conservazione: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct IdDoc {
    pub identificativo: String,
    pub impronta_crittografica_del_documento: Impronta,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Impronta {
    /// The SHA-256 of the PDF, base64 as the guidelines ask.
    pub impronta: String,
    pub algoritmo: String,
    /// The same digest in hexadecimal, as `sha256sum` prints it.
    pub impronta_esadecimale: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ModalitaDiFormazione {
    pub codice: String,
    pub descrizione: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DatiDiRegistrazione {
    /// "U" (in uscita) for letters, "I" (interno) for reports and minutes.
    pub tipologia_di_flusso: String,
    /// "Nessuno" until the office registers the document in its own system.
    pub tipo_registro: String,
    pub data_registrazione: Option<String>,
    pub numero_documento: Option<String>,
    pub codice_registro: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Soggetto {
    /// Allegato 5's roles: "Autore", "Destinatario", "Produttore", "Altro"…
    pub ruolo: String,
    /// "PAI" (amministrazione pubblica italiana) or "PF" (persona fisica).
    pub tipo_soggetto: String,
    pub denominazione: String,
    pub codice_ipa: Option<String>,
    /// What the subject is in this document, e.g. "Presidente", "Parte: Promotore".
    pub qualifica: Option<String>,
}

impl Soggetto {
    /// A person ("PF") in a role, with what they are in this document.
    pub fn person(ruolo: &str, name: &str, qualifica: &str) -> Soggetto {
        Soggetto {
            ruolo: ruolo.into(),
            tipo_soggetto: "PF".into(),
            denominazione: name.replace(crate::italian::NBSP, " "),
            codice_ipa: None,
            qualifica: Some(qualifica.into()),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ChiaveDescrittiva {
    pub oggetto: String,
    pub parole_chiave: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Allegati {
    pub numero_allegati: u32,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Formato {
    pub formato: String,
    pub versione_formato: String,
    pub prodotto_software: ProdottoSoftware,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ProdottoSoftware {
    pub nome: String,
    pub versione: String,
    pub produttore: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Verifica {
    pub firmato_digitalmente: bool,
    pub sigillato_elettronicamente: bool,
    pub marcatura_temporale: bool,
    pub conformita_copie_immagine_su_supporto_informatico: bool,
}

/// What a document knows about itself before its bytes exist.
pub struct Describe {
    pub ident: String,
    pub document_type: String,
    pub flow: &'static str,
    pub subjects: Vec<Soggetto>,
    pub subject_line: String,
    pub keywords: Vec<String>,
    pub aggregation: Option<String>,
    pub file_name: String,
    pub created: chrono::DateTime<chrono::Utc>,
    pub note: Option<String>,
}

impl AgidRecord {
    pub fn new(d: Describe, pdf: &[u8]) -> AgidRecord {
        let digest = Sha256::digest(pdf);
        AgidRecord {
            id_doc: IdDoc {
                identificativo: d.ident,
                impronta_crittografica_del_documento: Impronta {
                    impronta: base64::engine::general_purpose::STANDARD.encode(digest),
                    algoritmo: "SHA-256".into(),
                    impronta_esadecimale: raccordo_register::audit::hex(&digest),
                },
            },
            modalita_di_formazione: ModalitaDiFormazione {
                codice: "d".into(),
                descrizione: "Generazione automatica a partire dai dati del registro Raccordo".into(),
            },
            tipologia_documentale: d.document_type,
            dati_di_registrazione: DatiDiRegistrazione {
                tipologia_di_flusso: d.flow.into(),
                tipo_registro: "Nessuno".into(),
                data_registrazione: None,
                numero_documento: None,
                codice_registro: None,
            },
            soggetti: d.subjects,
            chiave_descrittiva: ChiaveDescrittiva { oggetto: d.subject_line, parole_chiave: d.keywords },
            allegati: Allegati { numero_allegati: 0 },
            classificazione: None,
            riservato: false,
            identificativo_del_formato: Formato {
                formato: "application/pdf".into(),
                versione_formato: "PDF/A-2b, PDF/UA-1".into(),
                prodotto_software: ProdottoSoftware {
                    nome: "Raccordo".into(),
                    versione: env!("CARGO_PKG_VERSION").into(),
                    produttore: "Raccordo".into(),
                },
            },
            verifica: Verifica {
                firmato_digitalmente: false,
                sigillato_elettronicamente: false,
                marcatura_temporale: false,
                conformita_copie_immagine_su_supporto_informatico: false,
            },
            id_aggregazione: d.aggregation,
            nome_del_documento: d.file_name,
            versione_del_documento: "1".into(),
            data_creazione: d.created.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            tempo_di_conservazione: None,
            note: d.note,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("plain data") + "\n"
    }
}
