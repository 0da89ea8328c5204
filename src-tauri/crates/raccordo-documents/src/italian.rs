//! Dates, times, amounts and names as an Italian document writes them. Spaces inside
//! them are no-break spaces (U+00A0), so a line never breaks inside "22 dicembre 2007",
//! "€ 250.000,00" or "Mario Rossi".

use chrono::{NaiveDate, NaiveTime};

pub const NBSP: char = '\u{a0}';

/// "22 dicembre 2007".
pub fn date(d: NaiveDate) -> String {
    glue(&raccordo_register::checks::italian_date(d))
}

pub fn date_opt(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

/// "9:30".
pub fn time(t: NaiveTime) -> String {
    t.format("%-H:%M").to_string()
}

/// "€ 250.000,00", "-€ 12,50" for a negative amount.
pub fn amount(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}€{NBSP}{},{:02}", number(cents / 100), cents % 100)
}

/// "100.000": thousands grouped with a dot.
pub use raccordo_register::words::number;

/// A person's or an office's name kept on one line.
pub fn glue(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(&NBSP.to_string())
}

/// "1 allegato", "3 allegati".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n}{NBSP}{}", if n == 1 { one } else { many })
}

/// "12,3 KB" for a file size.
pub fn size(bytes: u64) -> String {
    let (value, unit) = match bytes {
        b if b < 1024 => return format!("{b}{NBSP}byte"),
        b if b < 1024 * 1024 => (b as f64 / 1024.0, "KB"),
        b => (b as f64 / (1024.0 * 1024.0), "MB"),
    };
    format!("{}{NBSP}{unit}", format!("{value:.1}").replace('.', ","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(s: String) -> String {
        s.replace(NBSP, " ")
    }

    #[test]
    fn amounts_in_italian() {
        assert_eq!(plain(amount(25_000_000)), "€ 250.000,00");
        assert_eq!(plain(amount(5)), "€ 0,05");
        assert_eq!(plain(amount(123_456_789_01)), "€ 123.456.789,01");
        assert_eq!(plain(amount(-1250)), "-€ 12,50");
        assert!(!amount(25_000_000).contains(' '), "no breakable space");
        assert_eq!(number(100_000), "100.000");
        assert_eq!(number(999), "999");
    }

    #[test]
    fn dates_and_names_do_not_break() {
        let d = date(NaiveDate::from_ymd_opt(2007, 12, 22).unwrap());
        assert_eq!(plain(d.clone()), "22 dicembre 2007");
        assert!(!d.contains(' '));
        assert_eq!(glue("  Mario   Rossi "), format!("Mario{NBSP}Rossi"));
        assert_eq!(time(NaiveTime::from_hms_opt(9, 5, 0).unwrap()), "9:05");
        assert_eq!(plain(size(1536)), "1,5 KB");
        assert_eq!(plain(count(1, "allegato", "allegati")), "1 allegato");
    }
}
