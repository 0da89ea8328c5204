//! `raccordo-cli sync …`: join a hub, sync, see and resolve conflicts. The work is
//! `raccordo_sync::client`'s; this module reads the arguments and words the results.

use clap::{Subcommand, ValueEnum};
use raccordo_register::words::count;
use raccordo_register::{Error, ErrorCode, Register, Resolution};
use raccordo_sync::client::{self, SyncError};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand)]
pub enum SyncAction {
    /// Joins the hub at URL with a one-time enrolment code.
    Join {
        url: String,
        code: String,
        /// The hub's certificate (PEM), for a hub with a certificate of its own: it is
        /// trusted by its fingerprint, not by the system's authorities.
        #[arg(long, value_name = "FILE")]
        pin_cert: Option<PathBuf>,
    },
    /// Sends this register's changes to the hub, then receives its partners'.
    Run {
        /// Applies a pull that deletes more than a tenth of the register (held otherwise).
        #[arg(long)]
        confirm_deletes: bool,
    },
    /// Hub, last sync, changes waiting, conflicts, last error.
    Status,
    /// The conflicts waiting: id, a tab, what collided.
    Conflicts,
    /// Resolves a conflict: keep one value, or type another.
    Resolve {
        id: String,
        #[arg(long, value_enum, conflicts_with_all = ["value", "let_go", "restore"])]
        keep: Option<Keep>,
        #[arg(long, conflicts_with_all = ["let_go", "restore"])]
        value: Option<String>,
        /// Accepts that what a deletion cut off is gone.
        #[arg(long, conflicts_with = "restore")]
        let_go: bool,
        /// Keeps what a deletion cut off, as new records (with copies of the deleted
        /// records it belonged to).
        #[arg(long)]
        restore: bool,
    },
    /// Forgets the hub and the credential; the records stay.
    Leave,
    /// Writes, for an office with no line, what it reads of this register as a file
    /// (USB key, PEC); ADMINISTRATION by id, IPA code, fiscal code, ISTAT code or name.
    Export {
        #[arg(long = "for", value_name = "ADMINISTRATION")]
        for_office: String,
        #[arg(long, value_name = "FILE.raccordo-sync")]
        out: PathBuf,
    },
    /// Applies a file made by `sync export`, all of it or, if anything is wrong, none.
    Import { file: PathBuf },
    /// How far ahead of this PC's clock (in minutes) a received change may be stamped
    /// and still apply (default 5); shown, or set when MINUTES is given.
    ClockBound { minutes: Option<u64> },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Keep {
    /// The value written on this computer.
    Mine,
    /// The value written by the other office.
    Theirs,
}

fn write_err(e: std::io::Error) -> Error {
    Error::new(ErrorCode::Storage, e.to_string())
}

/// Runs one sync action. A sync error is printed as `errore [CODE]: …` with exit 1,
/// its code the hub's or the client's (`unreachable`, `tls`, `keyring`, …).
pub fn run(reg: &mut Register, action: SyncAction, out: &mut impl Write) -> Result<ExitCode, Error> {
    match act(reg, action, out) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(Failure::Register(e)) => Err(e),
        Err(Failure::Sync(e)) => {
            out.flush().map_err(write_err)?;
            eprintln!("errore [{}]: {}", e.code, e.message);
            Ok(ExitCode::from(1))
        }
    }
}

enum Failure {
    Register(Error),
    Sync(SyncError),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::Register(e)
    }
}

impl From<SyncError> for Failure {
    fn from(e: SyncError) -> Failure {
        Failure::Sync(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Failure {
        Failure::Register(write_err(e))
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::new(ErrorCode::Storage, format!("Avvio della rete non riuscito: {e}")))
}

fn act(reg: &mut Register, action: SyncAction, out: &mut impl Write) -> Result<(), Failure> {
    match action {
        SyncAction::Join { url, code, pin_cert } => {
            let pin = match pin_cert {
                None => None,
                Some(path) => {
                    let pem = std::fs::read_to_string(&path)
                        .map_err(|e| Error::bad_request(format!("Certificato del hub {}: {e}", path.display())))?;
                    Some(client::tls::fingerprint_of_pem(&pem).ok_or_else(|| {
                        Error::bad_request(format!("{}: nessun certificato PEM leggibile.", path.display()))
                    })?)
                }
            };
            let joined = runtime()?.block_on(client::join(reg, &url, &code, pin.as_deref()))?;
            if joined.new_site {
                writeln!(
                    out,
                    "Il registro era una copia di uno già collegato: ha preso un nuovo identificativo di sito."
                )?;
            }
            writeln!(
                out,
                "Collegato al hub {url} come installazione {} dell'ufficio {}.",
                joined.installation_id, joined.office_name
            )?;
            if let Some(pin) = pin {
                writeln!(out, "Certificato del hub fissato per impronta SHA-256 {pin}.")?;
            }
        }
        SyncAction::Run { confirm_deletes } => {
            let mut last_shown = std::time::Instant::now();
            let options = client::RunOptions { confirm_deletes };
            let outcome = runtime()?.block_on(client::run(reg, options, |p| {
                // A long first sync shows where it is, once a second, on stderr.
                if last_shown.elapsed() >= std::time::Duration::from_secs(1) {
                    eprintln!("… inviate {}, ricevute {}", p.pushed, p.pulled);
                    last_shown = std::time::Instant::now();
                }
            }))?;
            if outcome.files_sent + outcome.files_received > 0 {
                writeln!(
                    out,
                    "File degli allegati: {}, {}.",
                    count(outcome.files_sent, "inviato", "inviati"),
                    count(outcome.files_received, "ricevuto", "ricevuti")
                )?;
            }
            if outcome.unshared > 0 {
                writeln!(
                    out,
                    "{} non più condivisi con questo ufficio: la copia resta, in sola lettura («sync status»).",
                    count(outcome.unshared, "protocollo o progetto", "protocolli o progetti")
                )?;
            }
            if outcome.hub_restored {
                writeln!(
                    out,
                    "Il hub era stato ripristinato da una copia: il registro gli ha inviato di nuovo ciò che ha."
                )?;
            }
            writeln!(
                out,
                "Sincronizzato: {} al hub, {} dal hub{}{}.",
                count(outcome.pushed, "modifica inviata", "modifiche inviate"),
                count(outcome.applied, "modifica applicata", "modifiche applicate"),
                if outcome.held_back > 0 {
                    format!(", {} (orologio troppo avanti)", count(outcome.held_back, "trattenuta", "trattenute"))
                } else {
                    String::new()
                },
                if outcome.conflicts > 0 {
                    format!("; {} in attesa («sync conflicts»)", count(outcome.conflicts, "conflitto", "conflitti"))
                } else {
                    String::new()
                }
            )?;
        }
        SyncAction::Status => {
            let s = client::status(reg)?;
            match &s.peer {
                None => writeln!(out, "Non collegato a un hub («sync join INDIRIZZO CODICE»).")?,
                Some(p) => {
                    writeln!(out, "Hub: {} ({})", p.hub_url, p.hub_id)?;
                    writeln!(out, "Installazione: {}", p.installation_id)?;
                    writeln!(out, "Ultima sincronizzazione: {}", p.last_sync_at.as_deref().unwrap_or("mai"))?;
                    if let Some(e) = &p.last_error {
                        writeln!(out, "Ultimo errore: {e}")?;
                    }
                }
            }
            writeln!(out, "Modifiche da inviare: {}", s.changes_waiting)?;
            writeln!(out, "Conflitti in attesa: {}", s.conflicts)?;
            if s.held_back > 0 {
                writeln!(out, "Modifiche trattenute (orologio troppo avanti): {}", s.held_back)?;
            }
            let unshared = reg.unshared_groups()?;
            if !unshared.is_empty() {
                writeln!(out, "Non più condivisi con questo ufficio (copia in sola lettura): {}", unshared.len())?;
                for g in unshared {
                    writeln!(out, "- {}", group_title(reg, g)?)?;
                }
            }
        }
        SyncAction::Export { for_office, out: file } => {
            let all: Vec<raccordo_register::Administration> =
                reg.reader().select("SELECT * FROM administration", [])?;
            let office = raccordo_register::directory::pick(&all, &for_office).map_err(Error::bad_request)?;
            let n = client::bundle::export(reg, office.id, &file)?;
            writeln!(
                out,
                "Scritto {}: {} per l'ufficio {}, da importare con «raccordo-cli sync import».",
                file.display(),
                count(n, "modifica", "modifiche"),
                office.name
            )?;
        }
        SyncAction::Import { file } => {
            let done = client::bundle::import(reg, &file)?;
            writeln!(
                out,
                "Importato {}: {}, {} già presenti{}.",
                file.display(),
                count(done.applied.applied, "modifica applicata", "modifiche applicate"),
                done.applied.already_held,
                if done.applied.held_back > 0 {
                    format!(", {} (orologio troppo avanti)", count(done.applied.held_back, "trattenuta", "trattenute"))
                } else {
                    String::new()
                }
            )?;
        }
        SyncAction::ClockBound { minutes } => {
            if let Some(m) = minutes {
                reg.set_clock_bound_ms(m.saturating_mul(60_000))?;
            }
            let ms = reg.clock_bound_ms()?;
            writeln!(
                out,
                "Una modifica datata più di {} avanti rispetto all'orologio di questo PC è trattenuta, non applicata.",
                count(ms / 60_000, "minuto", "minuti")
            )?;
        }
        SyncAction::Conflicts => {
            for c in reg.conflicts()? {
                let line: String =
                    c.summary().chars().map(|ch| if ch == '\t' || ch == '\n' { ' ' } else { ch }).collect();
                writeln!(out, "{}\t{line}", c.id)?;
            }
        }
        SyncAction::Resolve { id, keep, value, let_go, restore } => {
            let id = uuid::Uuid::parse_str(id.trim()).map_err(|_| {
                Error::bad_request(format!("«{id}» non è l'identificativo di un conflitto (vedi «sync conflicts»)."))
            })?;
            let conflict =
                raccordo_register::conflicts::get(&reg.reader(), id)?.ok_or_else(|| Error::not_found("Conflitto"))?;
            let how = match (keep, value, let_go) {
                _ if restore => Resolution::Restore,
                (_, _, true) => Resolution::LetGo,
                (_, Some(v), _) => Resolution::Value(conflict.typed_value(v)),
                (Some(k), None, false) => match (k, conflict.kept_is_from(reg.settings().site_id)) {
                    (Keep::Mine, Some(true)) | (Keep::Theirs, Some(false)) => Resolution::KeepStored,
                    (Keep::Mine, Some(false)) | (Keep::Theirs, Some(true)) => Resolution::KeepLost,
                    (_, None) => {
                        return Err(Error::bad_request(
                            "Nessuno dei due valori è stato scritto su questo computer: scegliere con --value.",
                        )
                        .into());
                    }
                },
                (None, None, false) => {
                    return Err(Error::bad_request(
                        "Indicare come risolvere: --keep mine|theirs, --value TESTO, --let-go o --restore.",
                    )
                    .into());
                }
            };
            reg.resolve(id, how)?;
            writeln!(
                out,
                "Conflitto risolto; la soluzione raggiunge gli altri uffici alla prossima sincronizzazione."
            )?;
        }
        SyncAction::Leave => {
            client::leave(reg)?;
            writeln!(out, "Registro scollegato dal hub; i record restano.")?;
        }
    }
    Ok(())
}

/// What a person calls a group: its root, by kind and title.
fn group_title(reg: &Register, group: uuid::Uuid) -> raccordo_register::Result<String> {
    use raccordo_register::Kind;
    for kind in [Kind::Agreement, Kind::Project, Kind::Person] {
        if let Some(t) = raccordo_register::title_of(&reg.reader(), kind, group)? {
            return Ok(format!("{} {t}", kind.label()));
        }
    }
    Ok(group.to_string())
}
