//! Copie di sicurezza in the window: a folder the user chooses (a USB key), a copy
//! made by hand, a daily copy made by itself every day the window is used (one of the
//! daily jobs, `crate::daily`), and restoring a copy in place of the register. The copies and their checks are `raccordo_register::backup`'s,
//! the same as `raccordo-cli backup` and `restore`.

use crate::{Error, Result, Session};
use raccordo_register::backup::{self, CopyCheck, CopyFile, Restored};
use raccordo_register::{ErrorCode, FieldCode};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use ts_rs::TS;

/// The preferences file, in the app's data folder: the folder of the copies.
const PREFS: &str = "copie-di-sicurezza.json";
/// The folder used until the user chooses one.
const DEFAULT_FOLDER: &str = "copie-di-sicurezza";

#[derive(Debug, Clone, Serialize, TS)]
pub struct BackupState {
    pub folder: String,
    /// The folder is the default one, inside the app's data: on the same disk.
    pub default_folder: bool,
    /// The copies of the open register in the folder, newest first.
    pub copies: Vec<CopyFile>,
    /// The last daily copy made by the window, and the error of the last attempt.
    pub last_daily: Option<CopyCheck>,
    pub last_error: Option<String>,
    pub daily_kept: u32,
    pub weekly_kept: u32,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct FolderArgs {
    pub folder: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct CopyArgs {
    /// The copy's file, as listed in [`BackupState::copies`].
    pub path: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MadeCopy {
    pub check: CopyCheck,
    pub state: BackupState,
}

#[derive(Default, Serialize, Deserialize)]
struct Prefs {
    folder: Option<PathBuf>,
}

fn read_prefs(data_dir: &Path) -> Prefs {
    std::fs::read(data_dir.join(PREFS)).ok().and_then(|b| serde_json::from_slice(&b).ok()).unwrap_or_default()
}

/// The folder of the copies: the one chosen, or the default.
pub fn folder_in(data_dir: &Path) -> (PathBuf, bool) {
    match read_prefs(data_dir).folder {
        Some(f) => (f, false),
        None => (data_dir.join(DEFAULT_FOLDER), true),
    }
}

/// What the daily copy did last (the daily jobs' thread writes it, Impostazioni reads it).
#[derive(Default)]
pub struct DailyCopy {
    last: Option<CopyCheck>,
    error: Option<String>,
}

/// Makes today's copy of `register` in the folder of the copies, unless made, and
/// notes what happened in `state` (`crate::daily` runs it).
pub fn daily_copy(data_dir: &Path, register: &Path, today: chrono::NaiveDate, state: &Mutex<DailyCopy>) {
    let (folder, _) = folder_in(data_dir);
    let outcome = backup::daily(register, &folder, today);
    let mut d = state.lock().unwrap_or_else(|e| e.into_inner());
    match outcome {
        Ok(made) => {
            d.error = None;
            d.last = made.or(d.last.take());
        }
        Err(e) => d.error = Some(e.message),
    }
}

fn state(s: &Session) -> Result<BackupState> {
    let (folder, default_folder) = folder_in(s.data_dir());
    let register = s.with(|reg| Ok(reg.path().to_path_buf()))?;
    let copies = backup::copies(&register, &folder)?;
    let d = s.daily().copies.lock().unwrap_or_else(|e| e.into_inner());
    Ok(BackupState {
        folder: folder.display().to_string(),
        default_folder,
        copies,
        last_daily: d.last.clone(),
        last_error: d.error.clone(),
        daily_kept: backup::DAILY_KEPT as u32,
        weekly_kept: backup::WEEKLY_KEPT as u32,
    })
}

pub fn backup_state(s: &Session, _: ()) -> Result<BackupState> {
    state(s)
}

/// A copy now, under a name with the time: the rotation leaves it alone.
pub fn backup_now(s: &Session, _: ()) -> Result<MadeCopy> {
    let (folder, _) = folder_in(s.data_dir());
    let now = chrono::Local::now().naive_local();
    let check = s.with(|reg| reg.backup_to(&folder.join(backup::manual_name(reg.path(), now))))?;
    Ok(MadeCopy { check, state: state(s)? })
}

/// Chooses the folder of the copies: it must be a folder this user can write in (it
/// is made if missing, and written to and cleaned once to be sure).
pub fn backup_folder(s: &Session, args: FolderArgs) -> Result<BackupState> {
    let wrong = |why: String| {
        crate::on_field(ErrorCode::Validation, "folder", FieldCode::NotAllowed, &format!("Cartella delle copie: {why}"))
    };
    let folder = PathBuf::from(args.folder.trim());
    if args.folder.trim().is_empty() || !folder.is_absolute() {
        return Err(wrong(
            "scrivi il percorso completo di una cartella (per esempio /media/utente/CHIAVETTA/copie).".into(),
        ));
    }
    std::fs::create_dir_all(&folder).map_err(|e| wrong(format!("non si può creare «{}» ({e}).", folder.display())))?;
    let probe = folder.join(".raccordo-prova-scrittura");
    std::fs::write(&probe, b"prova")
        .and_then(|()| std::fs::remove_file(&probe))
        .map_err(|e| wrong(format!("non si può scrivere in «{}» ({e}).", folder.display())))?;
    let prefs = serde_json::to_vec_pretty(&Prefs { folder: Some(folder) })?;
    std::fs::write(s.data_dir().join(PREFS), prefs)
        .map_err(|e| Error::new(ErrorCode::Storage, format!("Impostazione delle copie non salvata: {e}")))?;
    state(s)
}

/// Puts a copy in place of the open register (see `backup::restore`): the window lets
/// go of the register, the restore runs, and the window opens what is there after it
/// (the restored register, or the one as it was when the restore failed).
pub fn backup_restore(s: &Session, args: CopyArgs) -> Result<Restored> {
    s.restore(Path::new(args.path.trim()))
}
