//! The desktop side of printing and exporting: the native save dialog (GTK on Linux,
//! the system's own on Windows) and the system's viewer of the file saved.
//!
//! `RACCORDO_DOCUMENTS_DIR=DIR` saves every document in DIR under its suggested name
//! without asking and opens no viewer: for unattended use, and for the window tests,
//! which cannot drive a native dialog over WebDriver.

use raccordo_ipc::documents::Desk;
use std::path::{Path, PathBuf};
use tauri::{AppHandle, Manager};

pub struct SystemDesk {
    pub app: AppHandle,
}

fn unattended_dir() -> Option<PathBuf> {
    std::env::var_os("RACCORDO_DOCUMENTS_DIR").map(PathBuf::from)
}

impl Desk for SystemDesk {
    fn save_path(&self, file_name: &str) -> Option<PathBuf> {
        if let Some(dir) = unattended_dir() {
            return Some(dir.join(file_name));
        }
        // Called on the command's own thread, never the main one: rfd hands the dialog
        // to GTK's main loop (the window's, on the main thread) and waits here for the
        // answer, as Tauri's dialog plugin does. Waiting on the main thread would block
        // the very loop that has to show the dialog.
        let (title, kind, extension) = match file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()) {
            Some(e) if e == "ics" => ("Salva il calendario", "Calendario (iCalendar)", "ics"),
            Some(e) if e == "csv" => ("Salva l'elenco", "Testo CSV (Excel, LibreOffice)", "csv"),
            Some(e) if e == "xlsx" => ("Salva l'elenco", "Cartella di lavoro Excel", "xlsx"),
            _ => ("Salva il documento", "Documento PDF", "pdf"),
        };
        let mut dialog =
            rfd::FileDialog::new().set_title(title).set_file_name(file_name).add_filter(kind, &[extension]);
        if let Ok(dir) = self.app.path().document_dir() {
            dialog = dialog.set_directory(dir);
        }
        dialog.save_file()
    }

    fn open(&self, path: &Path) -> std::io::Result<()> {
        if unattended_dir().is_some() {
            return Ok(());
        }
        open::that_detached(path)
    }
}
