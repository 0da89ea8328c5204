//! `raccordo`, the desktop app: a thin Tauri 2 shell. It finds the register to open,
//! then hands every command of the window to `raccordo-ipc`, which calls the domain.
//! Nothing here knows about records; see ARCHITECTURE.md.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod desk;

use raccordo_ipc::session::{Places, Session};
use std::path::PathBuf;
use tauri::Manager;

const USAGE: &str = "Uso: raccordo [--demo] [--db FILE]

  --demo      apre il registro dimostrativo (creato dai testi di origine se manca)
  --db FILE   apre il registro nel file indicato
";

/// What the command line asked for.
fn places_from_args(data_dir: PathBuf) -> Result<Places, String> {
    let mut places = Places { data_dir, explicit: None, demo: false };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--demo" => places.demo = true,
            "--db" => {
                let file = args.next().ok_or("--db: manca il nome del file")?;
                places.explicit = Some(PathBuf::from(file));
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("argomento non riconosciuto: {other}")),
        }
    }
    Ok(places)
}

/// WebKitGTK's DMA-BUF renderer off, unless the user chose otherwise: measured on the
/// 100k register it holds the window under 300 MB instead of 454 and draws the screens
/// faster where there is no GPU to share buffers with (office PCs, virtual desktops,
/// Xvfb: opening an agreement 27 → 17 ms); it is also the renderer that leaves the window
/// blank or aborts on some drivers. `WEBKIT_DISABLE_DMABUF_RENDERER=0` brings it back.
#[cfg(target_os = "linux")]
fn choose_webkit_renderer() {
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        // SAFETY: called first thing in main, before any other thread exists.
        unsafe { std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1") };
    }
}

/// Tells the person, through the desktop's notifications, about a conflict waiting or
/// a sync error they must act on (the background sync decides when, once each). A
/// desktop without a notification service loses nothing: the header says it too.
fn notify(title: &str, body: &str) {
    let _ = notify_rust::Notification::new().appname("Raccordo").summary(title).body(body).show();
}

fn main() {
    #[cfg(target_os = "linux")]
    choose_webkit_renderer();
    tauri::Builder::default()
        .setup(|app| {
            // The register lives in the user's data folder (~/.local/share/it.raccordo.app on Linux).
            let data_dir = app.path().app_data_dir()?;
            let places = match places_from_args(data_dir) {
                Ok(p) => p,
                Err(why) => {
                    if !why.is_empty() {
                        eprintln!("raccordo: {why}");
                    }
                    eprint!("{USAGE}");
                    std::process::exit(if why.is_empty() { 0 } else { 2 });
                }
            };
            let session = Session::start(places);
            session.set_desk(Box::new(desk::SystemDesk { app: app.handle().clone() }));
            session.sync().set_notify(Box::new(notify));
            session.daily().set_notify(Box::new(notify));
            app.manage(session);
            Ok(())
        })
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("Raccordo non è riuscito ad aprire la finestra");
}
