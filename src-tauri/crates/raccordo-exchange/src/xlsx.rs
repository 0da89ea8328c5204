//! A table as an Excel workbook (`.xlsx`, with `rust_xlsxwriter`): one sheet named after
//! the list, the heads in bold and frozen, dates as dates (`gg/mm/aaaa`), amounts as
//! numbers in euro, columns fitted to their contents.

use crate::table::{Cell, Table};
use chrono::Datelike;
use raccordo_register::{Error, ErrorCode, Result};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

fn failed(e: rust_xlsxwriter::XlsxError) -> Error {
    Error::new(ErrorCode::Storage, format!("Foglio Excel non scritto: {e}"))
}

/// The table as the bytes of an `.xlsx` file.
pub fn write(t: &Table) -> Result<Vec<u8>> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet().set_name(t.name).map_err(failed)?;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let time = Format::new().set_num_format("hh:mm");
    let euro = Format::new().set_num_format("#,##0.00 \"€\"");
    for (c, head) in t.heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *head, &bold).map_err(failed)?;
    }
    for (r, row) in t.rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(s) => sheet.write_string(r, c, s).map(drop),
                Cell::Date(d) => ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
                    .and_then(|x| sheet.write_datetime_with_format(r, c, &x, &date).map(drop)),
                Cell::Time(t) => {
                    use chrono::Timelike;
                    ExcelDateTime::from_hms(t.hour() as u16, t.minute() as u8, 0)
                        .and_then(|x| sheet.write_datetime_with_format(r, c, &x, &time).map(drop))
                }
                Cell::Cents(cents) => sheet.write_number_with_format(r, c, *cents as f64 / 100.0, &euro).map(drop),
                Cell::Int(n) => sheet.write_number(r, c, *n as f64).map(drop),
                Cell::Empty => Ok(()),
            }
            .map_err(failed)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(failed)?;
    sheet.autofit();
    book.save_to_buffer().map_err(failed)
}
