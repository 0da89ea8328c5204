//! Spreadsheets read: a CSV file as Excel, LibreOffice or another program writes it
//! (`;`, `,` or tab between fields; UTF-8 with or without its BOM, or the Windows-1252
//! Italian Excel saves in) or a workbook (xlsx, xls, ods: its first sheet), as rows of
//! typed cells under the column heads of its first row that is not empty. Nothing
//! here knows what the columns mean (`import`, `ipa`).

use crate::table::Cell;
use chrono::NaiveDate;
use raccordo_register::directory::fold;
use raccordo_register::{Error, Result};

/// The largest file read: a list of 100,000 agreements is about 20 MB as CSV.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// The most a workbook's parts may hold once uncompressed: that 100k list as xlsx is
/// 6.5 MB, 47 MB of XML. A "zip bomb" (gigabytes of XML in a few kilobytes)
/// is refused before anything is decompressed.
pub const MAX_EXPANDED: u64 = 1024 * 1024 * 1024;

/// One sheet: the heads of its columns and the rows under them.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub heads: Vec<String>,
    pub rows: Vec<Row>,
}

/// A row with the number the spreadsheet shows it under (the head is 1, usually).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, column: usize) -> &Cell {
        self.cells.get(column).unwrap_or(&Cell::Empty)
    }
}

/// Which column of a sheet each column a reader knows is, found by its heads compared
/// folded (case, accents and punctuation do not count: «Data di sottoscrizione» is
/// `data_di_sottoscrizione`). Of a head repeated, the first counts.
pub struct Columns<C> {
    at: Vec<(C, usize)>,
    heads: Vec<String>,
    /// Heads no column has, as the file spells them (a repeated one marked so).
    pub ignored: Vec<String>,
}

impl<C: Copy + PartialEq> Columns<C> {
    /// `known`: each column with the heads it may have.
    pub fn find(sheet: &Sheet, known: &[(C, &[&str])]) -> Columns<C> {
        let mut at: Vec<(C, usize)> = Vec::new();
        let mut ignored = Vec::new();
        for (i, head) in sheet.heads.iter().enumerate() {
            let folded = fold(head);
            match known.iter().find(|(_, heads)| heads.iter().any(|h| fold(h) == folded)) {
                Some((c, _)) if !at.iter().any(|(seen, _)| seen == c) => at.push((*c, i)),
                Some(_) => ignored.push(format!("{head} (ripetuta)")),
                None if head.trim().is_empty() => {}
                None => ignored.push(head.clone()),
            }
        }
        Columns { at, heads: sheet.heads.clone(), ignored }
    }

    fn index(&self, column: C) -> Option<usize> {
        self.at.iter().find(|(c, _)| *c == column).map(|(_, i)| *i)
    }

    pub fn has(&self, column: C) -> bool {
        self.index(column).is_some()
    }

    /// The column's head as the file spells it, for messages.
    pub fn head(&self, column: C) -> Option<&str> {
        self.index(column).map(|i| self.heads[i].as_str())
    }

    pub fn cell<'r>(&self, row: &'r Row, column: C) -> &'r Cell {
        self.index(column).map_or(&Cell::Empty, |i| row.cell(i))
    }

    pub fn text(&self, row: &Row, column: C) -> Option<String> {
        cell_text(self.cell(row, column))
    }
}

/// Reads `bytes`, a file called `file_name`: its content says whether it is a workbook
/// (a zip for xlsx and ods, an OLE file for xls), its name is only for messages.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<Sheet> {
    if bytes.len() > MAX_BYTES {
        return Err(Error::bad_request(format!(
            "{file_name}: il file è di {} MB, oltre il massimo di {} MB.",
            bytes.len() / (1024 * 1024),
            MAX_BYTES / (1024 * 1024)
        )));
    }
    let rows = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        workbook(file_name, bytes)?
    } else {
        csv_rows(file_name, bytes)?
    };
    let mut rows = rows.into_iter().filter(|r| r.cells.iter().any(|c| *c != Cell::Empty));
    let Some(head) = rows.next() else {
        return Err(Error::bad_request(format!("{file_name}: il file non ha righe.")));
    };
    let heads = head.cells.iter().map(|c| cell_text(c).unwrap_or_default()).collect();
    Ok(Sheet { heads, rows: rows.collect() })
}

/// A cell as the text a person reads in it (a date as gg/mm/aaaa).
pub fn cell_text(c: &Cell) -> Option<String> {
    match c {
        Cell::Text(s) => Some(s.clone()),
        Cell::Int(i) => Some(i.to_string()),
        Cell::Date(d) => Some(d.format("%d/%m/%Y").to_string()),
        Cell::Time(t) => Some(t.format("%H:%M").to_string()),
        Cell::Cents(c) => Some(format!("{},{:02}", c / 100, (c % 100).abs())),
        Cell::Empty => None,
    }
}

fn text_cell(s: &str) -> Cell {
    let s = s.trim();
    if s.is_empty() { Cell::Empty } else { Cell::Text(s.to_owned()) }
}

fn csv_rows(file_name: &str, bytes: &[u8]) -> Result<Vec<Row>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        // Not UTF-8: Italian Excel's "CSV (delimitato dal separatore di elenco)".
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0,
    };
    if text.contains('\0') {
        return Err(Error::bad_request(format!(
            "{file_name}: non è un file di testo CSV né una cartella di lavoro (xlsx, xls, ods)."
        )));
    }
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let delimiter =
        [b';', b',', b'\t'].into_iter().max_by_key(|d| first_line.bytes().filter(|b| b == d).count()).unwrap_or(b';');
    let mut reader =
        ::csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let at = e.position().map(|p| format!(" alla riga {}", p.line())).unwrap_or_default();
            Error::bad_request(format!("{file_name}: CSV non leggibile{at}."))
        })?;
        let start = record.position().map(|p| p.byte() as usize).unwrap_or(0);
        records.push((start, record.iter().map(str::to_owned).collect::<Vec<String>>()));
    }
    // Rows numbered as a spreadsheet shows them: every line break before the row's
    // first character counts (a blank line is an empty row, which the reader skips),
    // except those inside quoted cells, which are not new rows.
    let bytes = text.as_bytes();
    let mut rows = Vec::with_capacity(records.len());
    let (mut scanned, mut breaks, mut inside) = (0, 0u32, 0u32);
    for (start, cells) in records {
        let first = start + bytes[start..].iter().take_while(|&&b| b == b'\n' || b == b'\r').count();
        breaks += bytes[scanned..first].iter().filter(|&&b| b == b'\n').count() as u32;
        scanned = first;
        rows.push(Row { line: 1 + breaks - inside, cells: cells.iter().map(|c| text_cell(c)).collect() });
        inside += cells.iter().map(|c| c.matches('\n').count() as u32).sum::<u32>();
    }
    Ok(rows)
}

fn workbook(file_name: &str, bytes: &[u8]) -> Result<Vec<Row>> {
    use calamine::{Data, Reader};
    let unreadable =
        |why: String| Error::bad_request(format!("{file_name}: cartella di lavoro non leggibile ({why})."));
    if bytes.starts_with(b"PK") {
        let expanded = expanded_size(bytes).map_err(|e| unreadable(e.to_string()))?;
        if expanded > MAX_EXPANDED {
            return Err(Error::bad_request(format!(
                "{file_name}: una volta decompresso il file occuperebbe {} MB, oltre il massimo di {} MB: non è \
                 un foglio di calcolo ordinario.",
                expanded / (1024 * 1024),
                MAX_EXPANDED / (1024 * 1024)
            )));
        }
    }
    // A crafted file must give a message, never take the program down: the reader is
    // someone else's code, so a panic in it is caught here too.
    let range = std::panic::catch_unwind(|| {
        let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|e| e.to_string())?;
        match book.worksheet_range_at(0) {
            Some(r) => r.map_err(|e| e.to_string()),
            None => Err("nessun foglio".to_owned()),
        }
    })
    .map_err(|_| unreadable("contenuto non valido".into()))?
    .map_err(unreadable)?;
    let first_line = range.start().map(|(row, _)| row + 1).unwrap_or(1);
    let first_column = range.start().map(|(_, col)| col as usize).unwrap_or(0);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Columns left of the used range are empty: keep positions as the sheet has them.
        let mut cells = vec![Cell::Empty; first_column];
        cells.extend(row.iter().map(|d| {
            match d {
                Data::Empty => Cell::Empty,
                Data::String(s) => text_cell(s),
                Data::Int(i) => Cell::Int(*i),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Cell::Int(*f as i64),
                Data::Float(f) => Cell::Text(f.to_string().replace('.', ",")),
                Data::Bool(b) => Cell::Text(if *b { "VERO" } else { "FALSO" }.into()),
                Data::DateTime(dt) => dt.as_datetime().map(|t| Cell::Date(t.date())).unwrap_or(Cell::Empty),
                Data::DateTimeIso(s) => s
                    .get(..10)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                    .map_or_else(|| text_cell(s), Cell::Date),
                Data::DurationIso(s) => text_cell(s),
                Data::Error(e) => Cell::Text(format!("#{e:?}")),
            }
        }));
        rows.push(Row { line: first_line + i as u32, cells });
    }
    Ok(rows)
}

/// What the parts of a zip (xlsx, ods) declare they hold once decompressed.
fn expanded_size(bytes: &[u8]) -> zip::result::ZipResult<u64> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i)?.size());
    }
    Ok(total)
}

/// A date as offices write it: gg/mm/aaaa (also with - or .), aaaa-mm-gg.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"].iter().find_map(|f| NaiveDate::parse_from_str(s, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_any_separator_and_encoding() {
        let sheet = read("a.csv", b"\xEF\xBB\xBFNumero;Oggetto\n2026/1;\"Uno; due\"\n\n2026/2;Tre\n").unwrap();
        assert_eq!(sheet.heads, ["Numero", "Oggetto"]);
        assert_eq!(sheet.rows.len(), 2);
        assert_eq!(sheet.rows[0].cells[1], Cell::Text("Uno; due".into()));
        assert_eq!(sheet.rows[1].line, 4);
        let sheet = read("b.csv", b"Numero,Oggetto\n2026/1,Citt\xE0\n").unwrap();
        assert_eq!(sheet.rows[0].cells[1], Cell::Text("Città".into()));
        let sheet = read("c.csv", b"a;b\r\n1;\"x\r\ny\"\r\n\r\n2;z\r\n").unwrap();
        assert_eq!(sheet.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
        let sheet = read("c.tsv", b"a\tb\n1\t2\n").unwrap();
        assert_eq!(sheet.heads, ["a", "b"]);
    }

    #[test]
    fn what_is_not_a_sheet_is_refused_with_a_message() {
        assert!(read("x.csv", b"").unwrap_err().message.contains("non ha righe"));
        assert!(read("x.xlsx", b"PK\x03\x04garbage").unwrap_err().message.contains("non leggibile"));
        assert!(read("x.bin", b"\x00\x01\x02").unwrap_err().message.contains("non è un file di testo"));
    }

    #[test]
    fn dates_as_offices_write_them() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        for s in ["09/03/2026", "9/3/2026", "09-03-2026", "09.03.2026", "2026-03-09"] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("31/02/2026"), None);
    }
}
