//! Agreements from the spreadsheet an office kept until now: one row an agreement, its
//! parties named by name, fiscal code or IPA code and found in the directory. Every
//! row goes through the register's own writes (every rule a form checks), each as one
//! step of a single transaction, so the report says exactly what each row became or
//! why not; the transaction is kept only when the file may land: not on a dry run,
//! and, when any row was refused, only if the user asked for the good rows alone.

use crate::read::{Columns, Row, Sheet, cell_text, parse_date};
use crate::table::Cell;
use chrono::NaiveDate;
use raccordo_register::directory::{Matcher, fold};
use raccordo_register::{
    Administration, Agreement, AgreementKind, AgreementStatus, Error, Party, PartyRole, Register, Renewal, Result,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What to do with the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Check every row, write nothing.
    DryRun,
    /// Import the file if every row is good, otherwise nothing.
    Whole,
    /// Import the good rows, leave the refused ones out.
    GoodRows,
}

/// What became of one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// In the register now.
    Imported,
    /// Passed every check; not written (a dry run, or other rows were refused).
    Good,
    /// Not imported: `problems` and `missing_parties` say why.
    Refused,
}

/// A party the row names that the directory does not have, or has more than once.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MissingParty {
    pub named: String,
    /// Why it matched none, or which ones it matched, in Italian.
    pub why: String,
    /// The directory's closest names, closest first.
    pub closest: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RowReport {
    /// The row as the spreadsheet numbers it.
    pub line: u32,
    pub number: String,
    pub subject: String,
    pub outcome: RowOutcome,
    /// Each problem, in Italian, led by the column it is about.
    pub problems: Vec<String>,
    pub missing_parties: Vec<MissingParty>,
    /// The agreement made from it, once imported.
    pub agreement_id: Option<Uuid>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ImportReport {
    pub mode: ImportMode,
    /// Every row read, in order (the window's command keeps the refused ones only).
    pub rows: Vec<RowReport>,
    pub good: u32,
    pub refused: u32,
    /// Whether anything was written.
    pub written: bool,
    /// Heads of columns this import does not read, as the file spells them.
    pub ignored_columns: Vec<String>,
}

/// The columns read, with the heads they may have (compared folded: case, accents and
/// punctuation do not count). The first head of each is the one `export csv` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Number,
    Kind,
    Subject,
    Status,
    Parties,
    Promoters,
    Leads,
    SignedOn,
    SignaturePlace,
    EffectiveFrom,
    DurationMonths,
    ExpiresOn,
    Renewal,
    Themes,
    FinancialTerms,
}

const COLUMNS: [(Column, &[&str]); 15] = [
    (Column::Number, &["Numero", "Numero di repertorio", "Repertorio", "N", "N."]),
    (Column::Kind, &["Tipo"]),
    (Column::Subject, &["Oggetto"]),
    (Column::Status, &["Stato"]),
    (Column::Parties, &["Parti", "Enti", "Aderenti", "Enti aderenti"]),
    (Column::Promoters, &["Promotore", "Promotori"]),
    (Column::Leads, &["Capofila"]),
    (
        Column::SignedOn,
        &["Sottoscritto il", "Data di sottoscrizione", "Data sottoscrizione", "Data firma", "Firmato il"],
    ),
    (Column::SignaturePlace, &["Luogo di sottoscrizione", "Luogo"]),
    (Column::EffectiveFrom, &["In vigore dal", "Decorrenza", "Data di decorrenza"]),
    (Column::DurationMonths, &["Durata (mesi)", "Durata in mesi", "Durata"]),
    (Column::ExpiresOn, &["Scadenza", "Data di scadenza"]),
    (Column::Renewal, &["Rinnovo"]),
    (Column::Themes, &["Temi"]),
    (Column::FinancialTerms, &["Aspetti finanziari"]),
];

impl Column {
    fn label(self) -> &'static str {
        COLUMNS.iter().find(|(c, _)| *c == self).map(|(_, heads)| heads[0]).unwrap_or_default()
    }
}

/// Which column of the sheet each of ours is, and the heads nobody reads.
struct Layout(Columns<Column>);

impl Layout {
    fn of(sheet: &Sheet) -> Result<Layout> {
        let columns = Columns::find(sheet, &COLUMNS);
        let missing: Vec<&str> =
            [Column::Number, Column::Subject].into_iter().filter(|c| !columns.has(*c)).map(Column::label).collect();
        if !missing.is_empty() {
            return Err(Error::bad_request(format!(
                "Il file non ha {} «{}» nella prima riga: le colonne lette sono {}.",
                if missing.len() == 1 { "la colonna" } else { "le colonne" },
                missing.join("» e «"),
                COLUMNS.iter().map(|(_, heads)| format!("«{}»", heads[0])).collect::<Vec<_>>().join(", ")
            )));
        }
        Ok(Layout(columns))
    }

    /// The column's head as the file spells it, for messages.
    fn head(&self, column: Column) -> &str {
        self.0.head(column).unwrap_or(column.label())
    }

    fn text(&self, row: &Row, column: Column) -> Option<String> {
        self.0.text(row, column)
    }

    fn cell<'r>(&self, row: &'r Row, column: Column) -> &'r Cell {
        self.0.cell(row, column)
    }
}

/// One row read: the agreement and its parties, or what is wrong with it before the
/// register is asked.
struct Draft {
    agreement: Agreement,
    parties: Vec<(Uuid, String, PartyRole)>,
    problems: Vec<String>,
    missing: Vec<MissingParty>,
}

/// Imports the agreements of `sheet` into `reg` as `mode` says.
pub fn agreements(reg: &mut Register, sheet: &Sheet, mode: ImportMode) -> Result<ImportReport> {
    let layout = Layout::of(sheet)?;
    let all: Vec<Administration> = reg.reader().select("SELECT * FROM administration", [])?;
    let matcher = Matcher::new(&all);
    let (mut report, written) = reg.write_or_discard(
        |w| {
            let mut report = ImportReport {
                mode,
                rows: Vec::with_capacity(sheet.rows.len()),
                good: 0,
                refused: 0,
                written: false,
                ignored_columns: layout.0.ignored.clone(),
            };
            for row in &sheet.rows {
                let mut draft = read_row(&layout, row, &matcher);
                let mut agreement_id = None;
                if draft.problems.is_empty() && draft.missing.is_empty() {
                    let Draft { agreement, parties, .. } = &draft;
                    match w.attempt(|w| {
                        let a = w.create(agreement.clone())?;
                        for (administration, name, role) in parties {
                            w.create(Party::new(a.id, *administration, *role)).map_err(|e| {
                                Error::bad_request(format!("Parte «{name}»: {}", described(&e).join(" ")))
                            })?;
                        }
                        Ok(a.id)
                    }) {
                        Ok(id) => agreement_id = Some(id),
                        Err(e) => draft.problems = described(&e),
                    }
                }
                let good = agreement_id.is_some();
                if good {
                    report.good += 1;
                } else {
                    report.refused += 1;
                }
                report.rows.push(RowReport {
                    line: row.line,
                    number: draft.agreement.number,
                    subject: draft.agreement.subject,
                    outcome: if good { RowOutcome::Good } else { RowOutcome::Refused },
                    problems: draft.problems,
                    missing_parties: draft.missing,
                    agreement_id,
                });
            }
            Ok(report)
        },
        |report| {
            report.good > 0
                && match mode {
                    ImportMode::DryRun => false,
                    ImportMode::Whole => report.refused == 0,
                    ImportMode::GoodRows => true,
                }
        },
    )?;
    report.written = written;
    for row in &mut report.rows {
        if written && row.outcome == RowOutcome::Good {
            row.outcome = RowOutcome::Imported;
        } else if !written {
            row.agreement_id = None;
        }
    }
    Ok(report)
}

/// An error of the register as the lines a person reads: each field's message.
fn described(e: &Error) -> Vec<String> {
    if e.fields.is_empty() { vec![e.message.clone()] } else { e.fields.iter().map(|f| f.message.clone()).collect() }
}

fn read_row(layout: &Layout, row: &Row, matcher: &Matcher) -> Draft {
    let text = |c| layout.text(row, c);
    let mut problems = Vec::new();
    let mut agreement =
        Agreement::draft(&text(Column::Number).unwrap_or_default(), &text(Column::Subject).unwrap_or_default());
    if let Some(kind) = choice(
        &mut problems,
        layout.head(Column::Kind),
        text(Column::Kind),
        AgreementKind::ALL,
        |k| k.label(),
        &[("protocollo", AgreementKind::ProtocolloIntesa), ("protocollo di intesa", AgreementKind::ProtocolloIntesa)],
    ) {
        agreement.kind = kind;
    }
    if let Some(status) = choice(
        &mut problems,
        layout.head(Column::Status),
        text(Column::Status),
        AgreementStatus::ALL,
        |s| s.label(),
        &[],
    ) {
        agreement.status = status;
    }
    if let Some(renewal) = choice(
        &mut problems,
        layout.head(Column::Renewal),
        text(Column::Renewal),
        Renewal::ALL,
        |r| r.label(),
        &[
            ("nessuno", Renewal::None),
            ("no", Renewal::None),
            ("tacito", Renewal::Tacit),
            ("espresso", Renewal::Express),
        ],
    ) {
        agreement.renewal = renewal;
    }
    agreement.signed_on = date(&mut problems, layout.head(Column::SignedOn), layout.cell(row, Column::SignedOn));
    agreement.effective_from =
        date(&mut problems, layout.head(Column::EffectiveFrom), layout.cell(row, Column::EffectiveFrom));
    agreement.expires_on = date(&mut problems, layout.head(Column::ExpiresOn), layout.cell(row, Column::ExpiresOn));
    agreement.signature_place = text(Column::SignaturePlace);
    agreement.financial_terms = text(Column::FinancialTerms);
    agreement.themes = list(text(Column::Themes));
    if let Some(d) = text(Column::DurationMonths) {
        // "24", "24 mesi".
        match d.split_whitespace().next().and_then(|n| n.parse::<u32>().ok()) {
            Some(months) => agreement.duration_months = Some(months),
            None => problems.push(format!("{}: «{d}» non è un numero di mesi.", layout.head(Column::DurationMonths))),
        }
    }
    let mut parties = Vec::new();
    let mut missing = Vec::new();
    for (column, role) in [
        (Column::Promoters, PartyRole::Promotore),
        (Column::Leads, PartyRole::Capofila),
        (Column::Parties, PartyRole::Aderente),
    ] {
        for named in list(text(column)) {
            match matcher.pick(&named) {
                // "Parti" may name every party, the promoter and the lead among them
                // (as `export csv protocolli` writes it): those keep their role.
                Ok(a) if column == Column::Parties && parties.iter().any(|(id, _, r)| *id == a.id && *r != role) => {}
                Ok(a) => parties.push((a.id, a.name.clone(), role)),
                Err(why) => missing.push(MissingParty {
                    closest: matcher.closest(&named, 3).into_iter().map(|a| a.name.clone()).collect(),
                    named,
                    why,
                }),
            }
        }
    }
    Draft { agreement, parties, problems, missing }
}

/// Several values in one cell: "Comune di Lucca; Provincia di Lucca", or one a line.
fn list(cell: Option<String>) -> Vec<String> {
    cell.map(|s| s.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// One of an enum's values by its label as the window shows it (folded), or by one of
/// the other ways offices write it.
fn choice<T: Copy>(
    problems: &mut Vec<String>,
    column: &str,
    value: Option<String>,
    all: &[T],
    label: impl Fn(T) -> &'static str,
    also: &[(&str, T)],
) -> Option<T> {
    let value = value?;
    let folded = fold(&value);
    let found = all
        .iter()
        .copied()
        .find(|v| fold(label(*v)) == folded)
        .or_else(|| also.iter().find(|(s, _)| *s == folded).map(|(_, v)| *v));
    if found.is_none() {
        problems.push(format!(
            "{column}: «{value}» non è tra i valori ammessi ({}).",
            all.iter().map(|v| label(*v)).collect::<Vec<_>>().join(", ")
        ));
    }
    found
}

fn date(problems: &mut Vec<String>, column: &str, cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::Empty => None,
        Cell::Date(d) => Some(*d),
        Cell::Text(s) if parse_date(s).is_some() => parse_date(s),
        other => {
            let shown = cell_text(other).unwrap_or_default();
            let hint = if matches!(other, Cell::Int(_)) {
                " (nel foglio la cella va formattata come data, o scritta gg/mm/aaaa)"
            } else {
                " (gg/mm/aaaa)"
            };
            problems.push(format!("{column}: «{shown}» non è una data{hint}."));
            None
        }
    }
}
