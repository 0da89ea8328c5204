//! Field rules shared by the records: codes of the Italian administration, e-mail,
//! dates. Each returns the Italian message a person sees next to the field.

use crate::error::{FieldCode, Violations};
use chrono::{NaiveDate, NaiveTime};

/// Longest free text kept in a single-line field.
pub const MAX_LINE: usize = 500;
/// Longest free text kept in a multi-line field (premises, discussion…).
pub const MAX_TEXT: usize = 100_000;

/// Trims every text field in place; empty optional text becomes `None`.
pub fn tidy(s: &mut String) {
    let t = s.trim();
    if t.len() != s.len() {
        *s = t.to_owned();
    }
}

pub fn tidy_opt(s: &mut Option<String>) {
    if let Some(v) = s {
        tidy(v);
        if v.is_empty() {
            *s = None;
        }
    }
}

/// Upper-cases a code and drops the spaces people type inside it.
pub fn tidy_code_upper(s: &mut Option<String>) {
    tidy_opt(s);
    if let Some(v) = s {
        *v = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    }
}

pub fn tidy_code_lower(s: &mut Option<String>) {
    tidy_opt(s);
    if let Some(v) = s {
        *v = v.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    }
}

pub fn required(v: &mut Violations, field: &str, label: &str, value: &str) {
    if value.trim().is_empty() {
        v.add(field, FieldCode::Required, format!("{label}: campo obbligatorio."));
    }
}

pub fn line(v: &mut Violations, field: &str, label: &str, value: &str) {
    if value.chars().count() > MAX_LINE {
        v.add(field, FieldCode::TooLong, format!("{label}: al massimo {MAX_LINE} caratteri."));
    }
}

pub fn required_line(v: &mut Violations, field: &str, label: &str, value: &str) {
    required(v, field, label, value);
    line(v, field, label, value);
}

pub fn opt_line(v: &mut Violations, field: &str, label: &str, value: &Option<String>) {
    if let Some(s) = value {
        line(v, field, label, s);
    }
}

pub fn text(v: &mut Violations, field: &str, label: &str, value: Option<&str>) {
    if let Some(s) = value
        && s.chars().count() > MAX_TEXT
    {
        v.add(field, FieldCode::TooLong, format!("{label}: al massimo {MAX_TEXT} caratteri."));
    }
}

/// Fiscal code of a legal person (codice fiscale numerico): 11 digits, the last a
/// check digit computed as for the partita IVA.
pub fn fiscal_code(v: &mut Violations, field: &str, value: &Option<String>) {
    let Some(code) = value else { return };
    if code.len() != 11 || !code.bytes().all(|b| b.is_ascii_digit()) {
        v.add(
            field,
            FieldCode::FiscalCodeLength,
            format!("Codice fiscale: deve avere 11 cifre (ne ha {}).", describe_length(code)),
        );
        return;
    }
    let expected = fiscal_check_digit(&code.as_bytes()[..10]);
    let given = code.as_bytes()[10] - b'0';
    if given != expected {
        v.add(
            field,
            FieldCode::FiscalCodeCheckDigit,
            format!(
                "Codice fiscale: la cifra di controllo non torna (l'ultima cifra dovrebbe essere {expected}, non {given}). Controlla di averlo copiato bene."
            ),
        );
    }
}

fn describe_length(code: &str) -> String {
    let digits = code.chars().filter(char::is_ascii_digit).count();
    let all = code.chars().count();
    if digits == all {
        all.to_string()
    } else {
        let of_which = crate::words::count(digits as u64, "cifra", "cifre");
        format!("{}, di cui {of_which}", crate::words::count(all as u64, "carattere", "caratteri"))
    }
}

/// The check digit of the first ten digits (Luhn variant used for partita IVA).
pub fn fiscal_check_digit(first_ten: &[u8]) -> u8 {
    let mut sum = 0u32;
    for (i, b) in first_ten.iter().enumerate() {
        let d = (b - b'0') as u32;
        if i % 2 == 0 {
            sum += d;
        } else {
            let dd = d * 2;
            sum += if dd > 9 { dd - 9 } else { dd };
        }
    }
    ((10 - sum % 10) % 10) as u8
}

/// CUP (Codice Unico di Progetto): 15 characters, a letter, two digits, a letter,
/// eleven digits (the year of issue in the first two of them).
pub fn cup(v: &mut Violations, field: &str, value: &Option<String>) {
    let Some(code) = value else { return };
    let b = code.as_bytes();
    if b.len() != 15 {
        v.add(field, FieldCode::CupFormat, format!("CUP: deve avere 15 caratteri (ne ha {}).", code.chars().count()));
        return;
    }
    let shape_ok = b[0].is_ascii_uppercase()
        && b[1..3].iter().all(u8::is_ascii_digit)
        && b[3].is_ascii_uppercase()
        && b[4..].iter().all(u8::is_ascii_digit);
    if !shape_ok {
        v.add(
            field,
            FieldCode::CupFormat,
            "CUP: formato non valido. Deve essere una lettera, due cifre, una lettera e undici cifre (es. J51B21005000006).",
        );
    }
}

/// CIG (Codice Identificativo Gara): 10 letters or digits.
pub fn cig(v: &mut Violations, field: &str, value: &Option<String>) {
    let Some(code) = value else { return };
    if code.len() != 10 || !code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()) {
        v.add(field, FieldCode::CigFormat, "CIG: deve avere 10 caratteri, lettere maiuscole o cifre.");
    }
}

/// IPA code of an administration (Indice dei domicili digitali della PA): lower-case
/// letters, digits and underscores, starting with a letter, at most 20 characters.
pub fn ipa_code(v: &mut Violations, field: &str, value: &Option<String>) {
    let Some(code) = value else { return };
    let ok = (2..=20).contains(&code.len())
        && code.as_bytes()[0].is_ascii_lowercase()
        && code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if !ok {
        v.add(
            field,
            FieldCode::IpaFormat,
            "Codice IPA: da 2 a 20 caratteri tra lettere, cifre e trattino basso, iniziando con una lettera (es. c_e715).",
        );
    }
}

/// ISTAT code of a comune: six digits.
pub fn istat_comune(v: &mut Violations, field: &str, value: &Option<String>) {
    let Some(code) = value else { return };
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        v.add(field, FieldCode::IstatFormat, "Codice ISTAT del comune: deve avere 6 cifre (es. 046017).");
    }
}

pub fn email(v: &mut Violations, field: &str, label: &str, value: &Option<String>) {
    let Some(addr) = value else { return };
    let ok = match addr.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !addr.chars().any(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if !ok {
        v.add(
            field,
            FieldCode::EmailFormat,
            format!("{label}: indirizzo non valido (es. protocollo@pec.comune.lucca.it)."),
        );
    }
}

pub fn url(v: &mut Violations, field: &str, label: &str, value: &Option<String>) {
    let Some(u) = value else { return };
    let ok =
        (u.starts_with("https://") || u.starts_with("http://")) && u.len() > 10 && !u.chars().any(char::is_whitespace);
    if !ok {
        v.add(field, FieldCode::UrlFormat, format!("{label}: indirizzo web non valido (deve iniziare con https://)."));
    }
}

pub fn sha256_hex(v: &mut Violations, field: &str, value: &Option<String>) {
    let Some(h) = value else { return };
    if h.len() != 64 || !h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
        v.add(field, FieldCode::Sha256Format, "Impronta SHA-256: 64 caratteri esadecimali minuscoli.");
    }
}

/// `later` must not come before `earlier`, when both are known.
pub fn date_order(
    v: &mut Violations,
    later_field: &str,
    earlier: Option<NaiveDate>,
    later: Option<NaiveDate>,
    message: impl FnOnce(NaiveDate, NaiveDate) -> String,
) {
    if let (Some(e), Some(l)) = (earlier, later)
        && l < e
    {
        v.add(later_field, FieldCode::DateOrder, message(e, l));
    }
}

pub fn time_order(
    v: &mut Violations,
    later_field: &str,
    earlier: Option<NaiveTime>,
    later: Option<NaiveTime>,
    message: &str,
) {
    if let (Some(e), Some(l)) = (earlier, later)
        && l < e
    {
        v.add(later_field, FieldCode::DateOrder, message);
    }
}

const MONTHS: [&str; 12] = [
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
];

/// "22 dicembre 2007".
pub fn italian_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&mut Violations)) -> Vec<FieldCode> {
        let mut v = Violations::default();
        f(&mut v);
        v.0.into_iter().map(|e| e.code).collect()
    }

    #[test]
    fn fiscal_codes_of_real_administrations_pass() {
        // Partita IVA of the Comune di Lucca, and a computed 80… code.
        for ok in ["00378210462", "80000890469", "00000000000"] {
            let mut c = *b"0000000000";
            c.copy_from_slice(&ok.as_bytes()[..10]);
            let expected = fiscal_check_digit(&c);
            assert_eq!(ok.as_bytes()[10] - b'0', expected, "{ok}");
            assert!(run(|v| fiscal_code(v, "f", &Some(ok.into()))).is_empty(), "{ok}");
        }
    }

    #[test]
    fn fiscal_code_faults_are_named() {
        assert_eq!(run(|v| fiscal_code(v, "f", &Some("00378210463".into()))), [FieldCode::FiscalCodeCheckDigit]);
        assert_eq!(run(|v| fiscal_code(v, "f", &Some("0037821046".into()))), [FieldCode::FiscalCodeLength]);
        assert_eq!(run(|v| fiscal_code(v, "f", &Some("0037821046A".into()))), [FieldCode::FiscalCodeLength]);
        let mut v = Violations::default();
        fiscal_code(&mut v, "f", &Some("00378210463".into()));
        assert!(v.0[0].message.contains("dovrebbe essere 2"), "{}", v.0[0].message);
    }

    #[test]
    fn cup_shape() {
        for ok in ["J51B21005000006", "E11B22000390007", "C11G06000000001"] {
            assert!(run(|v| cup(v, "c", &Some(ok.into()))).is_empty(), "{ok}");
        }
        for bad in ["J51B2100500000", "151B21005000006", "J5XB21005000006", "J51121005000006", "J51B2100500000X"] {
            assert_eq!(run(|v| cup(v, "c", &Some(bad.into()))), [FieldCode::CupFormat], "{bad}");
        }
    }

    #[test]
    fn ipa_istat_email_cig() {
        assert!(run(|v| ipa_code(v, "i", &Some("c_e715".into()))).is_empty());
        assert_eq!(run(|v| ipa_code(v, "i", &Some("C-E715".into()))), [FieldCode::IpaFormat]);
        assert_eq!(run(|v| ipa_code(v, "i", &Some("_abc".into()))), [FieldCode::IpaFormat]);
        assert!(run(|v| istat_comune(v, "i", &Some("046017".into()))).is_empty());
        assert_eq!(run(|v| istat_comune(v, "i", &Some("46017".into()))), [FieldCode::IstatFormat]);
        assert!(run(|v| email(v, "e", "PEC", &Some("prefettura.prefluc@pec.interno.it".into()))).is_empty());
        assert_eq!(run(|v| email(v, "e", "PEC", &Some("prefettura@".into()))), [FieldCode::EmailFormat]);
        assert!(run(|v| cig(v, "c", &Some("Z1A2B3C4D5".into()))).is_empty());
        assert_eq!(run(|v| cig(v, "c", &Some("Z1A2B3C4D".into()))), [FieldCode::CigFormat]);
    }

    #[test]
    fn codes_are_tidied_before_checks() {
        let mut c = Some(" j51b 2100 5000006 ".to_owned());
        tidy_code_upper(&mut c);
        assert_eq!(c.as_deref(), Some("J51B21005000006"));
        let mut e = Some("   ".to_owned());
        tidy_opt(&mut e);
        assert_eq!(e, None);
    }

    #[test]
    fn italian_dates() {
        assert_eq!(italian_date(NaiveDate::from_ymd_opt(2007, 12, 22).unwrap()), "22 dicembre 2007");
        assert_eq!(italian_date(NaiveDate::from_ymd_opt(2024, 1, 1).unwrap()), "1 gennaio 2024");
    }
}
