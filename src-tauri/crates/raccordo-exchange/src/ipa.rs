//! The directory completed from the Indice delle Pubbliche Amministrazioni (IPA): its
//! open-data list of bodies ("enti"), as published, in either of its formats: the
//! current one (`Codice_IPA`, `Denominazione_ente`, `Codice_fiscale_ente`, `Tipologia`,
//! `Codice_Categoria`, `Codice_comune_ISTAT`, `Mail1`…`Mail5` with `Tipo_Mail1`…,
//! `Sito_istituzionale`, `Data_aggiornamento`), as CSV or xlsx, and the older tab-separated
//! one (`cod_amm`, `des_amm`, `tipologia_istat`, `Cf`, `mail1`…, `tipo_mail1`…,
//! `sito_istituzionale`).
//!
//! A body already in the directory (by IPA code, by fiscal code, or, for a comune,
//! province, metropolitan city or region, by its kind and the ISTAT code of its seat)
//! is completed with what it lacks, never doubled; a value it has that the IPA gives
//! otherwise is reported and left as a person typed it, except on records that came
//! from the IPA, which follow it. A new body gets an id derived from its IPA code, so
//! two offices importing the list make the same record and sync finds nothing to
//! collide. Bodies typed by hand whose name is one of the IPA's are offered for
//! merging (`Register::combine`), not merged behind anyone's back. Every record the
//! list created or completed says in `source_note` which file, as of when, and when.

use crate::read::{Columns, Row, Sheet, parse_date};
use crate::table::Cell;
use chrono::NaiveDate;
use raccordo_register::directory::{comuni, fold};
use raccordo_register::error::Violations;
use raccordo_register::{Administration, AdministrationKind, Error, Record, Register, Result, Source, Writer};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// 2026-01-01T00:00:00Z: the time part of the ids of bodies created from the IPA.
const IPA_MS: u64 = 1_767_225_600_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IpaReport {
    /// Rows of the file read (bodies).
    pub rows: u32,
    pub created: u32,
    pub completed: u32,
    pub unchanged: u32,
    /// The newest `Data_aggiornamento` of the file, if it has them.
    pub updated_to: Option<NaiveDate>,
    /// Rows not imported, and values of a row left out, with why.
    pub skipped: Vec<IpaNote>,
    /// Values a record of the register has that the IPA gives otherwise: left as they are.
    pub differences: Vec<IpaDifference>,
    /// Bodies typed by hand that look like one of the IPA's: to merge, if a person agrees.
    pub duplicates: Vec<PossibleDuplicate>,
    pub written: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IpaNote {
    pub line: u32,
    pub ipa_code: String,
    pub name: String,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IpaDifference {
    pub administration_id: Uuid,
    pub name: String,
    pub field: String,
    pub ours: String,
    pub theirs: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PossibleDuplicate {
    pub typed_id: Uuid,
    pub typed_name: String,
    pub ipa_id: Uuid,
    pub ipa_name: String,
}

/// The columns read, by their heads in either format (folded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Code,
    Name,
    FiscalCode,
    Category,
    Kind,
    ComuneIstat,
    /// The older format names the comune and its province instead.
    ComuneName,
    Plate,
    Website,
    Updated,
    /// `Mail1`…`Mail5`, and the kind of each (`Tipo_Mail1`…: "Pec", "Altro").
    Mail(u8),
    MailKind(u8),
}

const COLUMNS: [(Column, &[&str]); 20] = [
    (Column::Code, &["Codice_IPA", "cod_amm"]),
    (Column::Name, &["Denominazione_ente", "des_amm"]),
    (Column::FiscalCode, &["Codice_fiscale_ente", "Cf"]),
    (Column::Category, &["Codice_Categoria"]),
    (Column::Kind, &["Tipologia", "tipologia_istat"]),
    (Column::ComuneIstat, &["Codice_comune_ISTAT"]),
    (Column::ComuneName, &["Comune"]),
    (Column::Plate, &["Provincia"]),
    (Column::Website, &["Sito_istituzionale"]),
    (Column::Updated, &["Data_aggiornamento"]),
    (Column::Mail(1), &["Mail1"]),
    (Column::Mail(2), &["Mail2"]),
    (Column::Mail(3), &["Mail3"]),
    (Column::Mail(4), &["Mail4"]),
    (Column::Mail(5), &["Mail5"]),
    (Column::MailKind(1), &["Tipo_Mail1"]),
    (Column::MailKind(2), &["Tipo_Mail2"]),
    (Column::MailKind(3), &["Tipo_Mail3"]),
    (Column::MailKind(4), &["Tipo_Mail4"]),
    (Column::MailKind(5), &["Tipo_Mail5"]),
];

struct Layout(Columns<Column>);

impl Layout {
    fn of(sheet: &Sheet) -> Result<Layout> {
        let columns = Columns::find(sheet, &COLUMNS);
        if !columns.has(Column::Code) || !columns.has(Column::Name) {
            return Err(Error::bad_request(
                "Il file non è l'elenco degli enti dell'Indice PA: mancano le colonne «Codice_IPA» e \
                 «Denominazione_ente» (o «cod_amm» e «des_amm» del formato precedente).",
            ));
        }
        Ok(Layout(columns))
    }

    /// A cell's text; the older format writes "null" in empty ones.
    fn text(&self, row: &Row, c: Column) -> Option<String> {
        self.0.text(row, c).filter(|s| !s.eq_ignore_ascii_case("null"))
    }

    /// The first address the row marks as PEC.
    fn pec(&self, row: &Row) -> Option<String> {
        (1..=5).find_map(|n| {
            let kind = self.text(row, Column::MailKind(n))?;
            fold(&kind).eq("pec").then(|| self.text(row, Column::Mail(n))).flatten()
        })
    }
}

/// The kind of body, from the IPA's category (current format) or its typology (older),
/// and its name: a category holds the bodies' consortia and associations too.
fn kind_of(category: Option<&str>, typology: Option<&str>, name: &str) -> AdministrationKind {
    let n = fold(name);
    let t = match category.map(str::trim) {
        Some("L6") => "comuni e loro".to_owned(),
        Some("L5") => "province e loro".to_owned(),
        Some("L45") => "citta metropolitane".to_owned(),
        Some("L4") => "regioni".to_owned(),
        _ => typology.map(fold).unwrap_or_default(),
    };
    if t.starts_with("comuni e loro") && n.starts_with("comune ") {
        AdministrationKind::Comune
    } else if (t.starts_with("province e loro") && n.starts_with("provincia"))
        || (t.starts_with("regioni") && n.contains("provincia autonoma"))
        || n.starts_with("libero consorzio comunale")
    {
        AdministrationKind::Provincia
    } else if t.starts_with("citta metropolitane") || n.starts_with("citta metropolitana") {
        AdministrationKind::CittaMetropolitana
    } else if t.starts_with("regioni") && n.starts_with("regione") {
        AdministrationKind::Regione
    } else if t.contains("comunita montane")
        || t.contains("unioni di comuni")
        || ["unione dei comuni", "unione di comuni", "unione comuni", "comunita montana"]
            .iter()
            .any(|p| n.starts_with(p))
    {
        AdministrationKind::UnioneComunita
    } else if n.starts_with("prefettura") {
        AdministrationKind::Prefettura
    } else {
        AdministrationKind::Altro
    }
}

/// What the list says of one body, as a record of the register would hold it.
struct Entry {
    line: u32,
    record: Administration,
    updated: Option<NaiveDate>,
}

/// The comuni of the ISTAT snapshot: their province and region by code, their code by
/// folded name and province.
struct Seats {
    by_code: HashMap<String, (String, String)>,
    by_name: HashMap<(String, String), String>,
}

impl Seats {
    fn new() -> Seats {
        let comuni = comuni();
        Seats {
            by_name: comuni.iter().map(|c| ((fold(&c.name), c.plate.clone()), c.code.clone())).collect(),
            by_code: comuni.into_iter().map(|c| (c.code, (c.plate, c.region))).collect(),
        }
    }
}

fn entry(layout: &Layout, row: &Row, seats: &Seats) -> Entry {
    let text = |c| layout.text(row, c);
    let name = text(Column::Name).unwrap_or_default();
    let kind = kind_of(text(Column::Category).as_deref(), text(Column::Kind).as_deref(), &name);
    let mut record = Administration::typed(&name, kind);
    record.source = Source::Ipa;
    record.ipa_code = text(Column::Code);
    record.fiscal_code = text(Column::FiscalCode);
    // A spreadsheet may have kept the ISTAT code as a number (46017 for 046017).
    record.seat_istat_code = text(Column::ComuneIstat)
        .map(|c| if c.len() < 6 && c.bytes().all(|b| b.is_ascii_digit()) { format!("{c:0>6}") } else { c });
    if record.seat_istat_code.is_none()
        && let (Some(comune), Some(plate)) = (text(Column::ComuneName), text(Column::Plate))
    {
        record.seat_istat_code = seats.by_name.get(&(fold(&comune), plate.trim().to_uppercase())).cloned();
    }
    if let Some((plate, region)) = record.seat_istat_code.as_ref().and_then(|c| seats.by_code.get(c)) {
        record.province = Some(plate.clone());
        record.region = Some(region.clone());
    }
    record.pec = layout.pec(row);
    record.website = text(Column::Website).map(|w| if w.contains("://") { w } else { format!("https://{w}") });
    let updated = match layout.0.cell(row, Column::Updated) {
        Cell::Date(d) => Some(*d),
        Cell::Text(s) => parse_date(s.get(..10).unwrap_or(s)),
        _ => None,
    };
    Entry { line: row.line, record, updated }
}

/// The fields the list fills, with their labels.
const FIELDS: [(&str, &str); 7] = [
    ("ipa_code", "Codice IPA"),
    ("fiscal_code", "Codice fiscale"),
    ("seat_istat_code", "Codice ISTAT della sede"),
    ("province", "Provincia"),
    ("region", "Regione"),
    ("pec", "PEC"),
    ("website", "Sito web"),
];

/// One of `FIELDS` of a record; `None` for any other.
fn field<'a>(a: &'a mut Administration, name: &str) -> Option<&'a mut Option<String>> {
    Some(match name {
        "ipa_code" => &mut a.ipa_code,
        "fiscal_code" => &mut a.fiscal_code,
        "seat_istat_code" => &mut a.seat_istat_code,
        "province" => &mut a.province,
        "region" => &mut a.region,
        "pec" => &mut a.pec,
        "website" => &mut a.website,
        _ => return None,
    })
}

/// Imports the IPA list `sheet` (read from `file_name`) into the directory of `reg`.
/// `dry_run`: report what would happen, write nothing.
pub fn ipa(reg: &mut Register, file_name: &str, sheet: &Sheet, dry_run: bool, today: NaiveDate) -> Result<IpaReport> {
    let layout = Layout::of(sheet)?;
    let seats = Seats::new();
    let all: Vec<Administration> = reg.reader().select("SELECT * FROM administration", [])?;
    let mut report = IpaReport {
        rows: sheet.rows.len() as u32,
        created: 0,
        completed: 0,
        unchanged: 0,
        updated_to: None,
        skipped: Vec::new(),
        differences: Vec::new(),
        duplicates: Vec::new(),
        written: false,
    };
    let entries: Vec<Entry> = sheet.rows.iter().map(|r| entry(&layout, r, &seats)).collect();
    report.updated_to = entries.iter().filter_map(|e| e.updated).max();
    let (report, written) = reg.write_or_discard(
        |w| {
            let mut index = Index::new(&all);
            let mut touched: Vec<Touched> = Vec::new();
            for e in entries {
                touched.extend(merge_entry(w, &mut index, e, file_name, today, &mut report)?);
            }
            report.duplicates = duplicates(&all, &touched);
            Ok(report)
        },
        |_| !dry_run,
    )?;
    Ok(IpaReport { written, ..report })
}

/// The register's administrations by IPA code, fiscal code and (kind, seat), kept up to
/// date as the list adds records, so a body twice in a file is not made twice.
struct Index {
    records: HashMap<Uuid, Administration>,
    by_key: HashMap<String, Uuid>,
}

impl Index {
    fn new(all: &[Administration]) -> Index {
        let mut index = Index { records: HashMap::new(), by_key: HashMap::new() };
        // ISTAT records last, so that for a kind and seat they are the ones found.
        let mut ordered: Vec<&Administration> = all.iter().collect();
        ordered.sort_by_key(|a| a.source == Source::Istat);
        for a in ordered {
            index.add(a.clone());
        }
        index
    }

    fn keys(a: &Administration) -> impl Iterator<Item = String> {
        let seat = a.seat_istat_code.as_ref().filter(|_| seated(a.kind)).map(|s| format!("seat:{:?}:{s}", a.kind));
        [a.ipa_code.as_ref().map(|c| format!("ipa:{c}")), a.fiscal_code.as_ref().map(|c| format!("cf:{c}")), seat]
            .into_iter()
            .flatten()
    }

    fn add(&mut self, a: Administration) {
        for key in Self::keys(&a) {
            self.by_key.insert(key, a.id);
        }
        self.records.insert(a.id, a);
    }

    /// The record that is this body: by IPA code, else fiscal code, else kind and seat.
    fn find(&self, e: &Administration) -> Option<&Administration> {
        Self::keys(e).find_map(|k| self.by_key.get(&k)).and_then(|id| self.records.get(id))
    }
}

/// A record the list created, completed or found as it is.
struct Touched {
    id: Uuid,
    name: String,
    kind: AdministrationKind,
    /// The name folded, and its telling words (`words`).
    folded: String,
    words: HashSet<String>,
}

impl Touched {
    fn of(a: &Administration) -> Touched {
        Touched { id: a.id, name: a.name.clone(), kind: a.kind, folded: fold(&a.name), words: words(&a.name) }
    }
}

/// Kinds one per seat: a comune, a province, a metropolitan city, a region.
fn seated(kind: AdministrationKind) -> bool {
    matches!(
        kind,
        AdministrationKind::Comune
            | AdministrationKind::Provincia
            | AdministrationKind::CittaMetropolitana
            | AdministrationKind::Regione
    )
}

/// One body of the list into the register: created, completed or left as it is.
/// Returns the record it touched.
fn merge_entry(
    w: &mut Writer,
    index: &mut Index,
    e: Entry,
    file_name: &str,
    today: NaiveDate,
    report: &mut IpaReport,
) -> Result<Option<Touched>> {
    let Entry { line, mut record, updated } = e;
    record.tidy();
    let (code, name) = (record_code(&record), record.name.clone());
    let note = |why: String| IpaNote { line, ipa_code: code.clone(), name: name.clone(), why };
    let mut v = Violations::default();
    record.check(&mut v);
    if v.0.iter().any(|f| f.field == "name") {
        report.skipped.push(note("Denominazione mancante: riga non importata.".into()));
        return Ok(None);
    }
    // A value the register's rules refuse is left out, the rest of the body kept (a
    // refusal of any other field comes back from the write below, with the row).
    for f in &v.0 {
        if let Some(value) = field(&mut record, &f.field).and_then(Option::take) {
            report.skipped.push(note(format!("{} «{value}» lasciato fuori: {}", label(&f.field), f.message)));
        }
    }
    if record.ipa_code.is_none() {
        report.skipped.push(note("Codice IPA mancante o non valido: riga non importata.".into()));
        return Ok(None);
    }
    let source = match updated {
        Some(d) => format!("file «{file_name}», voce aggiornata al {}", d.format("%d/%m/%Y")),
        None => format!("file «{file_name}»"),
    };
    let today = today.format("%d/%m/%Y");
    if let Some(found) = index.find(&record).cloned() {
        let mut next = found.clone();
        let mut filled = Vec::new();
        for (name, label) in FIELDS {
            let theirs = field(&mut record, name).and_then(|v| v.clone());
            let Some(ours) = field(&mut next, name) else { continue };
            match (ours.clone(), theirs) {
                (_, None) => {}
                (None, Some(t)) => {
                    *ours = Some(t);
                    filled.push(label);
                }
                (Some(o), Some(t)) if o == t => {}
                (Some(_), Some(t)) if found.source == Source::Ipa => {
                    *ours = Some(t);
                    filled.push(label);
                }
                (Some(o), Some(t)) => report.differences.push(IpaDifference {
                    administration_id: found.id,
                    name: found.name.clone(),
                    field: label.to_owned(),
                    ours: o,
                    theirs: t,
                }),
            }
        }
        if filled.is_empty() {
            report.unchanged += 1;
            return Ok(Some(Touched::of(&found)));
        }
        next.source_note = Some(if found.source == Source::Ipa {
            format!("Indice PA, {source}; importato il {today}.")
        } else {
            format!("Completato dall'Indice PA il {today} ({}): {source}.", filled.join(", ").to_lowercase())
        });
        match w.attempt(|w| w.update(next)) {
            Ok(a) => {
                report.completed += 1;
                index.add(a.clone());
                Ok(Some(Touched::of(&a)))
            }
            Err(err) => {
                report.skipped.push(note(format!("non completato: {}", err_text(&err))));
                Ok(None)
            }
        }
    } else {
        record.id = raccordo_register::ids::derived_id(IPA_MS, &format!("ipa:{code}"));
        if raccordo_register::changelog::is_tombstoned(w.reader().connection(), record.id)? {
            report
                .skipped
                .push(note("eliminato in precedenza in questo registro o da un ufficio partner: non ricreato.".into()));
            return Ok(None);
        }
        record.source_note = Some(format!("Indice PA, {source}; importato il {today}."));
        match w.attempt(|w| w.create(record.clone())) {
            Ok(a) => {
                report.created += 1;
                index.add(a.clone());
                Ok(Some(Touched::of(&a)))
            }
            Err(err) => {
                report.skipped.push(note(format!("non importato: {}", err_text(&err))));
                Ok(None)
            }
        }
    }
}

fn record_code(a: &Administration) -> String {
    a.ipa_code.clone().unwrap_or_default()
}

fn label(name: &str) -> &'static str {
    FIELDS.iter().find(|(n, _)| *n == name).map(|(_, l)| *l).unwrap_or("Valore")
}

fn err_text(e: &Error) -> String {
    if e.fields.is_empty() {
        e.message.clone()
    } else {
        e.fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// Bodies typed by hand whose name is that of a body the list touched, however
/// spelled, or nearly (of the same kind, sharing four words in five, articles and
/// prepositions aside): offered for merging.
fn duplicates(all: &[Administration], touched: &[Touched]) -> Vec<PossibleDuplicate> {
    let touched_ids: HashSet<Uuid> = touched.iter().map(|t| t.id).collect();
    let mut out = Vec::new();
    for typed in all.iter().filter(|a| a.source == Source::Typed && !touched_ids.contains(&a.id)) {
        let (name, mine) = (fold(&typed.name), words(&typed.name));
        let best = touched
            .iter()
            .map(|t| {
                let score = if t.folded == name {
                    1.0
                } else if t.kind == typed.kind {
                    mine.intersection(&t.words).count() as f64 / mine.union(&t.words).count().max(1) as f64
                } else {
                    0.0
                };
                (score, t)
            })
            .filter(|(score, _)| *score >= 0.8)
            .max_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((_, t)) = best {
            out.push(PossibleDuplicate {
                typed_id: typed.id,
                typed_name: typed.name.clone(),
                ipa_id: t.id,
                ipa_name: t.name.clone(),
            });
        }
    }
    out
}

/// The words of a name that tell it apart: folded, without articles and prepositions.
fn words(name: &str) -> HashSet<String> {
    const LITTLE: [&str; 16] =
        ["di", "del", "della", "dei", "degli", "delle", "dello", "e", "ed", "la", "il", "lo", "le", "i", "per", "l"];
    fold(name).split(' ').filter(|w| !w.is_empty() && !LITTLE.contains(w)).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_from_category_typology_and_name() {
        use AdministrationKind::*;
        assert_eq!(kind_of(Some("L6"), None, "Comune di Lucca"), Comune);
        assert_eq!(kind_of(Some("L6"), None, "Consorzio tra i comuni della Piana"), Altro);
        assert_eq!(kind_of(Some("L5"), None, "Provincia di Lucca"), Provincia);
        assert_eq!(kind_of(Some("L4"), None, "Regione Toscana"), Regione);
        assert_eq!(kind_of(Some("L4"), None, "Provincia Autonoma di Trento"), Provincia);
        assert_eq!(kind_of(Some("L45"), None, "Citta' Metropolitana di Firenze"), CittaMetropolitana);
        assert_eq!(
            kind_of(None, Some("Comunita' Montane e loro Consorzi e Associazioni"), "Comunita' Montana"),
            UnioneComunita
        );
        assert_eq!(kind_of(None, Some("Comuni e loro Consorzi e Associazioni"), "Comune di Barga"), Comune);
        assert_eq!(kind_of(Some("L8"), None, "Azienda USL Toscana nord ovest"), Altro);
    }
}
