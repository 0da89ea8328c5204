//! Italian words around numbers, for every message that counts: "1 voce", "2 voci",
//! "54.410 voci". A count never reads "1 risultati". And letters as names are compared
//! however they were typed (`plain`).

/// A character of a name as it is compared: lower case, an accented vowel without its
/// accent ("È" is "e"), a digit as it is; `None` for what only separates words
/// (spaces, apostrophes, hyphens, punctuation).
pub fn plain(c: char) -> Option<char> {
    match c.to_lowercase().next().unwrap_or(c) {
        'à' | 'á' | 'â' | 'ä' => Some('a'),
        'è' | 'é' | 'ê' | 'ë' => Some('e'),
        'ì' | 'í' | 'î' | 'ï' => Some('i'),
        'ò' | 'ó' | 'ô' | 'ö' => Some('o'),
        'ù' | 'ú' | 'û' | 'ü' => Some('u'),
        c if c.is_alphanumeric() => Some(c),
        _ => None,
    }
}

/// "100.000": thousands grouped with a dot.
pub fn number(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(c);
    }
    grouped
}

/// The number and its noun in agreement: `count(1, "voce", "voci")` is "1 voce".
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{} {}", number(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_agree_with_their_noun() {
        assert_eq!(count(1u32, "voce", "voci"), "1 voce");
        assert_eq!(count(0u32, "voce", "voci"), "0 voci");
        assert_eq!(count(54_410u32, "voce", "voci"), "54.410 voci");
        assert_eq!(number(1_000_000), "1.000.000");
    }
}
