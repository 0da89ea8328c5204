//! A table as CSV that Italian Excel and LibreOffice open as they are: UTF-8 with a
//! byte order mark (so Excel reads it as UTF-8), `;` between fields (Italian Excel's
//! list separator, since the comma is the decimal one), CRLF lines. With the Italian
//! form (the default) dates are `gg/mm/aaaa` and amounts `1234,56`; with the ISO form
//! `aaaa-mm-gg` and `1234.56`, for scripts.
//!
//! A text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`)
//! is written with a leading apostrophe, as OWASP advises for exports: an agreement's
//! subject must never become a formula on an official's PC.

use crate::table::{Cell, Table};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Form {
    /// `gg/mm/aaaa`, `1234,56`.
    #[default]
    Italian,
    /// `aaaa-mm-gg`, `1234.56`.
    Iso,
}

fn field(out: &mut String, text: &str) {
    let guarded = text.starts_with(['=', '+', '-', '@']);
    if guarded || text.contains([';', '"', '\n', '\r']) {
        out.push('"');
        if guarded {
            out.push('\'');
        }
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

fn cell(c: &Cell, form: Form) -> String {
    match (c, form) {
        (Cell::Text(t), _) => t.clone(),
        (Cell::Date(d), Form::Italian) => d.format("%d/%m/%Y").to_string(),
        (Cell::Date(d), Form::Iso) => d.to_string(),
        (Cell::Time(t), _) => t.format("%H:%M").to_string(),
        (Cell::Cents(c), form) => {
            let sign = if *c < 0 { "-" } else { "" };
            let sep = if form == Form::Italian { ',' } else { '.' };
            format!("{sign}{}{sep}{:02}", c.unsigned_abs() / 100, c.unsigned_abs() % 100)
        }
        (Cell::Int(n), _) => n.to_string(),
        (Cell::Empty, _) => String::new(),
    }
}

/// The table as the bytes of a CSV file.
pub fn write(t: &Table, form: Form) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let line = |out: &mut String, fields: &mut dyn Iterator<Item = String>| {
        for (i, f) in fields.enumerate() {
            if i > 0 {
                out.push(';');
            }
            field(out, &f);
        }
        out.push_str("\r\n");
    };
    line(&mut out, &mut t.heads.iter().map(|h| h.to_string()));
    for row in &t.rows {
        line(&mut out, &mut row.iter().map(|c| cell(c, form)));
    }
    out.into_bytes()
}
