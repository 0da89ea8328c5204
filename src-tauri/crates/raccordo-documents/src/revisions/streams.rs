//! A PDF's streams read straight from its bytes, without an object model: each
//! `stream … endstream` with the dictionary before it, decoded with a bound. The DSS
//! reader takes the DER values among them; the revision analysis makes sure no object
//! stream inflates beyond the bound before a parser is let loose on it.

use crate::signed::find;
use std::io::Read;

/// Streams looked at, at most, and the most bytes one may decode to.
pub const MAX_STREAMS: usize = 4096;
pub const MAX_DECODED: u64 = 16 * 1024 * 1024;

/// One stream as it stands in the file.
pub struct RawStream<'a> {
    /// The bytes between the end of the previous stream (or object) and `stream`:
    /// the object header and its dictionary.
    pub dict: &'a [u8],
    pub data: &'a [u8],
}

impl RawStream<'_> {
    pub fn is_flate(&self) -> bool {
        find(self.dict, b"/FlateDecode", 0).is_some()
    }

    /// The stream's bytes, inflated when it is Flate-encoded; `None` when they do not
    /// inflate or would inflate beyond [`MAX_DECODED`].
    pub fn decoded(&self) -> Option<Vec<u8>> {
        if !self.is_flate() {
            return Some(self.data.to_vec());
        }
        inflate(self.data)
    }
}

/// Zlib-inflates `raw`, refusing more than [`MAX_DECODED`] bytes of output.
pub fn inflate(raw: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut decoder = flate2::read::ZlibDecoder::new(raw).take(MAX_DECODED + 1);
    decoder.read_to_end(&mut out).ok()?;
    (out.len() as u64 <= MAX_DECODED).then_some(out)
}

/// Every stream of `pdf` in file order, [`MAX_STREAMS`] at most.
pub fn all(pdf: &[u8]) -> Vec<RawStream<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    let mut dict_start = 0;
    while out.len() < MAX_STREAMS {
        let Some(at) = find(pdf, b"stream", from) else { break };
        from = at + 6;
        // "endstream" also contains "stream": skip it, and remember where the next
        // object's dictionary begins.
        if at >= 3 && &pdf[at - 3..at] == b"end" {
            dict_start = from;
            continue;
        }
        let data_start = match pdf.get(from..from + 2) {
            Some([b'\r', b'\n']) => from + 2,
            Some([b'\n', _]) => from + 1,
            _ => continue,
        };
        let Some(end) = find(pdf, b"endstream", data_start) else { break };
        out.push(RawStream { dict: &pdf[dict_start.min(at)..at], data: &pdf[data_start..end] });
        from = end;
    }
    out
}
