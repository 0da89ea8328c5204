//! `raccordo-cli import`: agreements from an office's spreadsheet, and the IPA list of
//! bodies into the directory. Each prints a line per row it has something to say of;
//! a file with refused rows ends with an error (non-zero status) unless its good rows
//! were asked for.

use clap::Subcommand;
use raccordo_exchange::import::{self, ImportMode, ImportReport, RowOutcome};
use raccordo_exchange::ipa::{self, IpaReport};
use raccordo_register::words::count;
use raccordo_register::{Error, ErrorCode, Register};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum ImportWhat {
    /// Agreements from a spreadsheet (CSV, xlsx, xls, ods), one a row, under heads in
    /// its first row: Numero, Oggetto (required), Tipo, Stato, Parti, Promotore,
    /// Capofila, Sottoscritto il, Luogo di sottoscrizione, In vigore dal, Durata (mesi),
    /// Scadenza, Rinnovo, Temi, Aspetti finanziari. Parties by name, fiscal code or IPA
    /// code, several in a cell separated by «;». Every row is checked by the register's
    /// rules; a file with any refused row imports nothing unless --import-good.
    Agreements {
        file: PathBuf,
        /// Check every row and report, writing nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import the good rows even if others are refused.
        #[arg(long, conflicts_with = "dry_run")]
        import_good: bool,
    },
    /// The open-data list of bodies of the Indice delle Pubbliche Amministrazioni
    /// (enti.csv or enti.xlsx from indicepa.gov.it, or the older tab-separated one):
    /// bodies already in the directory are completed, new ones added, those typed by
    /// hand that look like one of the IPA's listed for `combine`.
    Ipa {
        file: PathBuf,
        /// Report what would change, writing nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

/// The file's name (for messages and the records' origin) and its sheet.
fn read(path: &Path) -> Result<(String, raccordo_exchange::read::Sheet), Error> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(ErrorCode::Storage, format!("{}: impossibile leggere il file ({e}).", path.display()))
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let sheet = raccordo_exchange::read::read(&name, &bytes)?;
    Ok((name, sheet))
}

fn io(e: std::io::Error) -> Error {
    Error::new(ErrorCode::Storage, format!("Scrittura dell'uscita non riuscita: {e}"))
}

/// A text on one line of the output.
fn flat(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

pub fn run(reg: &mut Register, what: ImportWhat, out: &mut impl Write) -> Result<(), Error> {
    match what {
        ImportWhat::Agreements { file, dry_run, import_good } => {
            let (_, sheet) = read(&file)?;
            let mode = match (dry_run, import_good) {
                (true, _) => ImportMode::DryRun,
                (false, true) => ImportMode::GoodRows,
                (false, false) => ImportMode::Whole,
            };
            let report = import::agreements(reg, &sheet, mode)?;
            print_agreements(&report, out)?;
            out.flush().map_err(io)?;
            agreements_outcome(&report)
        }
        ImportWhat::Ipa { file, dry_run } => {
            let (name, sheet) = read(&file)?;
            let report = ipa::ipa(reg, &name, &sheet, dry_run, chrono::Local::now().date_naive())?;
            print_ipa(&report, &reg.path().display().to_string(), out)
        }
    }
}

fn print_agreements(report: &ImportReport, out: &mut impl Write) -> Result<(), Error> {
    for column in &report.ignored_columns {
        writeln!(out, "colonna ignorata\t{}", flat(column)).map_err(io)?;
    }
    for row in &report.rows {
        let what = match row.outcome {
            RowOutcome::Imported => "importato".to_owned(),
            RowOutcome::Good => "da importare".to_owned(),
            RowOutcome::Refused => {
                let mut why = row.problems.clone();
                for m in &row.missing_parties {
                    let near = if m.closest.is_empty() {
                        "nessun nome vicino nell'elenco degli enti".to_owned()
                    } else {
                        format!("i più vicini: {}", m.closest.join("; "))
                    };
                    why.push(format!("ente «{}» non trovato ({near})", m.named));
                }
                format!("rifiutato: {}", why.join(" "))
            }
        };
        writeln!(out, "riga {}\t{}\t{}", row.line, flat(&row.number), flat(&what)).map_err(io)?;
    }
    let summary = format!(
        "{} da importare, {}",
        count(report.good, "riga", "righe"),
        count(report.refused, "rifiutata", "rifiutate")
    );
    let done = match (report.mode, report.written) {
        (_, true) => {
            format!("{summary}: {} nel registro.", count(report.good, "protocollo importato", "protocolli importati"))
        }
        (ImportMode::DryRun, false) => format!("{summary}: prova senza scrittura, nulla è stato importato."),
        (_, false) => format!("{summary}: nulla è stato importato."),
    };
    writeln!(out, "{done}").map_err(io)
}

fn agreements_outcome(report: &ImportReport) -> Result<(), Error> {
    match (report.refused, report.mode, report.written) {
        (0, _, _) => Ok(()),
        (_, ImportMode::GoodRows, _) => {
            eprintln!(
                "avviso: {} (vedi sopra).",
                count(
                    report.refused,
                    "riga rifiutata non è stata importata",
                    "righe rifiutate non sono state importate"
                )
            );
            Ok(())
        }
        (n, ImportMode::DryRun, _) => Err(Error::bad_request(format!(
            "{}: correggere il file, o importare le sole righe buone con --import-good.",
            count(n, "riga sarebbe rifiutata", "righe sarebbero rifiutate")
        ))),
        (n, _, _) => Err(Error::bad_request(format!(
            "{}: nulla è stato importato. Correggere il file, o importare le sole righe buone con --import-good.",
            count(n, "riga rifiutata", "righe rifiutate")
        ))),
    }
}

fn print_ipa(report: &IpaReport, db: &str, out: &mut impl Write) -> Result<(), Error> {
    for n in &report.skipped {
        writeln!(out, "riga {}\t{}\t{}\t{}", n.line, flat(&n.ipa_code), flat(&n.name), flat(&n.why)).map_err(io)?;
    }
    for d in &report.differences {
        writeln!(
            out,
            "diverso\t{}\t{}: nel registro «{}», nell'Indice PA «{}»; lasciato com'è",
            flat(&d.name),
            d.field,
            flat(&d.ours),
            flat(&d.theirs)
        )
        .map_err(io)?;
    }
    for d in &report.duplicates {
        writeln!(
            out,
            "possibile doppione\t«{}» (inserito a mano) e «{}» (Indice PA): per unirli, raccordo-cli --db {db} combine administration {} {}",
            flat(&d.typed_name),
            flat(&d.ipa_name),
            d.ipa_id,
            d.typed_id
        )
        .map_err(io)?;
    }
    let as_of = report.updated_to.map(|d| format!(", aggiornato al {}", d.format("%d/%m/%Y"))).unwrap_or_default();
    writeln!(
        out,
        "Indice PA ({}{as_of}): {}, {}, {}, {}{}.",
        count(report.rows, "ente", "enti"),
        count(report.created, "aggiunto", "aggiunti"),
        count(report.completed, "completato", "completati"),
        count(report.unchanged, "già aggiornato", "già aggiornati"),
        count(report.skipped.len() as u32, "nota", "note"),
        if report.written { "" } else { "; prova senza scrittura, nulla è cambiato" }
    )
    .map_err(io)
}
