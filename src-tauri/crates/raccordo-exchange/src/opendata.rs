//! Open data for transparency: art. 23 of D.Lgs. 33/2013 asks each administration to
//! publish the agreements it signs with other administrations. The office's signed
//! agreements (those it is a party to, drafts left out) as CSV and JSON, with their
//! DCAT-AP_IT description (`dcat.jsonld`: title, publisher with its IPA code, licence
//! CC BY 4.0, modified date, the two distributions), ready for the open-data portal.
//!
//! No personal data goes out: the records of people are never read into the files,
//! and a person's name, e-mail or phone that a text of an agreement happens to hold
//! (a subject naming the official who signed) is written as «[omissis]».

use crate::csv::{self, Form};
use crate::table::{Cell, Table};
use chrono::NaiveDate;
use raccordo_register::{
    Administration, Agreement, AgreementStatus, Error, ErrorCode, FundingLine, Party, Person, Project, Reader, Result,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use uuid::Uuid;

/// The files written, in the folder given.
pub const FILES: [&str; 3] = ["accordi.csv", "accordi.json", "dcat.jsonld"];

const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";

/// What was published.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub files: Vec<PathBuf>,
    pub agreements: usize,
    /// Texts in which a person's name, e-mail or phone was found and left out.
    pub redacted: usize,
}

/// The words of people that never leave, lower case with single spaces: full names
/// both ways round, e-mails, phones.
fn personal(r: &Reader) -> Result<HashSet<String>> {
    let mut words = HashSet::new();
    for p in r.select::<Person>("SELECT * FROM person", [])? {
        let mut add = |w: String| {
            let w = tokens(&w).into_iter().map(|(_, _, t)| t).collect::<Vec<_>>().join(" ");
            if w.chars().count() >= 5 {
                words.insert(w);
            }
        };
        add(format!("{} {}", p.given_name, p.family_name));
        add(format!("{} {}", p.family_name, p.given_name));
        p.email.into_iter().for_each(&mut add);
        p.phone.into_iter().for_each(&mut add);
    }
    Ok(words)
}

/// The words of `text` with their byte spans, lower case: letters, digits and the
/// characters of e-mails and phones (`@ . + - _`) make a word; the rest separates.
fn tokens(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        let inside = c.is_alphanumeric() || "@.+-_'".contains(c);
        match (inside, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let word = text[s..i].trim_end_matches(['.', ',', '-', '\'']).to_lowercase();
                if !word.is_empty() {
                    out.push((s, s + text[s..i].trim_end_matches(['.', ',', '-', '\'']).len(), word));
                }
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// Up to four words in a row make a name ("Maria Grazia De Luca") or a phone
/// ("+39 0583 123 456").
const LONGEST: usize = 4;

/// `text` with every personal phrase replaced by «[omissis]»; and whether any was.
fn redact(text: &str, personal: &HashSet<String>) -> (String, bool) {
    let words = tokens(text);
    let mut out = String::new();
    let mut at = 0;
    let mut i = 0;
    let mut found = false;
    while i < words.len() {
        let hit = (1..=LONGEST.min(words.len() - i)).rev().find(|n| {
            let phrase: Vec<&str> = words[i..i + n].iter().map(|w| w.2.as_str()).collect();
            personal.contains(&phrase.join(" "))
        });
        match hit {
            Some(n) => {
                out.push_str(&text[at..words[i].0]);
                out.push_str("[omissis]");
                at = words[i + n - 1].1;
                i += n;
                found = true;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[at..]);
    (out, found)
}

/// Publishes the office's signed agreements in `dir` (made if missing).
pub fn publish(r: &Reader, office: Uuid, dir: &Path, today: NaiveDate) -> Result<Published> {
    let office_row = r.get::<Administration>(office)?.ok_or_else(|| Error::not_found("Ufficio"))?;
    let Some(publisher_id) = office_row.ipa_code.clone().or(office_row.fiscal_code.clone()) else {
        return Err(Error::bad_request(format!(
            "Open data: «{}» non ha né il codice IPA né il codice fiscale, che DCAT-AP_IT chiede per chi pubblica: \
             inseriscilo nella sua scheda (Enti). Nulla è stato scritto.",
            office_row.name
        )));
    };
    let names: HashMap<Uuid, Administration> =
        r.select::<Administration>("SELECT * FROM administration", [])?.into_iter().map(|a| (a.id, a)).collect();
    let personal = personal(r)?;
    let mut funding: HashMap<Uuid, i64> = HashMap::new();
    let projects: HashMap<Uuid, Uuid> = r
        .select::<Project>("SELECT * FROM project WHERE agreement_id IS NOT NULL", [])?
        .into_iter()
        .filter_map(|p| Some((p.id, p.agreement_id?)))
        .collect();
    for f in r.select::<FundingLine>("SELECT * FROM funding_line", [])? {
        if let Some(a) = projects.get(&f.project_id) {
            *funding.entry(*a).or_default() += f.amount_cents;
        }
    }
    let ours: Vec<Agreement> = r.select(
        "SELECT a.* FROM agreement a WHERE a.id IN (SELECT agreement_id FROM party WHERE administration_id = ?1)
         ORDER BY a.signed_on, a.number",
        [office],
    )?;
    let signed = |s: AgreementStatus| {
        matches!(
            s,
            AgreementStatus::Vigente | AgreementStatus::Scaduto | AgreementStatus::Rinnovato | AgreementStatus::Risolto
        )
    };
    let mut redacted = 0;
    let mut clean = |text: &str| {
        let (t, found) = redact(text, &personal);
        redacted += usize::from(found);
        t
    };
    let mut rows = Vec::new();
    let mut records = Vec::new();
    let mut modified: Option<String> = None;
    for a in ours.into_iter().filter(|a| signed(a.status)) {
        let parties: Vec<&Administration> =
            r.children::<Party>("agreement_id", a.id)?.iter().filter_map(|p| names.get(&p.administration_id)).collect();
        let party_names: Vec<String> = parties.iter().map(|p| p.name.clone()).collect();
        let codes: Vec<String> =
            parties.iter().map(|p| p.ipa_code.clone().or(p.fiscal_code.clone()).unwrap_or_default()).collect();
        let subject = clean(&a.subject);
        let terms = a.financial_terms.as_deref().map(&mut clean);
        let cents = funding.get(&a.id).copied().unwrap_or(0);
        let last: Option<String> = r.query_one("SELECT max(at) FROM journal WHERE record_id = ?1", [a.id])?;
        if last > modified {
            modified = last;
        }
        rows.push(vec![
            Cell::from(a.number.clone()),
            a.kind.label().into(),
            subject.clone().into(),
            party_names.join("; ").into(),
            codes.join("; ").into(),
            a.signed_on.into(),
            a.effective_from.into(),
            a.expires_on.into(),
            a.status.label().into(),
            terms.clone().into(),
            Cell::Cents(cents),
        ]);
        records.push(json!({
            "numero": a.number,
            "tipo": a.kind.label(),
            "oggetto": subject,
            "parti": parties.iter().map(|p| json!({
                "denominazione": p.name,
                "codice_ipa": p.ipa_code,
                "codice_fiscale": p.fiscal_code,
            })).collect::<Vec<Value>>(),
            "data_sottoscrizione": a.signed_on,
            "data_decorrenza": a.effective_from,
            "data_scadenza": a.expires_on,
            "stato": a.status.label(),
            "oneri_finanziari": terms,
            "finanziamento_progetti_euro": cents as f64 / 100.0,
        }));
    }
    let table = Table {
        name: "Accordi",
        heads: vec![
            "Numero",
            "Tipo",
            "Oggetto",
            "Parti",
            "Codici IPA o fiscali delle parti",
            "Data di sottoscrizione",
            "Data di decorrenza",
            "Data di scadenza",
            "Stato",
            "Oneri finanziari",
            "Finanziamento dei progetti (€)",
        ],
        rows,
    };
    std::fs::create_dir_all(dir).map_err(|e| storage(dir, e))?;
    let modified = modified.map(|m| m.chars().take(10).collect::<String>()).unwrap_or_else(|| today.to_string());
    let title = format!("Accordi stipulati con altre amministrazioni pubbliche — {}", office_row.name);
    let distribution = |file: &str, format: &str, media: &str, what: &str| {
        json!({
            "@id": format!("{publisher_id}:accordi-art-23:{file}"),
            "@type": ["dcat:Distribution", "dcatapit:Distribution"],
            "dct:title": format!("{title} ({what})"),
            "dcat:accessURL": { "@id": file },
            "dcat:downloadURL": { "@id": file },
            "dct:format": { "@id": format!("http://publications.europa.eu/resource/authority/file-type/{format}") },
            "dcat:mediaType": media,
            "dct:license": { "@id": LICENCE, "@type": ["dct:LicenseDocument", "dcatapit:LicenseDocument"], "foaf:name": "CC BY 4.0" },
        })
    };
    let agent = json!({
        "@type": ["foaf:Agent", "dcatapit:Agent"],
        "dct:identifier": publisher_id,
        "foaf:name": office_row.name,
    });
    let dcat = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "dcatapit": "http://dati.gov.it/onto/dcatapit#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": format!("{publisher_id}:accordi-art-23"),
        "@type": ["dcat:Dataset", "dcatapit:Dataset"],
        "dct:identifier": format!("{publisher_id}:accordi-art-23"),
        "dct:title": title,
        "dct:description": "Accordi stipulati dall'amministrazione con soggetti privati o con altre amministrazioni \
            pubbliche (art. 23, comma 1, lettera d, del D.Lgs. 33/2013): numero, oggetto, parti, date, stato, oneri. \
            Senza dati personali.",
        "dct:publisher": agent.clone(),
        "dct:rightsHolder": agent,
        "dct:modified": { "@value": modified, "@type": "xsd:date" },
        "dct:language": { "@id": "http://publications.europa.eu/resource/authority/language/ITA" },
        "dcat:theme": { "@id": "http://publications.europa.eu/resource/authority/data-theme/GOVE" },
        "dct:accrualPeriodicity": { "@id": "http://publications.europa.eu/resource/authority/frequency/IRREG" },
        "dcat:keyword": ["accordi", "protocolli d'intesa", "trasparenza", "D.Lgs. 33/2013"],
        "dcat:distribution": [
            distribution(FILES[0], "CSV", "text/csv", "CSV"),
            distribution(FILES[1], "JSON", "application/json", "JSON"),
        ],
    });
    let files: Vec<PathBuf> = FILES.iter().map(|f| dir.join(f)).collect();
    let write = |p: &Path, bytes: &[u8]| std::fs::write(p, bytes).map_err(|e| storage(p, e));
    write(&files[0], &csv::write(&table, Form::Italian))?;
    write(&files[1], serde_json::to_string_pretty(&json!({ "accordi": records }))?.as_bytes())?;
    write(&files[2], serde_json::to_string_pretty(&dcat)?.as_bytes())?;
    Ok(Published { files, agreements: table.rows.len(), redacted })
}

fn storage(p: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Storage, format!("Open data: {} non scritto ({e}).", p.display()))
}
