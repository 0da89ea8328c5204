//! The cross-reference sections of one incremental update: which objects the update
//! (re)defines, read from its own `xref` table or cross-reference stream (ISO 32000-1,
//! 7.5.4 and 7.5.8), not from a repaired or merged view. That list is what the
//! revision analysis compares, so an object the update redefines cannot hide.

use super::streams;
use crate::signed::find;

/// Objects one update may define; real signing updates define a few dozen.
const MAX_ENTRIES: usize = 100_000;
/// Cross-reference sections one update may hold (a table and its stream, in hybrid files).
const MAX_SECTIONS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Free,
    /// At this byte offset of the file.
    At(usize),
    /// The `index`-th object of the object stream numbered `stream`.
    InStream {
        stream: u32,
    },
}

/// What an update's cross-reference sections say: object number, generation, entry.
pub type Entries = Vec<(u32, u16, Entry)>;

/// The entries of every cross-reference section lying in `bytes[start..end]`, found
/// from the last `startxref` of that range and followed through `/Prev` and
/// `/XRefStm` until they lead before `start` (the previous revision).
pub fn of_update(bytes: &[u8], start: usize, end: usize) -> Result<Entries, String> {
    let region = bytes.get(start..end).ok_or("revisione fuori dal file")?;
    let at = rfind(region, b"startxref").ok_or("la revisione non ha una tabella dei riferimenti (startxref)")?;
    let first = number_after(region, at + 9).ok_or("startxref senza posizione")?;
    let mut queue = vec![first];
    let mut seen = Vec::new();
    let mut entries = Entries::new();
    while let Some(offset) = queue.pop() {
        if offset < start || seen.contains(&offset) {
            continue;
        }
        if offset >= end {
            return Err("la tabella dei riferimenti indica una posizione fuori dalla revisione".into());
        }
        if seen.len() == MAX_SECTIONS {
            return Err("troppe tabelle dei riferimenti in una revisione".into());
        }
        seen.push(offset);
        let section = &bytes[offset..end];
        let links =
            if section.starts_with(b"xref") { table(section, &mut entries)? } else { stream(section, &mut entries)? };
        if entries.len() > MAX_ENTRIES {
            return Err(format!("la revisione ridefinisce più di {MAX_ENTRIES} oggetti"));
        }
        queue.extend(links);
    }
    Ok(entries)
}

/// A classic `xref` table and its trailer; returns the `/Prev` and `/XRefStm` offsets.
fn table(section: &[u8], entries: &mut Entries) -> Result<Vec<usize>, String> {
    let bad = || "tabella dei riferimenti non leggibile".to_string();
    let mut words = Words { bytes: section, at: 4 };
    loop {
        let word = words.next().ok_or_else(bad)?;
        if word == b"trailer" {
            break;
        }
        let first: u32 = parse(word).ok_or_else(bad)?;
        let count: usize = parse(words.next().ok_or_else(bad)?).ok_or_else(bad)?;
        if count > MAX_ENTRIES {
            return Err(bad());
        }
        for k in 0..count {
            let offset: usize = parse(words.next().ok_or_else(bad)?).ok_or_else(bad)?;
            let generation: u16 = parse(words.next().ok_or_else(bad)?).ok_or_else(bad)?;
            let number = first.checked_add(k as u32).ok_or_else(bad)?;
            let entry = match words.next().ok_or_else(bad)? {
                b"n" => Entry::At(offset),
                b"f" => Entry::Free,
                _ => return Err(bad()),
            };
            entries.push((number, generation, entry));
        }
    }
    let trailer = &section[words.at..];
    let trailer = &trailer[..find(trailer, b"startxref", 0).unwrap_or(trailer.len())];
    Ok(["/Prev", "/XRefStm"].iter().filter_map(|k| key_number(trailer, k.as_bytes())).collect())
}

/// A cross-reference stream (`/Type /XRef`); returns its `/Prev` offset.
fn stream(section: &[u8], entries: &mut Entries) -> Result<Vec<usize>, String> {
    let bad = |why: &str| format!("flusso dei riferimenti non leggibile ({why})");
    let dict_end = find(section, b"stream", 0).ok_or_else(|| bad("manca stream"))?;
    let dict = &section[..dict_end];
    if find(dict, b"/XRef", 0).is_none() {
        return Err(bad("non è una tabella dei riferimenti"));
    }
    let length = key_number(dict, b"/Length").ok_or_else(|| bad("manca /Length"))?;
    let data_start = match section.get(dict_end + 6..dict_end + 8) {
        Some([b'\r', b'\n']) => dict_end + 8,
        Some([b'\n', _]) => dict_end + 7,
        _ => return Err(bad("stream senza fine riga")),
    };
    let raw = data_start.checked_add(length).and_then(|e| section.get(data_start..e)).ok_or_else(|| bad("/Length"))?;
    let stream = streams::RawStream { dict, data: raw };
    let mut data = stream.decoded().ok_or_else(|| bad("compressione"))?;
    let widths = key_numbers(dict, b"/W").ok_or_else(|| bad("manca /W"))?;
    let [w0, w1, w2] = widths[..] else { return Err(bad("/W")) };
    let row = w0.checked_add(w1).and_then(|x| x.checked_add(w2)).filter(|&r| r > 0 && r <= 32);
    let row = row.ok_or_else(|| bad("/W"))?;
    if let Some(predictor) = key_number(dict, b"/Predictor").filter(|&p| p >= 10) {
        let columns = key_number(dict, b"/Columns").unwrap_or(1);
        data = unpredict(&data, columns, predictor).ok_or_else(|| bad("predittore"))?;
    }
    let size = key_number(dict, b"/Size").ok_or_else(|| bad("manca /Size"))?;
    let index = key_numbers(dict, b"/Index").unwrap_or_else(|| vec![0, size]);
    let mut rows = data.chunks_exact(row);
    for pair in index.chunks(2) {
        let [first, count] = pair else { return Err(bad("/Index")) };
        if *count > MAX_ENTRIES {
            return Err(bad("/Index"));
        }
        for k in 0..*count {
            let r = rows.next().ok_or_else(|| bad("righe mancanti"))?;
            let field =
                |from: usize, width: usize| r[from..from + width].iter().fold(0usize, |n, &b| n << 8 | b as usize);
            let kind = if w0 == 0 { 1 } else { field(0, w0) };
            let (second, third) = (field(w0, w1), field(w0 + w1, w2));
            let number = u32::try_from(first + k).map_err(|_| bad("/Index"))?;
            let entry = match kind {
                0 => Entry::Free,
                1 => Entry::At(second),
                2 => Entry::InStream { stream: u32::try_from(second).map_err(|_| bad("oggetto"))? },
                // Other types are reserved and read as the null object (7.5.8.3).
                _ => continue,
            };
            let generation = if kind == 1 { u16::try_from(third).unwrap_or(u16::MAX) } else { 0 };
            entries.push((number, generation, entry));
        }
    }
    Ok(key_number(dict, b"/Prev").into_iter().collect())
}

/// Undoes the PNG predictors of a Flate stream (a filter byte before each row).
fn unpredict(data: &[u8], columns: usize, _predictor: usize) -> Option<Vec<u8>> {
    if columns == 0 || columns > 64 {
        return None;
    }
    let mut out = Vec::with_capacity(data.len());
    let mut previous = vec![0u8; columns];
    for row in data.chunks(columns + 1) {
        let (&filter, bytes) = row.split_first()?;
        if bytes.len() != columns {
            return None;
        }
        let mut current = vec![0u8; columns];
        for i in 0..columns {
            let left = if i > 0 { current[i - 1] } else { 0 };
            let up = previous[i];
            let up_left = if i > 0 { previous[i - 1] } else { 0 };
            let add = match filter {
                0 => 0,
                1 => left,
                2 => up,
                3 => ((left as u16 + up as u16) / 2) as u8,
                4 => paeth(left, up, up_left),
                _ => return None,
            };
            current[i] = bytes[i].wrapping_add(add);
        }
        out.extend_from_slice(&current);
        previous = current;
    }
    Some(out)
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = a as i16 + b as i16 - c as i16;
    let (pa, pb, pc) = ((p - a as i16).abs(), (p - b as i16).abs(), (p - c as i16).abs());
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Whitespace-separated words (a PDF's xref table and trailer keywords).
struct Words<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        let rest = self.bytes.get(self.at..)?;
        let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        let len = rest[start..].iter().position(|b| b.is_ascii_whitespace()).unwrap_or(rest.len() - start);
        self.at += start + len;
        Some(&rest[start..start + len])
    }
}

fn parse<T: std::str::FromStr>(word: &[u8]) -> Option<T> {
    std::str::from_utf8(word).ok()?.parse().ok()
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The unsigned number written after `at` (after any whitespace).
fn number_after(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    let digits = rest[start..].iter().take_while(|b| b.is_ascii_digit()).count();
    parse(&rest[start..start + digits])
}

/// The number after `/Key` in a dictionary's text (`/Key` followed by a delimiter, so
/// `/Prev` is not found in `/Previous`).
fn key_number(dict: &[u8], key: &[u8]) -> Option<usize> {
    number_after(dict, key_end(dict, key)?)
}

/// The numbers of `/Key [a b c]`.
fn key_numbers(dict: &[u8], key: &[u8]) -> Option<Vec<usize>> {
    let at = key_end(dict, key)?;
    let rest = &dict[at..];
    let open = rest.iter().position(|b| !b.is_ascii_whitespace()).filter(|&p| rest[p] == b'[')?;
    let close = rest[open..].iter().position(|&b| b == b']')? + open;
    Words { bytes: &rest[open + 1..close], at: 0 }.map(parse).collect()
}

fn key_end(dict: &[u8], key: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = find(dict, key, from) {
        let end = at + key.len();
        match dict.get(end) {
            Some(b) if b.is_ascii_alphanumeric() => from = end,
            _ => return Some(end),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_and_its_trailer() {
        let head = "%PDF-1.7\n...%%EOF\n7 0 obj\n<<>>\nendobj\n";
        let table = "xref\n0 1\n0000000000 65535 f \n7 2\n0000000018 00000 n \n0000000040 00001 n \ntrailer\n<< /Size 9 /Root 1 0 R /Prev 3 >>\n";
        let pdf = format!("{head}{table}startxref\n{}\n%%EOF\n", head.len()).into_bytes();
        let entries = of_update(&pdf, 17, pdf.len()).unwrap();
        assert_eq!(entries, vec![(0, 65535, Entry::Free), (7, 0, Entry::At(18)), (8, 1, Entry::At(40))]);
    }

    #[test]
    fn predictors_undone() {
        // Two rows of two columns, "Up" filtered: the second row adds to the first.
        assert_eq!(unpredict(&[2, 1, 2, 2, 1, 1], 2, 12).unwrap(), vec![1, 2, 2, 3]);
        assert!(unpredict(&[9, 1, 2], 2, 12).is_none());
        assert_eq!(paeth(1, 2, 3), 1);
    }

    #[test]
    fn keys_are_read_whole() {
        assert_eq!(key_number(b"<< /Previous 4 /Prev 9 >>", b"/Prev"), Some(9));
        assert_eq!(key_numbers(b"<< /W [1 2 1] >>", b"/W"), Some(vec![1, 2, 1]));
    }
}
