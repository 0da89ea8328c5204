//! What a person does in the window, step by step, and what the screen must show.

use crate::Ctx;
use crate::webdriver::{Driver, El, Res};
use serde_json::{Value, json};

pub type Scenario = fn(&Ctx) -> Res<()>;

pub const ALL: &[(&str, Scenario)] = &[
    ("dashboard_opens_on_the_demo_register", dashboard_opens),
    ("create_agreement_with_two_parties_and_a_signatory", create_agreement),
    ("global_search_finds_and_opens_it", search_finds_it),
    ("record_meeting_with_attendance_and_minutes", record_meeting),
    ("dashboard_shows_the_new_meeting_and_changes", dashboard_changes),
    ("bad_fiscal_code_is_explained_and_nothing_saved", bad_fiscal_code),
    ("settings_name_the_user_the_history_records", settings_user_in_history),
    ("every_screen_reachable_by_keyboard", keyboard_reaches_every_screen),
    ("print_documents_and_refuse_an_unsigned_file", print_documents),
    ("calendar_files_of_a_meeting_and_of_everything_ahead", calendars),
    ("the_filtered_agreement_list_as_csv_and_excel", spreadsheets),
    ("an_office_list_of_agreements_and_the_ipa_list_imported", imports),
    ("signed_files_amber_until_a_trusted_list_is_imported", signers_and_trusted_list),
    ("axe_core_finds_no_violation_on_any_screen", axe_on_every_screen),
    ("join_a_hub_receive_a_partner_s_agreement_and_resolve_a_conflict", sync_with_a_partner),
    ("reminders_told_once_through_the_desktop_and_listed_in_the_settings", reminders),
    ("backup_now_daily_and_restore_from_the_settings", backups),
];

/// The scenario run in a window of its own, in a session without a keyring.
pub const WITHOUT_A_KEYRING: &str = "joining_without_a_keyring_says_how_to_enable_one_and_spends_no_code";

/// Joining in a session with no keyring: the hub is found and its fingerprint shown,
/// but the join is refused with the keyring's Italian message (how to enable one)
/// before the hub is asked to enrol, so the one-time code still works elsewhere.
pub fn without_a_keyring(c: &Ctx) -> Res<()> {
    use crate::support::{Hub, Office};
    let d = &c.d;
    let hub = Hub::start(&[]);
    let code = hub.code_for("Prefettura di Lucca");
    // The window has opened the demo register before it is sent anywhere.
    wait_h1(d, "Cruscotto")?;
    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    d.type_in(&d.wait("#sync-url")?, &hub.url)?;
    d.type_in(&d.wait("#sync-code")?, &code)?;
    click_button(d, "Verifica il hub")?;
    d.wait("#sync-fingerprint")?;
    d.click(&d.wait("label[for=sync-trust]")?)?;
    click_button(d, "Collega il registro")?;
    let said = d.text(&d.wait_text("#sync-join-error", "portachiavi")?)?;
    if !said.contains("GNOME Keyring") {
        return Err(format!("the keyring message does not say how to enable one: {said}"));
    }
    shot(c, "sync-12-no-keyring")?;
    if !sync_header(d)?.contains("Solo su questo PC") {
        return Err(format!("without a keyring the header says «{}»", sync_header(d)?));
    }
    let found = axe(c, "settings-no-keyring")?;
    if !found.is_empty() {
        return Err(format!("axe on the keyring message: {}", found.join("; ")));
    }
    // The code was not spent: a register in a session with a keyring joins with it.
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let elsewhere = Office::new(dir.path(), "elsewhere", c.keyring);
    elsewhere.cli(&["list", "agreements"]).expect_ok();
    elsewhere.cli(&["sync", "join", &hub.url, &code, "--pin-cert", &hub.cert.to_string_lossy()]).expect_ok();
    Ok(())
}

/// The agreement the scenarios create, find and hold a meeting for.
const NUMBER: &str = "2026/77";
const SUBJECT: &str = "Rete dei servizi cimiteriali intercomunali";

fn xq(s: &str) -> String {
    // An XPath string literal for any text (the Italian apostrophe included).
    if !s.contains('\'') {
        format!("'{s}'")
    } else {
        format!("concat('{}')", s.split('\'').collect::<Vec<_>>().join("', \"'\", '"))
    }
}

fn h1(d: &Driver) -> Res<String> {
    let el = d.wait("main h1")?;
    d.text(&el)
}

fn wait_h1(d: &Driver, text: &str) -> Res<()> {
    d.wait_text("main h1", text).map(|_| ()).map_err(|e| {
        // Say where the window was instead: the title shown and the address.
        let seen = d
            .exec(
                "return (document.querySelector('main h1')?.textContent ?? '(no title)') + ' at ' + location.hash;",
                vec![],
            )
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        format!("{e}; the window shows «{seen}»")
    })
}

/// A screen is ready when its title is there and nothing says "Caricamento…".
fn settle(d: &Driver) -> Res<()> {
    d.wait("main h1")?;
    d.wait_until("the screen to finish loading", || {
        let busy = d.exec(
            "return [...document.querySelectorAll('[role=status]')].some(e => e.textContent.includes('Caricamento'));",
            vec![],
        )?;
        Ok((busy == Value::Bool(false)).then_some(()))
    })
}

fn button(d: &Driver, label: &str) -> Res<El> {
    d.wait_xpath(&format!("//button[normalize-space(.)={}]", xq(label)))
}

/// Clicks a button that opens a form and waits for its dialog. A click that lands while
/// the screen is still rendering its first data is repeated once.
fn open_form(d: &Driver, label: &str) -> Res<()> {
    open_dialog_with(d, &format!("//button[normalize-space(.)={}]", xq(label)))
}

/// Clicks the button at `xpath` until a dialog is open (at most twice).
fn open_dialog_with(d: &Driver, xpath: &str) -> Res<()> {
    for _ in 0..2 {
        let b = d.wait_xpath(xpath)?;
        d.click(&b)?;
        for _ in 0..40 {
            if !d.all("dialog[open]")?.is_empty() {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    Err(format!("«{xpath}» opened no dialog"))
}

fn click_button(d: &Driver, label: &str) -> Res<()> {
    let b = button(d, label)?;
    d.click(&b).map_err(|e| format!("button «{label}»: {e}"))
}

/// The control of the open dialog whose label starts with `label`.
fn field(d: &Driver, label: &str) -> Res<El> {
    let l = d.wait_xpath(&format!("//dialog[@open]//label[starts-with(normalize-space(.), {})]", xq(label)))?;
    let id = d.attr(&l, "for")?.ok_or(format!("label «{label}» has no control"))?;
    d.wait_xpath(&format!("//*[@id={}]", xq(&id)))
}

fn fill(d: &Driver, label: &str, text: &str) -> Res<()> {
    let f = field(d, label)?;
    d.clear(&f)?;
    d.type_in(&f, text)
}

fn choose(d: &Driver, label: &str, option: &str) -> Res<()> {
    let f = field(d, label)?;
    let id = d.attr(&f, "id")?.unwrap_or_default();
    let o = d.wait_xpath(&format!("//*[@id={}]/option[normalize-space(.)={}]", xq(&id), xq(option)))?;
    d.click(&o).map_err(|e| format!("select «{label}»: {e}"))
}

/// Types into a picker and clicks the first option that starts with `option`.
fn pick(d: &Driver, label: &str, typed: &str, option: &str) -> Res<()> {
    pick_in(d, label, typed, option).map_err(|e| format!("picker «{label}»: {e}"))
}

fn pick_in(d: &Driver, label: &str, typed: &str, option: &str) -> Res<()> {
    let f = field(d, label)?;
    d.clear(&f)?;
    d.click(&f)?;
    d.type_in(&f, typed)?;
    let o =
        d.wait_xpath(&format!("//dialog[@open]//li[@role='option'][starts-with(normalize-space(.), {})]", xq(option)))?;
    d.click(&o)
}

fn submit(d: &Driver) -> Res<()> {
    let b = d.wait_xpath("//dialog[@open]//button[@type='submit']")?;
    d.click(&b)?;
    d.wait_until("the dialog to close after saving", || {
        if d.all("dialog[open]")?.is_empty() {
            return Ok(Some(()));
        }
        if let Some(alert) = d.all("dialog[open] .alert-danger")?.first() {
            return Err(format!("not saved: {}", d.text(alert)?));
        }
        Ok(None)
    })?;
    // The screen reloads what was saved and gives the focus back to the button that
    // opened the form; a click sent in between can land on the old layout and be lost.
    settle(d)?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    Ok(())
}

fn shot(c: &Ctx, name: &str) -> Res<()> {
    c.window.screenshot(&c.out.join(format!("{name}.png")))
}

/// Today + `days` as the forms take it: "gg/mm/aaaa".
fn in_days(days: i64) -> String {
    let date = chrono_like_today_plus(days);
    format!("{:02}/{:02}/{}", date.2, date.1, date.0)
}

/// Today + n days as (year, month, day), from the system clock (UTC, as the app's local day
/// on CI): the app counts "next meetings" from the same day.
fn chrono_like_today_plus(days: i64) -> (i64, i64, i64) {
    let secs =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0) as i64;
    civil_from_days(secs / 86_400 + days)
}

/// Days since 1970-01-01 → (y, m, d) (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn dashboard_opens(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.wait("[data-ready=dashboard]")?;
    if h1(d)? != "Cruscotto" {
        return Err(format!("first screen is «{}», not the dashboard", h1(d)?));
    }
    // The demo's Tuscan agreement expires within 90 days of the day the demo is built.
    d.wait_text("#dashboard-expiring", "2016/4")?;
    d.wait_text(".raccordo-demo-banner", "Registro dimostrativo")?;
    shot(c, "01-dashboard")
}

fn create_agreement(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/agreements")?;
    wait_h1(d, "Protocolli")?;
    d.wait_text("#agreements-count", "protocolli")?;
    open_form(d, "Nuovo protocollo")?;
    fill(d, "Numero di repertorio", NUMBER)?;
    fill(d, "Oggetto", SUBJECT)?;
    fill(d, "Luogo di sottoscrizione", "Lucca")?;
    submit(d)?;
    wait_h1(d, &format!("Protocollo d'intesa n. {NUMBER}"))?;

    open_form(d, "Aggiungi parte")?;
    pick(d, "Ente", "Comune di Lucca", "Comune di Lucca")?;
    submit(d)?;
    d.wait_text("section", "Comune di Lucca")?;
    open_form(d, "Aggiungi parte")?;
    pick(d, "Ente", "Capannori", "Comune di Capannori")?;
    choose(d, "Ruolo", "Aderente")?;
    submit(d)?;
    d.wait_text("section", "Comune di Capannori")?;

    open_form(d, "Aggiungi firmatario")?;
    pick(d, "Per la parte", "Lucca", "Comune di Lucca")?;
    pick(d, "Firmatario", "Favilla", "Favilla")?;
    submit(d)?;
    let signatures = d.wait_xpath("//section[.//h2[normalize-space(.)='Firmatari']]")?;
    d.wait_until("the signatory in the list", || Ok(d.text(&signatures)?.contains("Favilla").then_some(())))?;
    let parties = d.wait_xpath("//section[.//h2[normalize-space(.)='Parti e adesioni']]")?;
    let text = d.text(&parties)?;
    if !(text.contains("Comune di Lucca") && text.contains("Comune di Capannori") && text.contains("Aderente")) {
        return Err(format!("parties section shows: {text}"));
    }
    shot(c, "02-agreement-created")
}

fn search_finds_it(c: &Ctx) -> Res<()> {
    let d = &c.d;
    let input = d.wait("#global-search")?;
    d.clear(&input)?;
    // Without the accent and in capitals: the register folds both.
    d.type_in(&input, "CIMITERIALI intercomunali\u{E007}")?;
    wait_h1(d, "Ricerca")?;
    let hit = d.wait_text("#search-results li", NUMBER)?;
    shot(c, "03-search")?;
    let link = d.all_xpath(&format!("//ol[@id='search-results']//a[contains(., {})]", xq(NUMBER)))?;
    d.click(link.first().ok_or(format!("no link in hit: {}", d.text(&hit)?))?)?;
    wait_h1(d, &format!("n. {NUMBER}"))
}

fn record_meeting(c: &Ctx) -> Res<()> {
    let d = &c.d;
    wait_h1(d, &format!("n. {NUMBER}"))?;
    let date = in_days(7);
    open_form(d, "Aggiungi seduta")?;
    fill(d, "Data", &date)?;
    fill(d, "Inizio", "10:00")?;
    fill(d, "Luogo", "Palazzo Ducale, sala degli Specchi")?;
    submit(d)?;
    let link =
        d.wait_xpath("//section[.//h2[normalize-space(.)='Sedute']]//a[starts-with(normalize-space(.), 'n. 1 del')]")?;
    d.click(&link)?;
    wait_h1(d, "Seduta n. 1 del")?;

    open_form(d, "Aggiungi presenza")?;
    pick(d, "Persona", "Favilla", "Favilla")?;
    pick(d, "Per l'ente", "Comune di Lucca", "Comune di Lucca")?;
    submit(d)?;
    d.wait_text("section h2", "(1 presente)")?;

    open_form(d, "Aggiungi punto")?;
    fill(d, "Argomento", "Regolamento comune dei servizi cimiteriali")?;
    fill(d, "Discussione", "Il relatore illustra lo schema; seguono interventi dei comuni.")?;
    fill(d, "Decisione", "Il tavolo approva lo schema di regolamento.")?;
    choose(d, "Votazione", "All'unanimità")?;
    submit(d)?;
    let item = d.wait_text(".raccordo-agenda-item", "Regolamento comune")?;
    let text = d.text(&item)?;
    if !text.contains("Votazione: All'unanimità") || !text.contains("Decisione. Il tavolo approva") {
        return Err(format!("minutes of the item show: {text}"));
    }
    shot(c, "04-meeting")?;
    // The history of one attendance row, in its own dialog.
    open_dialog_with(d, "//button[@aria-label='Storico Favilla Mauro']")?;
    d.wait_text("dialog[open]", "Creazione")?;
    let close = d.wait_xpath("//dialog[@open]//button[@aria-label='Chiudi']")?;
    d.click(&close)?;
    d.wait_until("the history to close", || Ok(d.all("dialog[open]")?.is_empty().then_some(())))
}

fn dashboard_changes(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/")?;
    d.wait("[data-ready=dashboard]")?;
    let meetings = d.wait_text("#dashboard-meetings", "Palazzo Ducale")?;
    if !d.text(&meetings)?.contains("Seduta n. 1 del") {
        return Err(format!("next meetings: {}", d.text(&meetings)?));
    }
    d.wait_text("#dashboard-recent", "Regolamento comune dei servizi cimiteriali")?;
    shot(c, "05-dashboard-after")
}

fn bad_fiscal_code(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/administrations")?;
    wait_h1(d, "Enti")?;
    open_form(d, "Nuovo ente")?;
    fill(d, "Denominazione", "Comune di Provalandia")?;
    fill(d, "Codice fiscale", "00000000001")?;
    let b = d.wait_xpath("//dialog[@open]//button[@type='submit']")?;
    d.click(&b)?;
    let msg = d.wait_text("dialog[open] .invalid-feedback", "Codice fiscale")?;
    let message = d.text(&msg)?;
    if !message.contains("cifra di controllo") {
        return Err(format!("the message next to the field says «{message}»"));
    }
    // What the user typed is still there, marked invalid.
    let f = field(d, "Codice fiscale")?;
    if d.prop(&f, "value")? != json!("00000000001") || d.attr(&f, "aria-invalid")?.as_deref() != Some("true") {
        return Err("the typed fiscal code was lost or not marked invalid".into());
    }
    if d.prop(&field(d, "Denominazione")?, "value")? != json!("Comune di Provalandia") {
        return Err("the typed name was lost".into());
    }
    shot(c, "06-bad-fiscal-code")?;
    click_button(d, "Annulla")?;
    // Nothing was saved: the directory has no such administration.
    let filter = d.wait("#filter-administration")?;
    d.type_in(&filter, "Provalandia")?;
    d.wait_text("main [role=status]", "0 risultati")?;
    Ok(())
}

fn settings_user_in_history(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    let user = d.wait("#settings-user")?;
    d.clear(&user)?;
    click_button(d, "Salva")?;
    // An empty name is refused, next to the field.
    d.wait_text("#settings-user-error", "Nome dell'utente")?;
    d.type_in(&user, "Maria Rossi")?;
    click_button(d, "Salva")?;
    d.wait_text("header", "Utente: Maria Rossi")?;
    d.go("/people")?;
    wait_h1(d, "Persone")?;
    open_form(d, "Nuova persona")?;
    fill(d, "Nome", "Giulia")?;
    fill(d, "Cognome", "Neri")?;
    submit(d)?;
    wait_h1(d, "Giulia Neri")?;
    d.wait_text("section", "Maria Rossi")?;
    let history = d.wait_xpath("//section[.//h2[normalize-space(.)='Registro delle modifiche']]")?;
    let text = d.text(&history)?;
    if !(text.contains("Creazione") && text.contains("Maria Rossi")) {
        return Err(format!("history shows: {text}"));
    }
    shot(c, "08-settings-history")
}

/// Last: restarts the app with no register (a first start) and opens an empty one.
pub fn first_start(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.wait_text("main h1", "Benvenuto in Raccordo")?;
    d.wait_text("main", "Apri il registro dimostrativo")?;
    shot(c, "09-first-start")?;
    click_button(d, "Crea un registro vuoto")?;
    d.wait("[data-ready=dashboard]")?;
    d.wait_text("main", "Nessun protocollo in scadenza")?;
    // The empty register has the ISTAT directory already.
    d.go("/administrations")?;
    d.wait_text("main [role=status]", "8.124 risultati")?;
    if !d.all(".raccordo-demo-banner")?.is_empty() {
        return Err("the office's register is marked as the demo".into());
    }
    Ok(())
}

const SCREENS: &[(&str, &str)] = &[
    ("Protocolli", "Protocolli"),
    ("Tavoli tematici", "Tavoli tematici"),
    ("Sedute", "Sedute"),
    ("Progetti", "Progetti"),
    ("Enti", "Enti"),
    ("Persone", "Persone"),
    ("Ricerca", "Ricerca"),
    ("Sincronizzazione", "Sincronizzazione"),
    ("Impostazioni", "Impostazioni"),
    ("Cruscotto", "Cruscotto"),
];

fn keyboard_reaches_every_screen(c: &Ctx) -> Res<()> {
    let d = &c.d;
    for (link, title) in SCREENS {
        // From the top of the window, Tab until the section's link has the focus, then Enter.
        d.exec("document.activeElement && document.activeElement.blur(); window.scrollTo({ top: 0, behavior: 'instant' });", vec![])?;
        let mut reached = false;
        for _ in 0..30 {
            d.keys("\u{E004}")?;
            let focused = d.exec(
                "const a = document.activeElement; return a && a.closest('nav.raccordo-nav') ? [a.textContent.trim(), getComputedStyle(a).outlineStyle] : null;",
                vec![],
            )?;
            if focused[0] == json!(link) {
                if focused[1] == json!("none") {
                    return Err(format!("the focus on «{link}» is not visible"));
                }
                reached = true;
                break;
            }
        }
        if !reached {
            return Err(format!("Tab never reached the link «{link}»"));
        }
        d.keys("\u{E007}")?;
        wait_h1(d, title)?;
        settle(d)?;
    }
    shot(c, "07-keyboard")
}

/// Runs axe-core (WCAG 2.1 A and AA rules) in the page and lists what it finds.
fn axe(c: &Ctx, screen: &str) -> Res<Vec<String>> {
    let d = &c.d;
    let loaded = d.exec("return typeof window.axe !== 'undefined';", vec![])?;
    if loaded != json!(true) {
        d.exec(&c.axe, vec![])?;
    }
    let found = d.exec_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
           .then(r => done({ passes: r.passes.length, violations: r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')) }))
           .catch(e => done({ passes: 0, violations: ['axe failed: ' + e] }));",
        vec![],
    )?;
    // A run that checked nothing would pass silently: axe must have applied its rules.
    if found["passes"].as_u64().unwrap_or(0) < 10 {
        return Err(format!("{screen}: axe-core did not run its rules: {found}"));
    }
    Ok(found["violations"]
        .as_array()
        .map(|a| a.iter().map(|v| format!("{screen}: {}", v.as_str().unwrap_or_default())).collect())
        .unwrap_or_default())
}

fn first_link(d: &Driver, list: &str, css: &str) -> Res<String> {
    d.go(list)?;
    settle(d)?;
    let a = d.wait(css)?;
    let href = d.attr(&a, "href")?.ok_or("link without href")?;
    // WebKitWebDriver answers the resolved URL (tauri://localhost#/…): keep the screen's address.
    Ok(href.split_once('#').map(|(_, h)| h).unwrap_or(&href).to_owned())
}

/// A printed document: a PDF and its AGID metadata record beside it.
fn printed(c: &Ctx, starts_with: &str) -> Res<std::path::PathBuf> {
    let d = &c.d;
    d.wait_text(".raccordo-printed", "PDF salvato in")?;
    let found = std::fs::read_dir(&c.documents)
        .map_err(|e| e.to_string())?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with(starts_with) && name.ends_with(".pdf")
        })
        .ok_or(format!("no {starts_with}*.pdf in {}", c.documents.display()))?;
    let bytes = std::fs::read(&found).map_err(|e| e.to_string())?;
    if !bytes.starts_with(b"%PDF-") || bytes.len() < 5000 {
        return Err(format!("{} is not a PDF", found.display()));
    }
    if !found.with_extension("metadati.json").exists() {
        return Err(format!("no metadata record beside {}", found.display()));
    }
    Ok(found)
}

/// Presses a print button; a click lost while the screen re-renders is repeated once.
fn press_print(d: &Driver, label: &str) -> Res<()> {
    for _ in 0..2 {
        click_button(d, label)?;
        for _ in 0..60 {
            let started = d.exec(
                "return !!document.querySelector('.raccordo-printed') || \
                 [...document.querySelectorAll('.raccordo-print [role=status], .raccordo-print [role=alert]')].length > 0;",
                vec![],
            )?;
            if started == Value::Bool(true) {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }
    Err(format!("«{label}» did not start printing"))
}

fn print_documents(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/agreements")?;
    settle(d)?;
    // Opened by its address: clicking into the list is the search scenario's job, and a
    // click that lands while the virtual list re-renders its rows can be lost.
    let link = d.wait_xpath("//table[@id='agreements-table']//a[normalize-space(.)='2007/1']")?;
    let href = d.attr(&link, "href")?.ok_or("the agreement's link has no address")?;
    // WebKitWebDriver gives the resolved address ("tauri://localhost#/agreements/…").
    d.go(href.rsplit('#').next().unwrap_or_default())?;
    wait_h1(d, "n. 2007/1")?;
    settle(d)?;
    press_print(d, "Stampa la scheda del protocollo (PDF)")?;
    let pdf = printed(c, "scheda-protocollo-2007-1")?;
    shot(c, "10-printed")?;

    // The printed PDF is not signed: offered as the signed file, it is refused and not kept.
    let attachments_before =
        d.all("#attachments-title ~ * tbody tr, section[aria-labelledby=attachments-title] tbody tr")?.len();
    let input = d.wait("input[type=file][accept*='p7m']")?;
    d.type_in(&input, &pdf.to_string_lossy())?;
    d.wait_text("[role=alert]", "non contiene firme digitali")?;
    let attachments_after =
        d.all("#attachments-title ~ * tbody tr, section[aria-labelledby=attachments-title] tbody tr")?.len();
    if attachments_after != attachments_before {
        return Err("an unsigned file was kept as an attachment".into());
    }
    shot(c, "11-unsigned-refused")?;

    d.go("/reports")?;
    settle(d)?;
    press_print(d, "Stampa il report delle scadenze (PDF)")?;
    printed(c, "report-azioni-e-impegni-scaduti")?;
    shot(c, "12-report")?;
    Ok(())
}

/// Opens the detail of the agreement numbered `number` from the list, by its address.
fn open_agreement(d: &Driver, number: &str) -> Res<()> {
    d.go("/agreements")?;
    settle(d)?;
    let link = d.wait_xpath(&format!("//table[@id='agreements-table']//a[normalize-space(.)={}]", xq(number)))?;
    let href = d.attr(&link, "href")?.ok_or("the agreement's link has no address")?;
    d.go(href.rsplit('#').next().unwrap_or_default())?;
    wait_h1(d, &format!("n. {number}"))?;
    settle(d)
}

fn close_dialog(d: &Driver) -> Res<()> {
    let b = d.wait_xpath("//dialog[@open]//button[@aria-label='Chiudi' or normalize-space(.)='Chiudi']")?;
    d.click(&b)?;
    d.wait_until("the dialog to close", || Ok(d.all("dialog[open]")?.is_empty().then_some(())))
}

/// A CAdES file by OpenSSL, with no trusted list: amber, "integra, firmatario non
/// verificato", confirmed only under the user's responsibility, which the agreement
/// then shows. A trusted list signed by xmlsec1 imported in Impostazioni after its
/// fingerprint is shown; the same kind of file is then green, its signer verified.
fn signers_and_trusted_list(c: &Ctx) -> Res<()> {
    let d = &c.d;
    let pki = crate::pki::Pki::new();
    // The agreement's sheet as the window prints it, signed with OpenSSL.
    open_agreement(d, NUMBER)?;
    press_print(d, "Stampa la scheda del protocollo (PDF)")?;
    let sheet = std::fs::read(printed(c, "scheda-protocollo-2026-77")?).map_err(|e| e.to_string())?;
    let p7m = c.out.join("protocollo-firmato.pdf.p7m");
    std::fs::write(&p7m, pki.cades("rossi", &sheet, &["-certfile", "ca.pem"])).map_err(|e| e.to_string())?;
    let input = d.wait("input[type=file][accept*='p7m']")?;
    d.type_in(&input, &p7m.to_string_lossy())?;
    d.wait_text("dialog[open] .alert-warning", "Integra, firmatario non verificato")?;
    // The sheet is this agreement's, but Mario Rossi is not among its signatories.
    d.wait_text("dialog[open] #signed-match", "non è tra i firmatari di questo protocollo")?;
    let confirm = button(d, "Conferma sotto la mia responsabilità")?;
    if d.prop(&confirm, "disabled")? != Value::Bool(true) {
        return Err("an unverified signer could be confirmed without taking responsibility".into());
    }
    shot(c, "13-signer-not-verified")?;
    // Bootstrap Italia draws the box on the label, over the input: a person clicks that.
    let tick = d.wait("dialog[open] .form-check label")?;
    d.click(&tick)?;
    d.click(&confirm)?;
    d.wait_text("dialog[open] [role=status]", "Il protocollo è ora vigente")?;
    close_dialog(d)?;
    d.wait_text("main", "sotto la propria responsabilità")?;

    let next = {
        let (y, m, day) = chrono_like_today_plus(120);
        format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
    };
    let tl = c.out.join("elenco-di-fiducia.xml");
    std::fs::write(&tl, pki.trusted_list(12, "2016-07-01T00:00:00Z", &next)).map_err(|e| e.to_string())?;
    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    d.wait_text("#trusted-list-title ~ *, main", "Nessun elenco importato")?;
    let input = d.wait("input[type=file][accept*='xml']")?;
    d.type_in(&input, &tl.to_string_lossy())?;
    d.wait_text("main", "La firma dell'elenco è valida")?;
    shot(c, "14-trusted-list-to-confirm")?;
    click_button(d, "Ho confrontato l'impronta: importa l'elenco")?;
    d.wait_text("main [role=status]", "Elenco di fiducia IT n. 12 importato")?;

    open_agreement(d, "2007/1")?;
    let input = d.wait("input[type=file][accept*='p7m']")?;
    d.type_in(&input, &p7m.to_string_lossy())?;
    d.wait_text("dialog[open] .alert-success", "firmatari verificati")?;
    // Verified, and still not this agreement's sheet: nothing to confirm.
    d.wait_text("dialog[open] #signed-match", "non è la scheda di questo protocollo")?;
    if !d.all("dialog[open] button.btn-primary")?.is_empty() {
        return Err("another agreement's sheet could be confirmed".into());
    }
    shot(c, "15-signer-verified")?;
    close_dialog(d)
}

fn axe_on_every_screen(c: &Ctx) -> Res<()> {
    let d = &c.d;
    let mut screens: Vec<(String, String)> = [
        ("/", "dashboard"),
        ("/agreements", "agreements"),
        ("/tables", "tables"),
        ("/meetings", "meetings"),
        ("/projects", "projects"),
        ("/administrations", "administrations"),
        ("/people", "people"),
        ("/search?q=lucca", "search"),
        ("/settings", "settings"),
        ("/reports", "reports"),
        ("/sync", "sync"),
    ]
    .iter()
    .map(|(p, n)| (p.to_string(), n.to_string()))
    .collect();
    for (list, css, name) in [
        ("/agreements", "#agreements-table tbody a", "agreement"),
        ("/tables", "main tbody a", "table"),
        ("/meetings", "main tbody a", "meeting"),
        ("/projects", "main tbody a", "project"),
        ("/administrations", "main tbody a", "administration"),
        ("/people", "main tbody a", "person"),
    ] {
        screens.push((first_link(d, list, css).map_err(|e| format!("first of {list}: {e}"))?, name.to_owned()));
    }
    let mut violations = Vec::new();
    for (path, name) in &screens {
        d.go(path)?;
        settle(d).map_err(|e| format!("{path}: {e}"))?;
        violations.extend(axe(c, name)?);
        shot(c, &format!("axe-{name}"))?;
    }
    // A form in its dialog, with errors showing.
    d.go("/agreements")?;
    settle(d)?;
    open_form(d, "Nuovo protocollo")?;
    let b = d.wait_xpath("//dialog[@open]//button[@type='submit']")?;
    d.click(&b)?;
    d.wait("dialog[open] .invalid-feedback")?;
    violations.extend(axe(c, "agreement-form-with-errors")?);
    shot(c, "axe-agreement-form")?;
    click_button(d, "Annulla")?;
    if violations.is_empty() { Ok(()) } else { Err(violations.join("\n    ")) }
}

/// The header's sync state, its words (the screenshots show how they look: WebDriver's
/// visible-text rule reads nothing inside a box that clips its overflow).
fn sync_header(d: &Driver) -> Res<String> {
    d.wait("#sync-indicator")?;
    let text = d.exec("return document.querySelector('#sync-indicator').textContent;", vec![])?;
    Ok(text.as_str().unwrap_or_default().to_owned())
}

/// Waits up to 30 s for the header to say what `ok` wants: the background sync runs
/// every few seconds, the window reads its state every two.
fn wait_header(d: &Driver, what: &str, ok: impl Fn(&str) -> bool) -> Res<String> {
    // The header in view, for the screenshots that follow.
    d.exec("window.scrollTo({ top: 0, behavior: 'instant' });", vec![])?;
    let mut last = Err(String::new());
    for _ in 0..3 {
        last = d.wait_until(what, || {
            let text = sync_header(d)?;
            Ok(ok(&text).then_some(text))
        });
        if last.is_ok() {
            break;
        }
    }
    last.map_err(|e| {
        let html = d.exec("return document.querySelector('#sync-indicator')?.outerHTML ?? '';", vec![]);
        format!("{e}; the header says «{}» ({})", sync_header(d).unwrap_or_default(), html.unwrap_or_default())
    })
}

/// The fingerprint of the hub's certificate as OpenSSL reads it ("AB:12:…"), to
/// compare with what the window shows: the check is not the app's own.
fn openssl_fingerprint(cert: &std::path::Path) -> Res<String> {
    let out = std::process::Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(cert)
        .output()
        .map_err(|e| format!("openssl: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim().split('=').nth(1).map(str::to_owned).ok_or(format!("openssl said: {text}"))
}

/// Joins the demo register (the Prefettura's) to a real hub over HTTPS on loopback,
/// after an unreachable address and a wrong code are each explained; a second
/// installation of the Prefettura, changed through raccordo-cli, is the partner.
fn sync_with_a_partner(c: &Ctx) -> Res<()> {
    use crate::support::{Hub, Office};
    let d = &c.d;
    let hub = Hub::start(&[]);
    let partner_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let partner = Office::new(partner_dir.path(), "partner", c.keyring);

    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    if !sync_header(d)?.contains("Solo su questo PC") {
        return Err(format!("before joining the header says «{}»", sync_header(d)?));
    }
    let url = d.wait("#sync-url")?;
    let code = d.wait("#sync-code")?;
    // Nothing listens there: said next to the address, nothing joined.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?;
    d.type_in(&url, &format!("https://127.0.0.1:{}", closed.port()))?;
    d.type_in(&code, "AAAAA-BBBBB-CCCCC")?;
    click_button(d, "Verifica il hub")?;
    d.wait_text("#sync-url-error", "non raggiungibile")?;
    shot(c, "sync-01-unreachable")?;

    // The real hub: its fingerprint shown as OpenSSL reads it; a wrong code refused
    // next to the code, the register still on its own.
    d.clear(&url)?;
    d.type_in(&url, &hub.url)?;
    click_button(d, "Verifica il hub")?;
    let shown = d.text(&d.wait("#sync-fingerprint")?)?;
    let expected = openssl_fingerprint(&hub.cert)?;
    if shown.trim() != expected {
        return Err(format!("the window shows the fingerprint «{shown}», OpenSSL reads «{expected}»"));
    }
    let join = d.wait("#sync-join")?;
    if d.prop(&join, "disabled")? != json!(true) {
        return Err("«Collega il registro» is enabled before the fingerprint is confirmed".into());
    }
    shot(c, "sync-02-fingerprint")?;
    d.click(&d.wait("label[for=sync-trust]")?)?;
    click_button(d, "Collega il registro")?;
    d.wait_text("#sync-code-error", "odice")?;
    shot(c, "sync-03-wrong-code")?;
    if !sync_header(d)?.contains("Solo su questo PC") {
        return Err("a refused code joined the register".into());
    }

    // The right code: joined, the demo register goes up to the hub on its own.
    let right = hub.code_for("Prefettura di Lucca");
    let code = d.wait("#sync-code")?;
    d.clear(&code)?;
    d.type_in(&code, &right)?;
    click_button(d, "Verifica il hub")?;
    d.click(&d.wait("label[for=sync-trust]")?)?;
    click_button(d, "Collega il registro")?;
    d.wait("#sync-joined")?;
    wait_header(d, "the first sync to finish", |t| t.contains("Aggiornato"))?;
    shot(c, "sync-04-joined")?;
    let found = axe(c, "settings-sync")?;
    if !found.is_empty() {
        return Err(format!("axe on the joined settings: {}", found.join("; ")));
    }

    // The partner receives the register, and registers an agreement of its own; the
    // window's agreement list shows it without a restart.
    partner.join(&hub, "Prefettura di Lucca");
    partner.sync();
    let id = partner.add_agreement("2026/901", "Protocollo registrato dal secondo PC");
    let pushed = partner.sync();
    d.go("/agreements")?;
    wait_h1(d, "Protocolli")?;
    d.wait_until("the partner's agreement in the list", || {
        let rows = d.exec("return document.querySelector('#agreements-table')?.textContent ?? '';", vec![])?;
        Ok(rows.as_str().is_some_and(|t| t.contains("Protocollo registrato dal secondo PC")).then_some(()))
    })
    .map_err(|e| {
        let state = d.exec_async(
            "const done = arguments[arguments.length - 1]; window.__TAURI_INTERNALS__.invoke('sync_state', { args: null }).then(done, e => done(String(e)));",
            vec![],
        );
        format!("{e}; the partner's sync said «{}»; the window's sync state: {state:?}", pushed.trim())
    })?;
    shot(c, "sync-05-arrived")?;

    // The same subject changed on both PCs before either saw the other's: one
    // conflict, in the window and at the partner.
    d.go(&format!("/agreements/{id}"))?;
    wait_h1(d, "2026/901")?;
    settle(d)?;
    // Who receives it, and that the last change came from the other PC.
    d.wait_text("#sharing-scope", "Parti")?;
    d.wait_text("#sharing-last-change", "da un altro ufficio")?;
    open_form(d, "Modifica")?;
    fill(d, "Oggetto", "Oggetto scritto in Prefettura")?;
    submit(d)?;
    partner.cli(&["set", "agreement", &id, "subject=Oggetto scritto sul secondo PC"]).expect_ok();
    partner.sync();
    wait_header(d, "the conflict to reach the header", |t| t.contains("1 conflitto"))?;
    shot(c, "sync-06-conflict-header")?;
    // And the desktop was told, once, through its notification service.
    d.wait_until("the conflict's desktop notification", || {
        let said = c.notifications.seen();
        Ok(said.iter().any(|(title, body)| title.contains("conflitti") && body.contains("1 conflitto")).then_some(()))
    })
    .map_err(|e| format!("{e}; notified: {:?}", c.notifications.seen()))?;

    d.go("/sync")?;
    wait_h1(d, "Sincronizzazione")?;
    settle(d)?;
    let card = d.wait(".raccordo-conflict")?;
    let text = d.text(&card)?;
    for needed in ["Oggetto", "Oggetto scritto in Prefettura", "Oggetto scritto sul secondo PC", "questo computer"] {
        if !text.contains(needed) {
            return Err(format!("the conflict does not show «{needed}»: {text}"));
        }
    }
    let found = axe(c, "sync-conflict")?;
    if !found.is_empty() {
        return Err(format!("axe on the conflicts: {}", found.join("; ")));
    }
    shot(c, "sync-07-conflict")?;
    let typed = d.wait(".raccordo-conflict input")?;
    d.type_in(&typed, "Oggetto concordato tra i due uffici")?;
    click_button(d, "Usa questo valore")?;
    d.wait_text("main", "Conflitto risolto")?;
    d.wait_text("main", "Nessun conflitto in attesa")?;
    wait_header(d, "the resolution to be sent", |t| t.contains("Aggiornato") && !t.contains("conflitt"))?;
    shot(c, "sync-08-resolved")?;

    // The agreement's history keeps the conflict: both values, the typed one, who.
    d.go(&format!("/agreements/{id}"))?;
    wait_h1(d, "2026/901")?;
    settle(d)?;
    let told = d.text(&d.wait_text("#record-conflicts", "Risolto")?)?;
    for needed in [
        "Oggetto scritto in Prefettura",
        "Oggetto scritto sul secondo PC",
        "scritto un altro valore «Oggetto concordato tra i due uffici»",
        "questo computer",
    ] {
        if !told.contains(needed) {
            return Err(format!("the agreement's history does not tell «{needed}»: {told}"));
        }
    }
    d.exec(
        "document.querySelector('#history-title').scrollIntoView({ behavior: 'instant', block: 'start' });",
        vec![],
    )?;
    shot(c, "sync-08b-history-of-the-conflict")?;

    // The Prefettura's own agreement widened to the whole network from the window,
    // after a confirmation that says who gains it; the partner receives the new scope.
    let own = partner
        .cli(&["list", "agreements"])
        .expect_ok()
        .lines()
        .find(|l| l.contains(NUMBER))
        .and_then(|l| l.split('\t').next())
        .map(str::to_owned)
        .ok_or(format!("the partner has no {NUMBER}"))?;
    d.go(&format!("/agreements/{own}"))?;
    wait_h1(d, NUMBER)?;
    settle(d)?;
    let option = d.wait("#sharing-choice option[value=rete]")?;
    d.click(&option)?;
    open_dialog_with(d, "//button[@id='sharing-change']")?;
    d.wait_text("#sharing-consequence", "tutti gli altri uffici del hub")?;
    shot(c, "sync-09-sharing-confirm")?;
    let found = axe(c, "sharing-dialog")?;
    if !found.is_empty() {
        return Err(format!("axe on the sharing dialog: {}", found.join("; ")));
    }
    click_button(d, "Cambia")?;
    d.wait_text("#sharing-scope", "Rete")?;
    d.wait_text("#sharing-last-change", "su questo computer")?;
    shot(c, "sync-10-shared-with-the-network")?;
    wait_header(d, "the new scope to be sent", |t| t.contains("Aggiornato"))?;

    // The resolution and the scope reach the partner (its syncs repeated until the
    // window's background sync has sent them): no conflict there, the same subject,
    // the whole network.
    let show = |id: &str| -> Res<Value> {
        serde_json::from_str(&partner.cli(&["show", "agreement", id]).expect_ok()).map_err(|e| e.to_string())
    };
    let mut seen = (Value::Null, Value::Null);
    for _ in 0..40 {
        partner.sync();
        seen = (show(&id)?["subject"].clone(), show(&own)?["scope"].clone());
        if seen == (json!("Oggetto concordato tra i due uffici"), json!("rete")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    if seen != (json!("Oggetto concordato tra i due uffici"), json!("rete")) {
        return Err(format!(
            "after 20 s the partner holds the subject {} and, for {NUMBER}, the scope {}",
            seen.0, seen.1
        ));
    }
    let left = partner.conflicts();
    if !left.is_empty() {
        return Err(format!("the partner still lists {left:?}"));
    }
    read_only_once_no_longer_shared(c, &hub)
}

/// Another office's agreement with the Prefettura as a party reaches the window; its
/// scope is that office's to change, and once narrowed to *privato* the window marks
/// the copy read-only and offers no edits, on it or on the records under it.
fn read_only_once_no_longer_shared(c: &Ctx, hub: &crate::support::Hub) -> Res<()> {
    use crate::support::Office;
    let d = &c.d;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let provincia = Office::new(dir.path(), "provincia", c.keyring);
    provincia.cli(&["list", "agreements"]).expect_ok();
    provincia.join(hub, "Provincia di Lucca");
    provincia.sync();
    let id = provincia.add_agreement("PROV/12", "Protocollo della Provincia con la Prefettura");
    provincia.add_party(&id, &provincia.administration("Prefettura di Lucca"));
    provincia.sync();

    // It arrives; the scope is the Provincia's to decide.
    d.go(&format!("/agreements/{id}"))?;
    d.wait_until("the Provincia's agreement to arrive", || {
        let title = d.exec("return document.querySelector('main h1')?.textContent ?? '';", vec![])?;
        if title.as_str().is_some_and(|t| t.contains("PROV/12")) {
            return Ok(Some(()));
        }
        d.go(&format!("/agreements/{id}"))?;
        Ok(None)
    })?;
    settle(d)?;
    d.wait_text("#sharing", "Solo l'ufficio che l'ha registrato (Provincia di Lucca)")?;
    button(d, "Modifica")?;

    // Narrowed by the Provincia: the window's copy becomes read-only.
    provincia.cli(&["share", "PROV/12", "privato"]).expect_ok();
    provincia.sync();
    d.wait_until("the copy to be marked no longer shared", || {
        let notice = d.exec("return !!document.querySelector('#unshared-notice');", vec![])?;
        if notice == json!(true) {
            return Ok(Some(()));
        }
        d.go("/agreements")?;
        d.go(&format!("/agreements/{id}"))?;
        Ok(None)
    })?;
    settle(d)?;
    let offered = d.exec(
        "return [...document.querySelectorAll('main button')].map(b => b.textContent.trim())\
           .filter(t => /^(Modifica|Elimina|Aggiungi)/.test(t));",
        vec![],
    )?;
    if offered != json!([]) {
        return Err(format!("a read-only copy still offers {offered}"));
    }
    shot(c, "sync-11-no-longer-shared")?;
    let found = axe(c, "unshared-agreement")?;
    if !found.is_empty() {
        return Err(format!("axe on the read-only copy: {}", found.join("; ")));
    }
    Ok(())
}

/// Impostazioni › Copia di sicurezza: the daily copy made by itself (the window test
/// sets it a few seconds after start), a folder that is no full path refused next to
/// the field, another folder chosen, a copy made now, a change made afterwards by
/// `raccordo-cli` on the same file, then the copy restored: the change is gone, the
/// register is a new installation, and the register as it was is kept aside.
fn backups(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    settle(d)?;
    d.wait_text("#backup-daily", "Ultima copia automatica")?;
    d.wait_text("#backup-copies", "giornaliera del")?;

    let folder = d.wait("#backup-folder")?;
    d.clear(&folder)?;
    d.type_in(&folder, "copie")?;
    click_button(d, "Usa questa cartella")?;
    d.wait_text("#backup-folder-error", "percorso completo")?;
    let usb = tempfile::tempdir().map_err(|e| e.to_string())?;
    let chosen = usb.path().join("CHIAVETTA").join("copie");
    d.clear(&folder)?;
    d.type_in(&folder, &chosen.to_string_lossy())?;
    click_button(d, "Usa questa cartella")?;
    d.wait_text("#backup-done", "Le copie vanno ora in")?;
    click_button(d, "Fai una copia ora")?;
    d.wait_text("#backup-done", "integra")?;
    d.wait_text("#backup-copies", "fatta a mano")?;
    let made: Vec<_> = std::fs::read_dir(&chosen).map_err(|e| e.to_string())?.filter_map(|e| e.ok()).collect();
    if made.len() != 1 {
        return Err(format!("the chosen folder holds {} files", made.len()));
    }
    shot(c, "backup-01-copy-made")?;

    // A change after the copy, by another program on the same file.
    let file = register_file(d)?;
    let site_before = d.exec(
        "return document.querySelectorAll('[aria-labelledby=register-file-title] code')[1].textContent;",
        vec![],
    )?;
    let first = first_id(&cli_on(&file, &["list", "agreements"])?).ok_or("no agreement listed")?;
    cli_on(&file, &["set", "agreement", &first, "subject=Scritto dopo la copia"])?;

    open_dialog_with(d, "//button[starts-with(@aria-label, 'Ripristina la copia')]")?;
    d.wait_text("#backup-restore-consequence", "nuova installazione")?;
    let found = axe(c, "backup-restore-dialog")?;
    if !found.is_empty() {
        return Err(format!("axe on the restore dialog: {}", found.join("; ")));
    }
    shot(c, "backup-02-restore-confirm")?;
    d.click(&d.wait("#backup-restore-confirm")?)?;
    d.wait_text("#backup-done", "Copia ripristinata")?;
    shot(c, "backup-03-restored")?;
    if cli_on(&file, &["show", "agreement", &first])?.contains("Scritto dopo la copia") {
        return Err("the change made after the copy is still there".into());
    }
    d.wait_until("a new installation shown", || {
        let site = d.exec(
            "return document.querySelectorAll('[aria-labelledby=register-file-title] code')[1].textContent;",
            vec![],
        )?;
        Ok((site != site_before).then_some(()))
    })?;
    let dir = std::path::Path::new(&file).parent().ok_or("no folder")?;
    let aside = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok())
        .any(|e| e.file_name().to_string_lossy().contains("prima-del-ripristino"));
    if !aside {
        return Err("the register as it was was not kept aside".into());
    }
    Ok(())
}

/// What a reader nobody here wrote makes of a file the window saved: `script` in
/// tests/tools (Python's icalendar, csv, openpyxl) prints it as JSON.
fn read_with(script: &str, path: &str) -> Res<Value> {
    let root = crate::harness::root();
    let out = std::process::Command::new(root.join("target/tools/py/bin/python"))
        .arg(root.join("tests/tools").join(script))
        .arg(path)
        .output()
        .map_err(|e| format!("target/tools/py (scripts/install-deps): {e}"))?;
    if !out.status.success() {
        return Err(format!("{script} refused {path}: {}", String::from_utf8_lossy(&out.stderr)));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())
}

fn read_calendar(path: &str) -> Res<Value> {
    read_with("ics_read.py", path)
}

/// The calendar of everything ahead from the dashboard, and one meeting's from its
/// screen, saved (the save dialog answered by RACCORDO_DOCUMENTS_DIR) and read back by
/// an iCalendar parser nobody here wrote.
fn calendars(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/")?;
    wait_h1(d, "Cruscotto")?;
    settle(d)?;
    d.click(&d.wait("#dashboard-calendar")?)?;
    let saved = d.text(&d.wait(".raccordo-exported code")?)?;
    let all = read_calendar(&saved)?;
    let events = all["events"].as_array().cloned().unwrap_or_default();
    if !events.iter().any(|e| e["summary"].as_str().is_some_and(|s| s.starts_with("Seduta n."))) {
        return Err(format!("no meeting in the calendar of everything ahead: {all}"));
    }
    let meeting = d.wait("#dashboard-meetings a")?;
    let title = d.text(&meeting)?;
    d.click(&meeting)?;
    wait_h1(d, "Seduta")?;
    settle(d)?;
    d.click(&d.wait("#meeting-calendar")?)?;
    d.wait_text(".raccordo-exported", "Calendario salvato")?;
    let saved = d.text(&d.wait(".raccordo-exported code")?)?;
    let one = read_calendar(&saved)?;
    let events = one["events"].as_array().cloned().unwrap_or_default();
    let number = title.split_whitespace().nth(2).unwrap_or_default();
    if events.len() != 1 || !events[0]["summary"].as_str().is_some_and(|s| s.contains(&format!("n. {number}"))) {
        return Err(format!("the meeting's calendar holds {one}"));
    }
    if events[0]["start"]["tz"] != "Europe/Rome" {
        return Err(format!("the meeting is not at a Rome time: {}", events[0]["start"]));
    }
    shot(c, "calendar-01-meeting-saved")?;
    Ok(())
}

/// The agreement list filtered to those in force, exported both ways from its screen
/// (the save dialog answered by RACCORDO_DOCUMENTS_DIR), read back by Python's csv and
/// openpyxl: as many rows as the list counts, each in force.
fn spreadsheets(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.go("/agreements")?;
    wait_h1(d, "Protocolli")?;
    settle(d)?;
    let before = d.exec("return document.getElementById('agreements-count').textContent;", vec![])?;
    d.click(&d.wait("#f-status")?)?;
    d.click(&d.wait("#f-status option[value=vigente]")?)?;
    d.wait_until("the list filtered", || {
        let t = d.exec("return document.getElementById('agreements-count').textContent;", vec![])?;
        Ok(t.as_str().filter(|t| !t.contains("Caricamento") && Some(*t) != before.as_str()).map(str::to_owned))
    })?;
    settle(d)?;
    let counted = d.exec("return document.getElementById('agreements-count').textContent;", vec![])?;
    let counted: usize = counted
        .as_str()
        .and_then(|t| t.split_whitespace().next())
        .and_then(|n| n.replace('.', "").parse().ok())
        .ok_or(format!("no count in «{counted}»"))?;
    for (button, file_end) in [("#export-agreements-csv", ".csv"), ("#export-agreements-xlsx", ".xlsx")] {
        d.click(&d.wait(button)?)?;
        let saved = d.wait_until("the file saved", || {
            let t = d.exec(
                &format!("return [...document.querySelectorAll('#export-agreements .raccordo-exported code')].map(c => c.textContent).find(t => t.endsWith('{file_end}')) ?? null;"),
                vec![],
            )?;
            Ok(t.as_str().map(str::to_owned))
        })?;
        let read = read_with("sheet_read.py", &saved)?;
        let rows = read["rows"].as_array().cloned().unwrap_or_default();
        if rows.len() != counted + 1 || rows.iter().skip(1).any(|r| r[3] != "Vigente") {
            return Err(format!("{saved}: {} rows for {counted} agreements in force: {read}", rows.len()));
        }
    }
    shot(c, "export-01-agreements")?;

    // The open data need the publisher's IPA or fiscal code, which the demo's
    // Prefettura lacks: said, and nothing written.
    d.go("/reports")?;
    wait_h1(d, "Report")?;
    settle(d)?;
    d.click(&d.wait("#opendata-export")?)?;
    d.wait_text("section[aria-labelledby=report-opendata-title] [role=alert]", "codice IPA")?;
    if c.documents.join("accordi.csv").exists() {
        return Err("open data written for a publisher without a code".into());
    }
    // The actions, which have no list screen of their own, from Report.
    d.click(&d.wait("#export-actions-xlsx")?)?;
    let saved = d.text(&d.wait("#export-actions .raccordo-exported code")?)?;
    let read = read_with("sheet_read.py", &saved)?;
    if read["sheet"] != "Azioni"
        || read["rows"][0][0] != "Azione"
        || read["rows"].as_array().is_none_or(|r| r.len() < 2)
    {
        return Err(format!("the actions' workbook holds {read}"));
    }
    d.go("/agreements")?;
    wait_h1(d, "Protocolli")?;
    settle(d)?;
    // The list keeps its filters while the window is open: back to every agreement.
    d.click(&d.wait("#f-status")?)?;
    d.click(&d.wait("#f-status option[value='']")?)?;
    d.wait_until("the filter off", || {
        let t = d.exec("return document.getElementById('agreements-count').textContent;", vec![])?;
        Ok((t == before).then_some(()))
    })?;
    Ok(())
}

/// A spreadsheet written by openpyxl (tests/tools/sheet_write.py) for `spec`, at `path`.
fn write_sheet(path: &std::path::Path, spec: &Value) -> Res<()> {
    use std::io::Write;
    let root = crate::harness::root();
    let mut child = std::process::Command::new(root.join("target/tools/py/bin/python"))
        .arg(root.join("tests/tools/sheet_write.py"))
        .arg(path)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("target/tools/py (scripts/install-deps): {e}"))?;
    child.stdin.take().ok_or("no stdin")?.write_all(spec.to_string().as_bytes()).map_err(|e| e.to_string())?;
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("sheet_write.py {}: {status}", path.display()));
    }
    Ok(())
}

/// `raccordo-cli --db FILE ARGS…`, another program on the register the window has open:
/// what it printed, or why it failed.
fn cli_on(file: &str, args: &[&str]) -> Res<String> {
    let out = std::process::Command::new(crate::support::cli_bin())
        .arg("--db")
        .arg(file)
        .args(args)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("raccordo-cli {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr)));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The id of the first record `raccordo-cli list` or `search` printed.
fn first_id(printed: &str) -> Option<String> {
    printed.lines().next().and_then(|l| l.split('\t').next()).map(str::to_owned)
}

/// The register file the window has open, as Impostazioni shows it.
fn register_file(d: &Driver) -> Res<String> {
    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    let file =
        d.exec("return document.querySelector('[aria-labelledby=register-file-title] code').textContent;", vec![])?;
    Ok(file.as_str().ok_or("no register file shown")?.to_owned())
}

/// An office's list of agreements from openpyxl: checked first with nothing written,
/// one row refused with the closest names for its party, then the good row imported
/// and in the list. Then the IPA list of bodies: the Comune di Lucca completed, a new
/// body added, and a body typed by hand (by raccordo-cli, meanwhile) offered for
/// merging and merged.
fn imports(c: &Ctx) -> Res<()> {
    let d = &c.d;
    let sheet = c.out.join("protocolli-ufficio.xlsx");
    write_sheet(
        &sheet,
        &json!({
            "heads": ["Numero", "Oggetto", "Stato", "Parti", "Sottoscritto il"],
            "rows": [
                ["IMP/1", "Sportello unico associato della Piana", "Vigente", "Comune di Lucca; Comune di Capannori", {"date": "2021-02-01"}],
                ["IMP/2", "Rete bibliotecaria", "Bozza", "Comune di Luca", null],
            ],
        }),
    )?;
    d.go("/agreements")?;
    wait_h1(d, "Protocolli")?;
    settle(d)?;
    d.click(&d.wait("#import-agreements")?)?;
    let input = d.wait("dialog[open] input[type=file]")?;
    d.type_in(&input, &sheet.to_string_lossy())?;
    d.wait_text("#import-outcome", "1 riga si può importare, 1 è rifiutata")?;
    d.wait_text("#import-refused", "Ente «Comune di Luca» non trovato; i più vicini: Comune di Lucca")?;
    let found = axe(c, "import-agreements-dialog")?;
    if !found.is_empty() {
        return Err(found.join("\n"));
    }
    shot(c, "import-01-agreements-checked")?;
    d.click(&d.wait("#import-good")?)?;
    d.wait_text("#import-outcome", "1 protocollo importato nel registro")?;
    shot(c, "import-02-good-row-imported")?;
    close_dialog(d)?;
    let search = d.wait("#f-text")?;
    d.type_in(&search, "Sportello unico associato")?;
    d.wait_text("main table", "IMP/1")?;
    d.clear(&search)?;

    let file = register_file(d)?;
    cli_on(&file, &["add", "administration", "name=Azienda USL Toscana Nord-Ovest", "kind=altro", "source=typed"])?;
    let enti = c.out.join("enti.csv");
    std::fs::write(
        &enti,
        "Codice_IPA,Denominazione_ente,Codice_fiscale_ente,Tipologia,Codice_Categoria,Codice_comune_ISTAT,Mail1,Tipo_Mail1,Sito_istituzionale,Data_aggiornamento\n\
         c_e715,Comune di Lucca,00378210462,Pubbliche Amministrazioni,L6,046017,comune.lucca@postacert.toscana.it,Pec,www.comune.lucca.it,2026-11-30\n\
         asl_tno,Azienda USL Toscana nord ovest,02198590503,Pubbliche Amministrazioni,L7,050026,direzione.uslnordovest@postacert.toscana.it,Pec,,2026-09-15\n",
    )
    .map_err(|e| e.to_string())?;
    d.go("/administrations")?;
    wait_h1(d, "Enti")?;
    settle(d)?;
    d.click(&d.wait("#import-ipa")?)?;
    let input = d.wait("dialog[open] input[type=file]")?;
    d.type_in(&input, &enti.to_string_lossy())?;
    d.wait_text("#ipa-outcome", "1 ente da aggiungere, 1 da completare")?;
    d.wait_text("#ipa-outcome", "Nulla è stato ancora scritto")?;
    d.click(&d.wait("#ipa-confirm")?)?;
    d.wait_text("#ipa-outcome", "1 ente aggiunto, 1 completato")?;
    d.wait_text("dialog[open]", "Azienda USL Toscana Nord-Ovest (inserito a mano)")?;
    let found = axe(c, "import-ipa-dialog")?;
    if !found.is_empty() {
        return Err(found.join("\n"));
    }
    shot(c, "import-03-ipa-imported")?;
    d.click(&d.wait_xpath("//dialog[@open]//button[normalize-space(.)='Unisci']")?)?;
    d.click(&d.wait("#ipa-combine-confirm")?)?;
    d.wait_text("dialog[open] [role=status]", "è ora «Azienda USL Toscana nord ovest»")?;
    close_dialog(d)?;
    let lucca =
        first_id(&cli_on(&file, &["search", "c_e715"])?).ok_or("the Comune di Lucca not found by its IPA code")?;
    d.go(&format!("/administrations/{lucca}"))?;
    wait_h1(d, "Comune di Lucca")?;
    d.wait_text("main", "Completato dall'Indice PA")?;
    d.wait_text("main", "00378210462")?;
    Ok(())
}

/// The reminders of the day: told through the desktop's notifications by the daily jobs
/// (a few seconds after start in the window tests), listed in Impostazioni › Promemoria,
/// where a kind turned off leaves the list.
fn reminders(c: &Ctx) -> Res<()> {
    let d = &c.d;
    d.wait_until("the reminders told", || {
        let told = c.notifications.seen();
        Ok(told
            .iter()
            .any(|(title, body)| title.contains("promemoria") && body.contains("Il protocollo 2016/4 scade"))
            .then_some(()))
    })
    .map_err(|e| format!("{e}; notified: {:?}", c.notifications.seen()))?;
    d.go("/settings")?;
    wait_h1(d, "Impostazioni")?;
    settle(d)?;
    d.wait_text("#reminders-today", "Il protocollo 2016/4 scade")?;
    d.exec(
        "document.querySelector('#reminders-section-title').scrollIntoView({ behavior: 'instant', block: 'start' });",
        vec![],
    )?;
    shot(c, "reminders-01-settings")?;
    d.click(&d.wait("label[for=reminders-expiries]")?)?;
    d.wait_until("the expiries off the list", || {
        let t = d.exec("return document.querySelector('#reminders')?.textContent ?? '';", vec![])?;
        Ok(t.as_str().is_some_and(|t| !t.contains("Il protocollo 2016/4 scade")).then_some(()))
    })?;
    d.click(&d.wait("label[for=reminders-expiries]")?)?;
    d.wait_text("#reminders-today", "Il protocollo 2016/4 scade")?;
    Ok(())
}
