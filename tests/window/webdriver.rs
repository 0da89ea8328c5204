#![allow(dead_code, reason = "shared by the window tests and the speed example, which each use part of it")]

//! A small W3C WebDriver client: just the commands the window tests use, over plain
//! HTTP to tauri-driver (which forwards them to WebKitWebDriver and the app).

use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Driver {
    base: String,
    session: String,
}

#[derive(Clone, Debug)]
pub struct El(pub String);

pub type Res<T> = Result<T, String>;

impl Driver {
    /// Starts the app through tauri-driver listening on `port`.
    pub fn start(port: u16, application: &str, args: &[&str]) -> Res<Driver> {
        let base = format!("http://127.0.0.1:{port}");
        let caps = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "wry",
                "tauri:options": { "application": application, "args": args }
            }}
        });
        // tauri-driver starts WebKitWebDriver on demand and may answer before it listens.
        let mut tries = 0;
        let v = loop {
            match call(&format!("{base}/session"), "POST", Some(caps.clone())) {
                Ok(v) => break v,
                Err(e) if tries < 10 && (e.contains("Unexpected EOF") || e.contains("onnect")) => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(500));
                }
                Err(e) => return Err(e),
            }
        };
        let session = v["sessionId"].as_str().ok_or(format!("no sessionId in {v}"))?.to_owned();
        Ok(Driver { base, session })
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Res<Value> {
        call(&format!("{}/session/{}{}", self.base, self.session, path), method, body)
    }

    /// Another handle on the same session.
    pub fn clone_session(&self) -> Driver {
        Driver { base: self.base.clone(), session: self.session.clone() }
    }

    pub fn quit(&self) {
        let _ = self.cmd("DELETE", "", None);
    }

    pub fn exec(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        self.cmd("POST", "/execute/sync", Some(json!({ "script": script, "args": args })))
    }

    pub fn exec_async(&self, script: &str, args: Vec<Value>) -> Res<Value> {
        self.cmd("POST", "/execute/async", Some(json!({ "script": script, "args": args })))
    }

    /// Opens a screen by its address (`/agreements`).
    pub fn go(&self, hash: &str) -> Res<()> {
        self.exec("window.location.hash = arguments[0];", vec![json!(hash)])?;
        Ok(())
    }

    fn find_by(&self, using: &str, value: &str) -> Res<Vec<El>> {
        let v = self.cmd("POST", "/elements", Some(json!({ "using": using, "value": value })))?;
        Ok(v.as_array()
            .map(|a| a.iter().filter_map(|e| e[ELEMENT].as_str()).map(|s| El(s.to_owned())).collect())
            .unwrap_or_default())
    }

    pub fn all(&self, css: &str) -> Res<Vec<El>> {
        self.find_by("css selector", css)
    }

    pub fn all_xpath(&self, xpath: &str) -> Res<Vec<El>> {
        self.find_by("xpath", xpath)
    }

    /// Waits up to 10 s for the first element matching `css`.
    pub fn wait(&self, css: &str) -> Res<El> {
        self.wait_until(&format!("an element «{css}»"), || Ok(self.all(css)?.into_iter().next()))
    }

    pub fn wait_xpath(&self, xpath: &str) -> Res<El> {
        self.wait_until(&format!("an element «{xpath}»"), || Ok(self.all_xpath(xpath)?.into_iter().next()))
    }

    /// Waits until an element matching `css` contains `text`.
    pub fn wait_text(&self, css: &str, text: &str) -> Res<El> {
        self.wait_until(&format!("«{text}» in «{css}»"), || {
            for el in self.all(css)? {
                if self.text(&el).map(|t| t.contains(text)).unwrap_or(false) {
                    return Ok(Some(el));
                }
            }
            Ok(None)
        })
    }

    pub fn wait_until<T>(&self, what: &str, mut f: impl FnMut() -> Res<Option<T>>) -> Res<T> {
        let start = Instant::now();
        loop {
            match f() {
                Ok(Some(t)) => return Ok(t),
                Ok(None) => {}
                // The screen re-rendered between finding an element and reading it: look again.
                Err(e) if e.contains("stale element") => {}
                Err(e) => return Err(e),
            }
            if start.elapsed() > Duration::from_secs(10) {
                return Err(format!("waited 10 s for {what}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Clicks, clears or types into an element, first scrolled into view: WebKitWebDriver
    /// does not always scroll an element outside the viewport into view itself.
    fn interact(&self, el: &El, what: &str, body: Value) -> Res<()> {
        let mut tries = 0;
        loop {
            // Instant: Bootstrap makes the page scroll smoothly, and WebKitWebDriver would
            // click where the element was when the animation started (lost clicks in CI).
            self.exec(
                "arguments[0].scrollIntoView({ block: 'center', behavior: 'instant' });",
                vec![json!({ ELEMENT: el.0 })],
            )?;
            match self.cmd("POST", &format!("/element/{}/{what}", el.0), Some(body.clone())) {
                Ok(_) => return Ok(()),
                // Still scrolling or laying out: try again shortly.
                Err(e) if e.contains("not interactable") && tries < 10 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(150));
                }
                Err(e) => return Err(e),
            }
        }
    }

    pub fn click(&self, el: &El) -> Res<()> {
        self.interact(el, "click", json!({}))
    }

    pub fn type_in(&self, el: &El, text: &str) -> Res<()> {
        self.interact(el, "value", json!({ "text": text }))
    }

    /// Empties a field the way a person does (select all, delete): WebDriver's own
    /// "clear" fires no `input` event, so React would not see the field emptied.
    pub fn clear(&self, el: &El) -> Res<()> {
        self.type_in(el, "\u{E009}a\u{E000}\u{E003}")
    }

    pub fn text(&self, el: &El) -> Res<String> {
        Ok(self.cmd("GET", &format!("/element/{}/text", el.0), None)?.as_str().unwrap_or_default().to_owned())
    }

    pub fn prop(&self, el: &El, name: &str) -> Res<Value> {
        self.cmd("GET", &format!("/element/{}/property/{name}", el.0), None)
    }

    pub fn attr(&self, el: &El, name: &str) -> Res<Option<String>> {
        Ok(self.cmd("GET", &format!("/element/{}/attribute/{name}", el.0), None)?.as_str().map(str::to_owned))
    }

    pub fn active(&self) -> Res<El> {
        let v = self.cmd("GET", "/element/active", None)?;
        v[ELEMENT].as_str().map(|s| El(s.to_owned())).ok_or(format!("no active element: {v}"))
    }

    /// Presses keys on whatever has the focus (WebDriver key codes: "\u{E004}" is Tab).
    pub fn keys(&self, keys: &str) -> Res<()> {
        let actions: Vec<Value> = keys
            .chars()
            .flat_map(|c| {
                [json!({"type": "keyDown", "value": c.to_string()}), json!({"type": "keyUp", "value": c.to_string()})]
            })
            .collect();
        self.cmd(
            "POST",
            "/actions",
            Some(json!({ "actions": [{ "type": "key", "id": "keyboard", "actions": actions }] })),
        )?;
        Ok(())
    }
}

fn call(url: &str, method: &str, body: Option<Value>) -> Res<Value> {
    let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(120)).build();
    let req = agent.request(method, url);
    let resp = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let v: Value = match resp {
        Ok(r) => r.into_json().map_err(|e| format!("{method} {url}: {e}"))?,
        Err(ureq::Error::Status(code, r)) => {
            let v: Value = r.into_json().unwrap_or(Value::Null);
            return Err(format!(
                "{method} {url}: HTTP {code}: {} {}",
                v["value"]["error"].as_str().unwrap_or_default(),
                v["value"]["message"].as_str().unwrap_or(&v.to_string())
            ));
        }
        Err(e) => return Err(format!("{method} {url}: {e}")),
    };
    Ok(v["value"].clone())
}
