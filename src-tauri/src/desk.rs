//! The desktop side of printing: the native save dialog (GTK on Linux, the system's
//! own on Windows) and the system's PDF viewer.
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
        let (tx, rx) = std::sync::mpsc::channel();
        let name = file_name.to_owned();
        let folder = self.app.path().document_dir().ok();
        // GTK dialogs belong to the main thread; the command waits here, off it.
        self.app
            .run_on_main_thread(move || {
                let mut dialog = rfd::FileDialog::new()
                    .set_title("Salva il documento")
                    .set_file_name(&name)
                    .add_filter("Documento PDF", &["pdf"]);
                if let Some(dir) = folder {
                    dialog = dialog.set_directory(dir);
                }
                let _ = tx.send(dialog.save_file());
            })
            .ok()?;
        rx.recv().ok().flatten()
    }

    fn open(&self, path: &Path) -> std::io::Result<()> {
        if unattended_dir().is_some() {
            return Ok(());
        }
        open::that_detached(path)
    }
}
