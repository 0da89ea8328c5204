//! `show`, `add`, `set` and `delete`: any record of the register from a script, through
//! the same checks as the window and with the same Italian errors. Fields are given as
//! `FIELD=TEXT` (the text as it is) or `FIELD:=JSON` (a number, a list, `null`), so that
//! a register number like `2007/12` is never mistaken for a number.

use raccordo_register::db::{Fields, rows};
use raccordo_register::{Error, Kind, Record, Register, Result, Scope, dispatch_kind};
use serde_json::Value;
use uuid::Uuid;

/// A kind named as its table (`agreement`, `party`…).
pub fn kind(name: &str) -> Result<Kind> {
    Kind::from_table(name).ok_or_else(|| {
        let all: Vec<&str> = Kind::ALL.iter().map(|k| k.table()).collect();
        Error::bad_request(format!("Tipo di record sconosciuto «{name}»: i tipi sono {}.", all.join(", ")))
    })
}

pub fn id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim())
        .map_err(|_| Error::bad_request(format!("«{text}» non è un identificativo (UUID) di record.")))
}

/// The fields given on the command line.
pub fn fields(pairs: &[String]) -> Result<Fields> {
    let mut out = Fields::new();
    for pair in pairs {
        let (name, value) = if let Some((name, json)) = pair.split_once(":=") {
            let value = serde_json::from_str(json)
                .map_err(|_| Error::bad_request(format!("{name}: «{json}» non è un valore JSON valido.")))?;
            (name, value)
        } else if let Some((name, text)) = pair.split_once('=') {
            (name, Value::String(text.to_owned()))
        } else {
            return Err(Error::bad_request(format!("«{pair}»: scrivi CAMPO=TESTO o CAMPO:=JSON.")));
        };
        let name = name.trim();
        if name.is_empty() || name == "id" {
            return Err(Error::bad_request(format!("«{pair}»: indica un campo del record (l'id non si cambia).")));
        }
        out.insert(name.to_owned(), value);
    }
    Ok(out)
}

/// The record as stored, as JSON.
pub fn show(reg: &Register, kind: Kind, id: Uuid) -> Result<String> {
    let fields = reg.reader().get_fields(kind, id)?.ok_or_else(|| Error::not_found(kind.label()))?;
    Ok(serde_json::to_string_pretty(&fields)?)
}

/// Creates a record of `kind` with `given`; returns its id.
pub fn add(reg: &mut Register, kind: Kind, mut given: Fields) -> Result<Uuid> {
    let id = raccordo_register::ids::new_id();
    let names: Vec<String> = given.keys().cloned().collect();
    given.insert("id".into(), Value::String(id.to_string()));
    dispatch_kind!(kind, T => {
        let rec: T = typed(kind, given, &names)?;
        reg.create(rec)?;
    });
    Ok(id)
}

/// Changes the fields `given` of a record.
pub fn set(reg: &mut Register, kind: Kind, id: Uuid, given: Fields) -> Result<()> {
    let mut fields = reg.reader().get_fields(kind, id)?.ok_or_else(|| Error::not_found(kind.label()))?;
    let names: Vec<String> = given.keys().cloned().collect();
    fields.extend(given);
    dispatch_kind!(kind, T => {
        let rec: T = typed(kind, fields, &names)?;
        reg.update(rec)?;
    });
    Ok(())
}

/// `share TARGET SCOPE`: an agreement by number or id, or a project by id.
pub fn share(reg: &mut Register, target: &str, scope: &str) -> Result<String> {
    let scope = Scope::parse(scope.trim())
        .ok_or_else(|| Error::bad_request(format!("Condivisione sconosciuta «{scope}»: privato, parti o rete.")))?;
    let by_number: Option<Uuid> =
        reg.reader().query_one("SELECT id FROM agreement WHERE number = ?1", [target.trim()])?;
    let (kind, id) = match by_number {
        Some(id) => (Kind::Agreement, id),
        None => {
            let id = Uuid::parse_str(target.trim()).map_err(|_| {
                Error::bad_request(format!("Nessun protocollo con numero «{target}», e non è un identificativo."))
            })?;
            let is_project = reg.reader().exists(Kind::Project, id)?;
            (if is_project { Kind::Project } else { Kind::Agreement }, id)
        }
    };
    let before = reg.set_scope(kind, id, scope)?;
    let what = format!(
        "{} {}",
        kind.label(),
        raccordo_register::title_of(&reg.reader(), kind, id)?.unwrap_or_else(|| id.to_string())
    );
    Ok(if before == scope {
        format!("{what}: condivisione già «{}» ({}).", scope.label(), scope.explained())
    } else {
        format!("{what}: condivisione «{}», era «{}»: {}.", scope.label(), before.label(), scope.explained())
    })
}

/// The record of `kind` these fields make, or what is wrong with them, in Italian.
fn typed<T: Record>(kind: Kind, fields: Fields, given: &[String]) -> Result<T> {
    let rec: T = rows::from_fields(fields).map_err(|e| Error::bad_request(explain(kind, &e.message)))?;
    let known = rows::to_fields(&rec)?;
    if let Some(unknown) = given.iter().find(|g| !known.contains_key(g.as_str())) {
        let names: Vec<&str> = known.keys().map(String::as_str).filter(|k| *k != "id").collect();
        return Err(Error::bad_request(format!(
            "{}: il campo «{unknown}» non esiste; i campi sono {}.",
            kind.label(),
            names.join(", ")
        )));
    }
    Ok(rec)
}

/// serde's words about a record that does not fit, as a person reads them.
fn explain(kind: Kind, serde_message: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).unwrap_or("").to_owned();
    let what = if serde_message.contains("missing field") {
        format!("manca il campo «{}»", quoted(serde_message))
    } else if serde_message.contains("unknown variant") {
        let allowed = serde_message.split("expected ").nth(1).unwrap_or("").replace('`', "");
        format!("il valore «{}» non è ammesso (ammessi: {allowed})", quoted(serde_message))
    } else if serde_message.contains("invalid type") {
        "un campo ha un valore del tipo sbagliato (un numero dove va un testo, o il contrario: \
         per numeri ed elenchi usa CAMPO:=JSON)"
            .to_owned()
    } else {
        "un valore non è leggibile (le date si scrivono AAAA-MM-GG, gli identificativi come UUID)".to_owned()
    };
    format!("{}: {what}.", kind.label())
}
