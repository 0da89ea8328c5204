//! A desktop notification service on the test's own D-Bus session: it takes the name
//! `org.freedesktop.Notifications` and keeps the summary and body of every `Notify`
//! call, so that a scenario can check what the app told the person (Xvfb has no
//! notification daemon; this one plays it, as the specification describes it).

use crate::webdriver::Res;
use dbus::blocking::Connection;
use dbus::channel::{Channel, MatchingReceiver, Sender};
use dbus::message::MatchRule;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub struct Notifications {
    seen: Arc<Mutex<Vec<(String, String)>>>,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Notifications {
    pub fn start(address: &str) -> Res<Notifications> {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let (ready, started) = std::sync::mpsc::channel();
        let (address, kept, stopping) = (address.to_owned(), seen.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            let conn = match serve(&address, kept) {
                Ok(c) => {
                    let _ = ready.send(Ok(()));
                    c
                }
                Err(e) => {
                    let _ = ready.send(Err(e));
                    return;
                }
            };
            while !stopping.load(Ordering::SeqCst) {
                let _ = conn.process(Duration::from_millis(100));
            }
        });
        started.recv().map_err(|e| e.to_string())??;
        Ok(Notifications { seen, stop, thread: Some(thread) })
    }

    /// What the app said so far: (summary, body) of each notification.
    pub fn seen(&self) -> Vec<(String, String)> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn serve(address: &str, seen: Arc<Mutex<Vec<(String, String)>>>) -> Res<Connection> {
    let mut channel = Channel::open_private(address).map_err(|e| format!("D-Bus: {e}"))?;
    channel.register().map_err(|e| format!("D-Bus: {e}"))?;
    let conn = Connection::from(channel);
    conn.request_name("org.freedesktop.Notifications", false, true, true)
        .map_err(|e| format!("org.freedesktop.Notifications: {e}"))?;
    conn.start_receive(
        MatchRule::new_method_call(),
        Box::new(move |msg, conn| {
            let reply = match msg.member().as_deref() {
                Some("Notify") => {
                    // app_name, replaces_id, app_icon, summary, body, actions, hints, timeout
                    if let Ok((_, _, _, summary, body)) = msg.read5::<String, u32, String, String, String>() {
                        seen.lock().unwrap_or_else(|e| e.into_inner()).push((summary, body));
                    }
                    msg.method_return().append1(1u32)
                }
                Some("GetCapabilities") => msg.method_return().append1(vec!["body".to_owned()]),
                Some("GetServerInformation") => {
                    msg.method_return().append2("raccordo-test", "raccordo").append2("1", "1.2")
                }
                _ => msg.method_return(),
            };
            let _ = conn.send(reply);
            true
        }),
    );
    Ok(conn)
}

impl Drop for Notifications {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
