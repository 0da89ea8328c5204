//! raccordo-cli: the register from the command line, for scripts and scheduled jobs.
//! Output is one record a line (id, a tab, its title); errors go to stderr with the
//! same code and Italian message as the window, and a non-zero exit status.

// The programs that load many records at once use mimalloc: with the register's
// writes split over two threads (`Register::write_many`), glibc's malloc lost the gain
// to freeing on one thread what the other allocated (measured in ARCHITECTURE.md).
// The window keeps the system allocator: it writes one record at a time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use raccordo_register::words::count;
use raccordo_register::{Error, ErrorCode, Kind, Register, query, search, verify};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod document;
mod import;
mod records;
mod signed;
mod sync;

#[derive(Parser)]
#[command(name = "raccordo-cli", version, about = "Il registro di Raccordo dalla riga di comando")]
struct Cli {
    /// The register file (SQLite); created if missing.
    #[arg(long, value_name = "FILE")]
    db: PathBuf,
    /// Who is working, as the history records it (default: the register's setting).
    #[arg(long, value_name = "NOME")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the demo register from the seed texts (in a new file).
    Demo {
        /// The day the demo's invented upcoming events are placed around (YYYY-MM-DD).
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// Print the records of a kind, one a line: id, a tab, the title.
    List { what: ListKind },
    /// Full-text search; prints the matches, best first, as `list` does.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// The audit history.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Write a document as PDF/A-2b + PDF/UA-1, with its AGID metadata record beside it.
    Document(DocumentArgs),
    /// Signed files (PAdES .pdf, CAdES .p7m).
    Signed {
        #[command(subcommand)]
        action: SignedAction,
    },
    /// The trusted list (ETSI TS 119 612) the signers are checked against.
    Trust {
        #[command(subcommand)]
        action: TrustAction,
    },
    /// Print one record as JSON. KIND is its table: agreement, party, person…
    Show { kind: String, id: String },
    /// Add a record: FIELD=TEXT or FIELD:=JSON (numbers, lists, null); prints its id.
    Add {
        kind: String,
        #[arg(value_name = "FIELD=VALUE")]
        fields: Vec<String>,
    },
    /// Change fields of a record: FIELD=TEXT or FIELD:=JSON.
    Set {
        kind: String,
        id: String,
        #[arg(value_name = "FIELD=VALUE", required = true)]
        fields: Vec<String>,
    },
    /// Delete a record with what belongs to it (refused while others refer to it).
    Delete { kind: String, id: String },
    /// Attach a file to a record (KIND ID FILE); it travels by its SHA-256 where the
    /// record does. Prints the attachment's id.
    Attach {
        kind: String,
        id: String,
        file: std::path::PathBuf,
        #[arg(long)]
        description: Option<String>,
    },
    /// Two administrations, or two people, that are one (two offices registered the
    /// same): what referred to ABSORBED refers to KEPT, which gets the values it lacked;
    /// ABSORBED is deleted. KIND: administration or person.
    Combine { kind: String, kept: String, absorbed: String },
    /// Who receives an agreement (by number or id), or a project outside any agreement
    /// (by id), through sync: privato, parti or rete.
    Share { target: String, scope: String },
    /// Sync with partner offices through a hub.
    Sync {
        #[command(subcommand)]
        action: sync::SyncAction,
    },
    /// Records from the files offices already keep: agreements from a spreadsheet,
    /// the IPA list of bodies into the directory.
    Import {
        #[command(subcommand)]
        what: import::ImportWhat,
    },
    /// The register out to other programs.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Today's reminders, one a line (date, what, text), for a scheduled mail:
    /// agreements expiring within 90, 30 and 7 days, commitments and actions falling due
    /// within a week or overdue.
    Reminders {
        /// The day to count from (YYYY-MM-DD); default: today.
        #[arg(long)]
        today: Option<chrono::NaiveDate>,
    },
    /// A consistent copy of the register at OUT (SQLite's online backup: the window may
    /// go on writing meanwhile), checked before it takes that name.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a copy made by `backup` in place of the register, which no program may have
    /// open. The copy is checked first; the register as it was is kept aside beside it.
    /// The restored register is a new installation: join the hub again with a new code.
    Restore { copy: PathBuf },
    /// Add a generated realistic register of N agreements (benchmarks, load tests).
    Generate {
        #[arg(long)]
        agreements: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Prefix of the generated register numbers.
        #[arg(long, default_value = "GEN")]
        numbering: String,
    },
}

#[derive(Clone, Copy, PartialEq, ValueEnum)]
enum DocumentKind {
    /// Scheda del protocollo (ID: the agreement's id or register number).
    Protocol,
    /// Lettera di convocazione (ID: the meeting).
    Convocation,
    /// Verbale della seduta (ID: the meeting).
    Minutes,
    /// Protocolli per stato e scadenza (filters: --status, --kind, --party, --expiring-within, --text).
    AgreementsReport,
    /// Progetti per stato e finanziamento (filters: --status, --agreement).
    ProjectsReport,
    /// Azioni e impegni scaduti.
    OverdueReport,
}

#[derive(clap::Args)]
struct DocumentArgs {
    what: DocumentKind,
    /// The record the document is about: an agreement (id or register number) or a meeting id.
    id: Option<String>,
    /// Where to write the PDF; its metadata record goes beside it (`.metadati.json`).
    #[arg(long, value_name = "FILE.pdf")]
    out: PathBuf,
    #[command(flatten)]
    filter: AgreementFilterArgs,
    /// Projects report: only the projects of this agreement (id or register number).
    #[arg(long)]
    agreement: Option<String>,
    /// Generation time (RFC 3339, e.g. 2026-11-24T09:00:00Z); the same data and time give
    /// the same file. Default: now.
    #[arg(long)]
    at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The agreement list's filters, as the agreements report and `export csv protocolli`
/// take them.
#[derive(clap::Args)]
struct AgreementFilterArgs {
    /// Status (agreements: bozza, in_firma, vigente, scaduto, rinnovato, risolto; the
    /// projects report: proposto, approvato, in_corso, sospeso, concluso, annullato).
    #[arg(long)]
    status: Option<String>,
    /// Agreements: kind (protocollo_intesa, accordo, convenzione).
    #[arg(long)]
    kind: Option<String>,
    /// Agreements: only those this administration (id) is a party to.
    #[arg(long)]
    party: Option<uuid::Uuid>,
    /// Agreements: only those expiring within N days.
    #[arg(long, value_name = "DAYS")]
    expiring_within: Option<u32>,
    /// Agreements: full-text words.
    #[arg(long)]
    text: Option<String>,
}

impl AgreementFilterArgs {
    /// The register's filter, each value checked against the ones allowed.
    fn filter(&self) -> Result<raccordo_register::query::AgreementFilter, Error> {
        Ok(raccordo_register::query::AgreementFilter {
            status: self.status.as_deref().map(|s| document::choice(s, "Stato")).transpose()?,
            kind: self.kind.as_deref().map(|s| document::choice(s, "Tipo")).transpose()?,
            administration_id: self.party,
            expiring_within_days: self.expiring_within,
            text: self.text.clone(),
        })
    }
}

#[derive(Subcommand)]
enum SignedAction {
    /// Print every signature of FILE: signer, declared time, intact or not, verified or
    /// not and why. Exit status 0 only when every signature is intact and its signer
    /// verified; 2 when intact but a signer is not verified; 3 when a signature is not
    /// intact; 1 when the file cannot be read.
    Check {
        file: PathBuf,
        /// Check against this trusted list file instead of the register's.
        #[arg(long, value_name = "ELENCO.xml")]
        trust: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum TrustAction {
    /// Import a trusted list, its XML signature checked first. The first list, or one
    /// signed by another certificate, needs the signer's SHA-256 as its operator
    /// publishes it (`--signer-sha256`).
    Import {
        file: PathBuf,
        #[arg(long, value_name = "SHA256")]
        signer_sha256: Option<String>,
    },
    /// The trusted list in use.
    Show,
}

#[derive(Subcommand)]
enum ExportWhat {
    /// The transparency open data (art. 23 D.Lgs. 33/2013): the office's signed
    /// agreements as accordi.csv and accordi.json, with their DCAT-AP_IT description
    /// (dcat.jsonld), without personal data, in the folder OUT.
    Opendata {
        #[arg(long)]
        out: PathBuf,
        /// The publishing administration (id); default: the register's office.
        #[arg(long)]
        office: Option<uuid::Uuid>,
    },
    /// A list as a spreadsheet: CSV that Italian Excel and LibreOffice open as it is
    /// (UTF-8 with BOM, `;`), or an Excel workbook when OUT ends in .xlsx. LIST:
    /// protocolli, sedute, progetti, finanziamenti, azioni, impegni, enti, persone.
    Csv {
        list: String,
        #[arg(long)]
        out: PathBuf,
        /// Dates as aaaa-mm-gg and amounts with a point, for scripts (default: gg/mm/aaaa
        /// and a decimal comma, as Italian Excel reads them).
        #[arg(long)]
        iso: bool,
        #[command(flatten)]
        filter: AgreementFilterArgs,
    },
    /// A calendar (iCalendar, RFC 5545): meetings, agreements' expiries, commitments and
    /// actions falling due, project milestones. Importing a newer export updates the
    /// events; a deleted meeting comes back cancelled.
    Ics {
        #[arg(long)]
        out: PathBuf,
        /// The first day (YYYY-MM-DD); default: no bound.
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        /// The last day (YYYY-MM-DD), included; default: no bound.
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand)]
enum AuditAction {
    /// Check the hash chain from the first entry to the last.
    Verify,
}

#[derive(Clone, Copy, ValueEnum)]
enum ListKind {
    Agreements,
    Meetings,
    Projects,
    Administrations,
    People,
}

impl ListKind {
    fn kind(self) -> Kind {
        match self {
            ListKind::Agreements => Kind::Agreement,
            ListKind::Meetings => Kind::Meeting,
            ListKind::Projects => Kind::Project,
            ListKind::Administrations => Kind::Administration,
            ListKind::People => Kind::Person,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("errore [{}]: {}", e.code_str(), e.describe());
            ExitCode::from(1)
        }
    }
}

/// One line per record; a title never spans lines, whatever it holds.
fn print_line(out: &mut impl Write, id: &uuid::Uuid, title: &str) -> Result<(), Error> {
    let title: String = title.chars().map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c }).collect();
    writeln!(out, "{id}\t{title}")
        .map_err(|e| Error::new(ErrorCode::Storage, format!("Scrittura dell'uscita non riuscita: {e}")))
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    if let Command::Restore { copy } = &cli.command {
        // Before the register is opened here: a restore needs it closed everywhere.
        let r = raccordo_register::backup::restore(&cli.db, copy)?;
        println!("{}", restored_summary(&r));
        return Ok(ExitCode::SUCCESS);
    }
    let mut reg = Register::open(&cli.db)?;
    if let Some(user) = &cli.user {
        reg.act_as(user);
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match cli.command {
        Command::Demo { today } => {
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            let demo = raccordo_demo::build_demo(&mut reg, today)?;
            for id in [demo.lucca_protocol, demo.tuscan_agreement] {
                let title = raccordo_register::title_of(&reg.reader(), Kind::Agreement, id)?.unwrap_or_default();
                print_line(&mut out, &id, &title)?;
            }
        }
        Command::List { what } => {
            for (id, title) in query::titles(&reg.reader(), what.kind())? {
                print_line(&mut out, &id, &title)?;
            }
        }
        Command::Search { text, limit } => {
            if search::fts_query(&text).is_none() {
                return Err(Error::bad_request("Ricerca: scrivi almeno una parola."));
            }
            for hit in search::search(&reg.reader(), &text, &[], limit)? {
                print_line(&mut out, &hit.id, &hit.title)?;
            }
        }
        Command::Backup { out: path } => {
            let c = reg.backup_to(&path)?;
            writeln!(out, "{}", copy_summary("Copia di sicurezza", &c))
                .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Restore { .. } => unreachable!("handled before the register is opened"),
        Command::Reminders { today } => {
            use raccordo_exchange::reminders::{self, Reminded};
            let today = today.unwrap_or_else(|| chrono::Local::now().date_naive());
            for r in reminders::reminders(&reg.reader(), today)? {
                let what = match r.what {
                    Reminded::Expiry => "scadenza",
                    Reminded::Commitment => "impegno",
                    Reminded::Action => "azione",
                };
                writeln!(out, "{}\t{what}\t{}", r.day.format("%d/%m/%Y"), r.text.replace(['\t', '\n'], " "))
                    .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
            }
        }
        Command::Import { what } => import::run(&mut reg, what, &mut out)?,
        Command::Export { what: ExportWhat::Csv { list, out: path, iso, filter } } => {
            use raccordo_exchange::table::{self, List};
            let words: Vec<&str> = List::ALL.iter().map(|l| l.word()).collect();
            let list = List::parse(&list).ok_or_else(|| {
                Error::bad_request(format!("Elenco «{list}» sconosciuto: ammessi {}.", words.join(", ")))
            })?;
            let filter = filter.filter()?;
            if list != List::Agreements && filter != Default::default() {
                return Err(Error::bad_request("I filtri (--status, --kind…) valgono per l'elenco dei protocolli."));
            }
            let t = table::table(&reg.reader(), list, &filter, chrono::Local::now().date_naive())?;
            let xlsx = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
            let bytes = if xlsx {
                raccordo_exchange::xlsx::write(&t)?
            } else {
                let form = if iso { raccordo_exchange::csv::Form::Iso } else { raccordo_exchange::csv::Form::Italian };
                raccordo_exchange::csv::write(&t, form)
            };
            std::fs::write(&path, bytes)
                .map_err(|e| Error::new(ErrorCode::Storage, format!("{}: {e}", path.display())))?;
            writeln!(out, "{} «{}»: {}.", t.name, path.display(), count(t.rows.len() as u64, "riga", "righe"))
                .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Export { what: ExportWhat::Opendata { out: dir, office } } => {
            let office = office.or(reg.settings().office_id).ok_or_else(|| {
                Error::bad_request(
                    "Open data: indica l'ente che pubblica (--office), o imposta l'ufficio del registro.",
                )
            })?;
            let done =
                raccordo_exchange::opendata::publish(&reg.reader(), office, &dir, chrono::Local::now().date_naive())?;
            writeln!(
                out,
                "Open data in «{}»: {}; {}.",
                dir.display(),
                count(done.agreements as u64, "accordo", "accordi"),
                done.files
                    .iter()
                    .map(|f| f.file_name().unwrap_or_default().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
            if done.redacted > 0 {
                eprintln!(
                    "avviso: {} conteneva dati di persone, scritti come «[omissis]».",
                    count(done.redacted as u64, "testo", "testi")
                );
            }
        }
        Command::Export { what: ExportWhat::Ics { out: path, from, to } } => {
            if let (Some(f), Some(t)) = (from, to)
                && f > t
            {
                return Err(Error::bad_request(format!("Calendario: --from {f} viene dopo --to {t}.")));
            }
            let r = reg.reader();
            let name = raccordo_exchange::ics::calendar_name(&r, reg.settings().office_id)?;
            let range = raccordo_exchange::ics::Range { from, to };
            let text = raccordo_exchange::ics::calendar(&r, &name, range, chrono::Utc::now())?;
            std::fs::write(&path, &text)
                .map_err(|e| Error::new(ErrorCode::Storage, format!("{}: {e}", path.display())))?;
            let events = text.matches("BEGIN:VEVENT").count();
            writeln!(out, "Calendario «{}»: {}.", path.display(), count(events as u64, "evento", "eventi"))
                .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Audit { action: AuditAction::Verify } => {
            let v = verify::register(reg.connection())?.into_result()?;
            writeln!(
                out,
                "Registro integro: {} nella catena del registro modifiche, ultima impronta {}; \
                 {} e {} corrispondono al registro modifiche.",
                count(v.entries, "voce", "voci"),
                v.head,
                count(v.records, "record", "record"),
                count(v.files, "file allegato", "file allegati")
            )
            .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Document(args) => {
            let pdf = document::run(&reg, &cli.db, args)?;
            writeln!(out, "{}\t{}", pdf.display(), raccordo_documents::metadata_path(&pdf).display())
                .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Signed { action: SignedAction::Check { file, trust } } => {
            let bytes = signed::read(&file, "File firmato")?;
            let list = signed::list(&reg, trust.as_deref())?;
            let outcome = signed::check(&mut out, &bytes, list.as_deref())?;
            out.flush().map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
            return Ok(match outcome {
                signed::Outcome::Trusted => ExitCode::SUCCESS,
                signed::Outcome::Unverified => ExitCode::from(2),
                signed::Outcome::NotIntact => ExitCode::from(3),
            });
        }
        Command::Trust { action: TrustAction::Import { file, signer_sha256 } } => {
            let bytes = signed::read(&file, "Elenco di fiducia")?;
            let summary = raccordo_documents::trust::import(&mut reg, &bytes, signer_sha256.as_deref())?;
            signed::print_list(&mut out, &summary)?;
        }
        Command::Trust { action: TrustAction::Show } => match raccordo_documents::trust::of_register(&reg)? {
            Some(l) => signed::print_list(&mut out, &l.summary)?,
            None => return Err(Error::bad_request("Nessun elenco di fiducia importato: usa «trust import FILE».")),
        },
        Command::Show { kind, id } => {
            let json = records::show(&reg, records::kind(&kind)?, records::id(&id)?)?;
            writeln!(out, "{json}").map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Add { kind, fields } => {
            let id = records::add(&mut reg, records::kind(&kind)?, records::fields(&fields)?)?;
            writeln!(out, "{id}").map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Set { kind, id, fields } => {
            records::set(&mut reg, records::kind(&kind)?, records::id(&id)?, records::fields(&fields)?)?;
        }
        Command::Delete { kind, id } => {
            let n = reg.delete(records::kind(&kind)?, records::id(&id)?)?;
            let done = if n == 1 { "Eliminato" } else { "Eliminati" };
            writeln!(out, "{done} {}.", count(n as u64, "record", "record"))
                .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Attach { kind, id, file, description } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| Error::bad_request(format!("{}: file non leggibile ({e}).", file.display())))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let media_type = match file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some("pdf") => "application/pdf",
                Some("p7m") => "application/pkcs7-mime",
                Some("xml") => "application/xml",
                Some("txt") => "text/plain",
                Some("odt") => "application/vnd.oasis.opendocument.text",
                Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                _ => "application/octet-stream",
            };
            let (kind, id) = (records::kind(&kind)?, records::id(&id)?);
            let a = reg.write(|w| w.attach(kind, id, &name, media_type, &bytes, description))?;
            writeln!(out, "{}", a.id).map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Combine { kind, kept, absorbed } => {
            let done = reg.combine(records::kind(&kind)?, records::id(&kept)?, records::id(&absorbed)?)?;
            writeln!(
                out,
                "Uniti: {} ora al record tenuto{}.",
                count(done.repointed, "record rimanda", "record rimandano"),
                if done.filled.is_empty() {
                    String::new()
                } else {
                    format!("; completati dal record assorbito: {}", done.filled.join(", "))
                }
            )
            .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Share { target, scope } => {
            let said = records::share(&mut reg, &target, &scope)?;
            writeln!(out, "{said}").map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
        Command::Sync { action } => {
            let code = sync::run(&mut reg, action, &mut out)?;
            out.flush().map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
            return Ok(code);
        }
        Command::Generate { agreements, seed, numbering } => {
            let stats = raccordo_demo::generate(&mut reg, agreements, seed, &numbering)?;
            let made = count(stats.agreements as u64, "protocollo", "protocolli");
            writeln!(out, "Generati {made}, {} in tutto.", count(stats.records as u64, "record", "record"))
                .map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
        }
    }
    out.flush().map_err(|e| Error::new(ErrorCode::Storage, e.to_string()))?;
    Ok(ExitCode::SUCCESS)
}

/// One line on a checked copy: where, what it holds, that it is whole.
fn copy_summary(what: &str, c: &raccordo_register::backup::CopyCheck) -> String {
    format!(
        "{what} «{}»: integra (controllo di SQLite, catena di {} verificata, {} e {} corrispondenti); \
         {}, ultima modifica {}, {:.1} MB.",
        c.path.display(),
        count(c.history_entries, "voce", "voci"),
        count(c.records, "record", "record"),
        count(c.files, "file allegato", "file allegati"),
        count(c.agreements, "protocollo", "protocolli"),
        c.last_change_at.as_deref().unwrap_or("nessuna"),
        c.bytes as f64 / 1_048_576.0
    )
}

fn restored_summary(r: &raccordo_register::backup::Restored) -> String {
    let mut text = copy_summary("Ripristinata la copia", &r.copy);
    if let Some(aside) = &r.kept_aside {
        text.push_str(&format!(" Il registro di prima è conservato in «{}».", aside.display()));
    }
    text.push_str(&format!(" Il registro ripristinato è una nuova installazione ({}).", r.site_id));
    if let Some(hub) = &r.left_hub {
        text.push_str(&format!(
            " Era collegato al hub {hub}: collegarlo di nuovo con un nuovo codice («raccordo-cli sync join»); \
             riceverà dal hub quanto manca alla copia."
        ));
    }
    text
}
