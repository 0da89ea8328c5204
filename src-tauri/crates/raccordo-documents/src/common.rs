//! What every document carries: the office's letterhead, the PDF's own metadata, and
//! the names of the records a document refers to.

use crate::italian;
use raccordo_register::{Administration, Attachment, Kind, OfficeHeld, Person, Reader, Register, Result};
use serde::Serialize;
use uuid::Uuid;

/// The office's letterhead, at the top of every page.
#[derive(Debug, Clone, Serialize)]
pub struct Letterhead {
    pub office: String,
    /// A second line: the office's IPA code and PEC, when known.
    pub detail: Option<String>,
    /// `/logo.png` or `/logo.jpg` when the office has a logo.
    pub logo: Option<String>,
}

/// The PDF's document information: title, author (the office), subject, keywords.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
    /// "24 novembre 2026", the day the document was made.
    pub made_on: String,
    /// Set when the record holds demo data, printed in the footer so nobody files it.
    pub demo_note: Option<String>,
}

/// The office this installation belongs to, as the documents name it.
pub struct Office {
    pub administration: Option<Administration>,
    pub letterhead: Letterhead,
    pub logo: Option<crate::engine::Logo>,
}

/// The name printed when no office is set in the settings.
pub const NO_OFFICE: &str = "Ufficio di coordinamento";

impl Office {
    pub fn of(reg: &Register) -> Result<Office> {
        let r = reg.reader();
        let administration = match reg.settings().office_id {
            Some(id) => r.get::<Administration>(id)?,
            None => None,
        };
        let logo = match &administration {
            Some(a) => logo_of(&r, a.id)?,
            None => None,
        };
        let detail = administration.as_ref().and_then(|a| {
            let parts: Vec<String> =
                [a.ipa_code.as_ref().map(|c| format!("Codice IPA {c}")), a.pec.as_ref().map(|p| format!("PEC {p}"))]
                    .into_iter()
                    .flatten()
                    .collect();
            (!parts.is_empty()).then(|| parts.join(" · "))
        });
        Ok(Office {
            letterhead: Letterhead {
                office: administration.as_ref().map(|a| a.name.clone()).unwrap_or_else(|| NO_OFFICE.into()),
                detail,
                logo: logo.as_ref().map(|l| format!("/{}", l.file_name)),
            },
            administration,
            logo,
        })
    }

    pub fn name(&self) -> &str {
        &self.letterhead.office
    }
}

/// The office's logo: an image attached to its administration record whose file name
/// or description says "logo" (PNG or JPEG).
fn logo_of(r: &Reader, administration: Uuid) -> Result<Option<crate::engine::Logo>> {
    let attachments: Vec<Attachment> =
        r.select("SELECT * FROM attachment WHERE owner_id = ?1 ORDER BY id DESC", [administration])?;
    let Some(a) = attachments.into_iter().find(|a| {
        let says_logo = a.file_name.to_lowercase().contains("logo")
            || a.description.as_deref().is_some_and(|d| d.to_lowercase().contains("logo"));
        says_logo && matches!(a.media_type.as_str(), "image/png" | "image/jpeg")
    }) else {
        return Ok(None);
    };
    Ok(r.blob(&a.sha256)?.map(|bytes| crate::engine::Logo {
        file_name: if a.media_type == "image/png" { "logo.png" } else { "logo.jpg" },
        bytes,
    }))
}

/// NameLookup of the records a document refers to, read as needed.
#[derive(Clone, Copy)]
pub struct NameLookup<'a> {
    pub r: Reader<'a>,
}

impl<'a> NameLookup<'a> {
    pub fn new(r: Reader<'a>) -> Self {
        NameLookup { r }
    }

    /// "Comune di Lucca", or "" when the link is empty or gone.
    pub fn administration(&self, id: impl Into<Option<Uuid>>) -> Result<String> {
        match id.into() {
            Some(id) => Ok(self.r.get::<Administration>(id)?.map(|a| a.name).unwrap_or_default()),
            None => Ok(String::new()),
        }
    }

    /// "Mario Rossi", kept on one line.
    pub fn person(&self, id: impl Into<Option<Uuid>>) -> Result<String> {
        match id.into() {
            Some(id) => Ok(self.r.get::<Person>(id)?.map(|p| italian::glue(&p.full_name())).unwrap_or_default()),
            None => Ok(String::new()),
        }
    }

    /// "Sindaco, Comune di Lucca".
    pub fn office_held(&self, id: impl Into<Option<Uuid>>) -> Result<String> {
        let Some(id) = id.into() else { return Ok(String::new()) };
        let Some(o) = self.r.get::<OfficeHeld>(id)? else { return Ok(String::new()) };
        let admin = self.administration(o.administration_id)?;
        Ok(if admin.is_empty() { o.title } else { format!("{}, {admin}", o.title) })
    }

    pub fn title(&self, kind: Kind, id: impl Into<Option<Uuid>>) -> Result<String> {
        match id.into() {
            Some(id) => Ok(raccordo_register::title_of(&self.r, kind, id)?.unwrap_or_default()),
            None => Ok(String::new()),
        }
    }
}

/// "Dato dimostrativo" for records the demo added, so a printed demo is never filed.
pub fn demo_note(r: &Reader, id: Uuid) -> Result<Option<String>> {
    use raccordo_register::provenance::{self, Origin};
    Ok(match provenance::of(r, id)? {
        Some(p) if p.origin == Origin::Demo => {
            Some("Documento di prova: contiene dati dimostrativi del registro demo.".into())
        }
        _ => None,
    })
}

/// What a document module hands to the engine: the template, the data it lays out, the
/// AGID description of the document, and the demo warning if its records are demo data.
pub struct Prepared {
    pub template: &'static str,
    pub doc: serde_json::Value,
    pub describe: crate::agid::Describe,
    pub demo_note: Option<String>,
}

/// "2007/12" → "2007-12": a file name without folders or odd characters.
pub fn file_safe(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}
