//! What a signed PDF's incremental updates changed after each signature (ISO 32000-1,
//! 12.8.2.2, DocMDP; ETSI EN 319 142-1, 5.4). A signature covers the file up to the
//! end of its own revision; what follows is judged object by object: every object an
//! update's own cross-reference sections (re)define is compared with what it was in
//! the revision before, and each change is put in one of two kinds.
//!
//! - **Allowed after a signature** (DocMDP level 2, "filling in forms and signing"):
//!   further signatures and document timestamps, their fields and widget annotations
//!   with their appearances, the pages' and the form's lists gaining them, validation
//!   data (the DSS and its VRI), the document's properties and XMP metadata.
//! - **Anything else** makes the file not intact: a page's content or resources
//!   changed, another annotation added (a note drawn over the text), a page added or
//!   removed, an object deleted, the catalog pointed elsewhere, an object stream
//!   rewritten, bytes that are not a revision at all.
//!
//! Objects are read with `hayro-syntax` (already in the tree for Typst's PDF images),
//! on the bytes of each revision alone, after every object stream of the file has
//! been shown to inflate within a bound (`streams`).

pub(crate) mod streams;
mod xref;

use hayro_syntax::Pdf;
use hayro_syntax::object::{Array, Dict, MaybeRef, Name, ObjRef, Object, ObjectIdentifier};
use hayro_syntax::xref::XRef;
use std::sync::Arc;

/// What one update after a signature changed, in Italian.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// Where the update begins: the end of the revision a signature covers.
    pub start: usize,
    /// Each change, in words ("aggiunta una firma", "modificato il contenuto di una pagina").
    pub changes: Vec<String>,
    /// Only further signatures, their annotations and validation data changed.
    pub allowed: bool,
}

/// The updates after each revision end in `ends` (the ends of the signed revisions,
/// ascending), up to the end of the file. An update of nothing but line ends or
/// padding is no update.
pub fn after(bytes: &[u8], ends: &[usize]) -> Vec<Update> {
    let data = Arc::new(bytes.to_vec());
    let streams_ok = object_streams_bounded(bytes);
    let mut out = Vec::new();
    for (i, &start) in ends.iter().enumerate() {
        let end = ends.get(i + 1).copied().unwrap_or(bytes.len());
        let Some(region) = bytes.get(start..end) else { continue };
        if only_padding(region) {
            continue;
        }
        let update = match streams_ok.clone().and_then(|()| xref::of_update(bytes, start, end)) {
            // The reason names PDF structures: a user reads only that the bytes are not a revision.
            Err(_) => Update {
                start,
                changes: vec!["aggiunti dati che non sono una revisione leggibile del PDF".into()],
                allowed: false,
            },
            Ok(entries) => compare(&data, start, end, &entries),
        };
        out.push(update);
    }
    out
}

/// Line ends and NUL padding, and nothing else. A comment is not padding: it is not
/// part of what was signed, and nothing a signer's tool needs to add.
fn only_padding(region: &[u8]) -> bool {
    region.iter().all(|&b| b.is_ascii_whitespace() || b == 0)
}

/// Every object stream of the file inflates within the bound: the object reader may
/// then open them without risking memory.
fn object_streams_bounded(bytes: &[u8]) -> Result<(), String> {
    for s in streams::all(bytes) {
        if crate::signed::find(s.dict, b"/ObjStm", 0).is_some() && s.decoded().is_none() {
            return Err("un flusso di oggetti compresso non si decomprime entro i limiti".into());
        }
    }
    Ok(())
}

/// The first `len` bytes of the file, as a revision of its own for the object reader.
struct Prefix(Arc<Vec<u8>>, usize);

impl AsRef<[u8]> for Prefix {
    fn as_ref(&self) -> &[u8] {
        &self.0[..self.1]
    }
}

fn revision(data: &Arc<Vec<u8>>, len: usize) -> Option<Pdf> {
    Pdf::new(Arc::new(Prefix(data.clone(), len))).ok()
}

/// The changes found while comparing, and whether every one is allowed.
#[derive(Default)]
struct Findings {
    changes: Vec<String>,
    refused: bool,
}

impl Findings {
    fn allowed(&mut self, what: &str) {
        if !self.changes.iter().any(|c| c == what) {
            self.changes.push(what.to_owned());
        }
    }
    fn refused(&mut self, what: String) {
        self.refused = true;
        if !self.changes.contains(&what) {
            self.changes.push(what);
        }
    }
}

fn compare(data: &Arc<Vec<u8>>, start: usize, end: usize, entries: &xref::Entries) -> Update {
    let (Some(old), Some(new)) = (revision(data, start), revision(data, end)) else {
        return Update { start, changes: vec!["aggiunta una revisione non leggibile".into()], allowed: false };
    };
    let (old_x, new_x) = (old.xref(), new.xref());
    let mut found = Findings::default();
    if old_x.root_id() != new_x.root_id() {
        found.refused("sostituito il catalogo del documento".into());
    }
    let root: Option<Dict> = old_x.get(old_x.root_id());
    let acroform = root.as_ref().and_then(|r| r.get_ref("AcroForm")).map(ObjectIdentifier::from);
    // The newest section comes first: its entry for an object is the one in force.
    let mut seen = std::collections::HashSet::new();
    for &(number, generation, entry) in entries {
        let id = ObjectIdentifier::new(number as i32, generation as i32);
        if number == 0 || number > i32::MAX as u32 || !seen.insert((number, generation)) {
            continue;
        }
        if entry == xref::Entry::Free {
            // A free entry carries the generation the number takes next: the object it
            // frees had the one before (7.5.4).
            let freed = ObjectIdentifier::new(number as i32, generation.saturating_sub(1) as i32);
            if old_x.get::<Object>(freed).is_some() || old_x.get::<Object>(id).is_some() {
                found.refused(format!("eliminato l'oggetto {number}"));
            }
            continue;
        }
        let before: Option<Object> = old_x.get(id);
        let now: Option<Object> = new_x.get(id);
        match (before, now) {
            (None, None) => {}
            (None, Some(n)) => judge_new(&n, &mut found),
            (Some(_), None) => found.refused(format!("l'oggetto {number} non è più leggibile")),
            (Some(o), Some(n)) if same(&o, &n, 0) => {}
            (Some(o), Some(n)) => {
                let place = Place { id, root: old_x.root_id(), acroform, new: new_x };
                judge_changed(&place, &o, &n, &mut found)
            }
        }
    }
    if found.changes.is_empty() {
        found.allowed("riscritti riferimenti senza modifiche");
    }
    Update { start, changes: found.changes, allowed: !found.refused }
}

/// The dictionary of an object (a stream's own dictionary for a stream).
fn dict_of<'a>(o: &Object<'a>) -> Option<Dict<'a>> {
    match o {
        Object::Dict(d) => Some(d.clone()),
        Object::Stream(s) => Some(s.dict().clone()),
        _ => None,
    }
}

fn name(d: &Dict, key: &str) -> Option<String> {
    d.get::<Name>(key).map(|n| String::from_utf8_lossy(n.as_ref()).into_owned())
}

/// A signature field, or the widget annotation of one (merged or a kid of it).
fn is_signature_field(d: &Dict) -> bool {
    name(d, "FT").as_deref() == Some("Sig")
        || d.get::<Dict>("Parent").is_some_and(|p| name(&p, "FT").as_deref() == Some("Sig"))
}

fn is_signature_widget(d: &Dict) -> bool {
    name(d, "Subtype").as_deref() == Some("Widget") && is_signature_field(d)
}

/// Something a page shows: an annotation of any kind.
fn is_annotation(d: &Dict) -> bool {
    name(d, "Type").as_deref() == Some("Annot") || (d.contains_key("Subtype") && d.contains_key("Rect"))
}

fn judge_new(n: &Object, found: &mut Findings) {
    let Some(d) = dict_of(n) else { return };
    match name(&d, "Type").as_deref() {
        Some("Sig") => return found.allowed("aggiunta una firma"),
        Some("DocTimeStamp") => return found.allowed("aggiunta una marca temporale"),
        _ => {}
    }
    if is_annotation(&d) {
        if is_signature_widget(&d) {
            found.allowed("aggiunto il campo di una firma");
        } else {
            let kind = annotation_kind(name(&d, "Subtype").as_deref());
            found.refused(format!("aggiunta un'annotazione ({kind}) che si vede sulla pagina"));
        }
    } else if d.contains_key("FT") && !is_signature_field(&d) {
        found.refused("aggiunto un campo del modulo che non è una firma".into());
    } else if is_dss(&d) {
        found.allowed("aggiunti dati di validazione delle firme");
    }
    // Other new objects (appearances, fonts, validation data streams) show only
    // through an object that refers to them, and those changes are judged there.
}

/// Where an object stands in the document, and the revision after the update.
struct Place<'x> {
    id: ObjectIdentifier,
    root: ObjectIdentifier,
    acroform: Option<ObjectIdentifier>,
    new: &'x XRef,
}

fn judge_changed(place: &Place, o: &Object, n: &Object, found: &mut Findings) {
    let number = place.id.obj_number;
    let is_signature_item = |i: &MaybeRef<Object>| is_signature_item(i, place.new);
    if let (Object::Array(old), Object::Array(new)) = (o, n) {
        // An indirect list (a page's /Annots, the form's /Fields) may only gain signatures.
        return match added_items(old, new) {
            Some(added) if added.iter().all(&is_signature_item) => found.allowed("aggiunto il campo di una firma"),
            _ => found.refused(format!("modificato un elenco di oggetti del documento (oggetto {number})")),
        };
    }
    let (Some(od), Some(nd)) = (dict_of(o), dict_of(n)) else {
        return found.refused(format!("modificato l'oggetto {number}"));
    };
    if matches!(o, Object::Stream(_)) && name(&od, "Type").as_deref() == Some("ObjStm") {
        return found.refused("riscritto un flusso di oggetti della versione firmata".into());
    }
    let changed = changed_keys(&od, &nd);
    let only = |allowed: &[&str]| changed.iter().all(|k| allowed.contains(&k.as_str()));
    if place.id == place.root {
        if !only(&["AcroForm", "DSS", "Extensions", "Metadata", "Version"]) {
            return found.refused(format!("modificata la struttura del documento ({})", in_words(&changed)));
        }
        if changed.iter().any(|k| k == "AcroForm")
            && let (Some(a), Some(b)) = (od.get::<Dict>("AcroForm"), nd.get::<Dict>("AcroForm"))
        {
            judge_form(&a, &b, place.new, found);
        }
        if changed.iter().any(|k| k == "DSS") {
            found.allowed("aggiunti dati di validazione delle firme");
        }
        return;
    }
    if Some(place.id) == place.acroform {
        return judge_form(&od, &nd, place.new, found);
    }
    if name(&od, "Type").as_deref() == Some("Page") {
        if !only(&["Annots"]) {
            return found.refused(format!("modificata una pagina ({})", in_words(&changed)));
        }
        return match (od.get::<Array>("Annots"), nd.get::<Array>("Annots")) {
            (_, None) => found.refused("tolte le annotazioni di una pagina".into()),
            (None, Some(new)) if new.raw_iter().all(|i| is_signature_item(&i)) => {
                found.allowed("aggiunto il campo di una firma")
            }
            (Some(old), Some(new)) => match added_items(&old, &new) {
                Some(added) if added.iter().all(&is_signature_item) => found.allowed("aggiunto il campo di una firma"),
                _ => found.refused("aggiunta a una pagina un'annotazione che non è una firma".into()),
            },
            _ => found.refused("aggiunta a una pagina un'annotazione che non è una firma".into()),
        };
    }
    if is_signature_field(&od) || is_signature_widget(&od) {
        if changed.iter().any(|k| k == "V") && od.contains_key("V") {
            return found.refused("sostituita una firma già apposta".into());
        }
        if !only(&["V", "AP", "P", "F", "MK", "Lock", "SV", "DA"]) {
            return found.refused(format!("modificato un campo di firma ({})", in_words(&changed)));
        }
        return found.allowed("compilato il campo di una firma");
    }
    if is_dss(&od) || is_vri(&od) {
        return found.allowed("aggiunti dati di validazione delle firme");
    }
    if name(&od, "Type").as_deref() == Some("Metadata") {
        return found.allowed("aggiornati i metadati del documento");
    }
    if od.keys().all(|k| INFO_KEYS.contains(&k.as_str())) {
        return found.allowed("aggiornate le proprietà del documento");
    }
    found.refused(format!("modificat{} (oggetto {number})", describe(&od, matches!(o, Object::Stream(_)))));
}

/// The interactive form may gain signature fields and the flags that go with them.
fn judge_form(old: &Dict, new: &Dict, revision: &XRef, found: &mut Findings) {
    let is_signature_item = |i: &MaybeRef<Object>| is_signature_item(i, revision);
    let changed = changed_keys(old, new);
    if !changed.iter().all(|k| ["Fields", "SigFlags", "DR", "DA"].contains(&k.as_str())) {
        return found.refused(format!("modificato il modulo del documento ({})", in_words(&changed)));
    }
    match (old.get::<Array>("Fields"), new.get::<Array>("Fields")) {
        (Some(a), Some(b)) => match added_items(&a, &b) {
            Some(added) if added.iter().all(&is_signature_item) => found.allowed("aggiunto il campo di una firma"),
            _ => found.refused("aggiunto al modulo un campo che non è una firma".into()),
        },
        (None, Some(b)) if b.raw_iter().all(|i| is_signature_item(&i)) => {
            found.allowed("aggiunto il campo di una firma")
        }
        (None, None) => {}
        _ => found.refused("modificati i campi del modulo".into()),
    }
}

const INFO_KEYS: [&str; 9] =
    ["Title", "Author", "Subject", "Keywords", "Creator", "Producer", "CreationDate", "ModDate", "Trapped"];

fn is_dss(d: &Dict) -> bool {
    d.keys().all(|k| ["Type", "VRI", "Certs", "OCSPs", "CRLs"].contains(&k.as_str()))
        && (d.contains_key("VRI") || d.contains_key("Certs") || d.contains_key("OCSPs") || d.contains_key("CRLs"))
}

/// A DSS's /VRI: per signature, its validation data.
fn is_vri(d: &Dict) -> bool {
    !d.is_empty()
        && d.entries().all(|(_, v)| {
            let entry = match v {
                MaybeRef::NotRef(Object::Dict(e)) => Some(e),
                _ => None,
            };
            entry.is_some_and(|e| e.keys().all(|k| ["Type", "Cert", "CRL", "OCSP", "TU", "TS"].contains(&k.as_str())))
        })
}

/// A PDF annotation's subtype, in words a user reads.
fn annotation_kind(subtype: Option<&str>) -> &'static str {
    match subtype {
        Some("FreeText") => "testo libero",
        Some("Text") => "nota",
        Some("Stamp") => "timbro",
        Some("Highlight" | "Underline" | "Squiggly" | "StrikeOut") => "evidenziazione",
        Some("Square" | "Circle" | "Line" | "Polygon" | "PolyLine" | "Ink") => "disegno",
        Some("Link") => "collegamento",
        Some("FileAttachment") => "file allegato",
        Some("Widget") => "campo del modulo",
        Some("Redact") => "oscuramento",
        _ => "di altro tipo",
    }
}

/// Dictionary keys that changed, in words a user reads: "contenuto, annotazioni".
fn in_words(keys: &[String]) -> String {
    let mut words: Vec<&str> = keys
        .iter()
        .map(|k| match k.as_str() {
            "Contents" => "contenuto",
            "Resources" => "risorse grafiche",
            "Annots" => "annotazioni",
            "MediaBox" | "CropBox" | "BleedBox" | "TrimBox" | "ArtBox" | "UserUnit" => "dimensioni",
            "Rotate" => "orientamento",
            "Parent" | "Kids" | "Count" | "Pages" => "ordine delle pagine",
            "OpenAction" | "AA" | "JavaScript" => "azioni automatiche",
            "NameLookup" => "nomi e script",
            "Outlines" => "segnalibri",
            "OCProperties" => "livelli visibili",
            "Perms" => "permessi",
            "StructTreeRoot" | "MarkInfo" | "StructParents" => "struttura accessibile",
            "Lang" => "lingua",
            "V" => "valore",
            "AP" | "DA" | "MK" => "aspetto",
            "Rect" => "posizione",
            "Fields" => "campi",
            "XFA" | "NeedAppearances" => "modulo",
            _ => "altre proprietà",
        })
        .collect();
    words.dedup();
    words.join(", ")
}

/// "o un contenuto della pagina", in words a user reads.
fn describe(d: &Dict, stream: bool) -> &'static str {
    match (name(d, "Type").as_deref(), name(d, "Subtype").as_deref()) {
        (Some("Pages"), _) => "o l'elenco delle pagine",
        (Some("Font" | "FontDescriptor"), _) => "o un carattere del testo",
        (_, Some("Image")) => "a un'immagine",
        (_, Some("Form")) => "o un elemento grafico",
        (Some("Annot"), _) => "a un'annotazione",
        (Some("ExtGState"), _) => "o l'aspetto grafico di una pagina",
        _ if stream => "o un contenuto del documento",
        _ => "o un oggetto del documento",
    }
}

/// The items `new` has beyond those of `old`, when it keeps every item of `old`.
fn added_items<'a>(old: &Array<'a>, new: &Array<'a>) -> Option<Vec<MaybeRef<Object<'a>>>> {
    let old: Vec<_> = old.raw_iter().collect();
    let mut added = Vec::new();
    let mut kept = 0;
    for item in new.raw_iter() {
        if old.iter().any(|o| same_item(o, &item, 0)) {
            kept += 1;
        } else {
            added.push(item);
        }
    }
    (kept >= old.len()).then_some(added)
}

/// A list item that is a signature field or its widget, resolved in `revision`.
fn is_signature_item(item: &MaybeRef<Object>, revision: &XRef) -> bool {
    let dict = match item {
        MaybeRef::NotRef(o) => dict_of(o),
        MaybeRef::Ref(r) => revision.get::<Object>(ObjectIdentifier::from(*r)).as_ref().and_then(dict_of),
    };
    dict.is_some_and(|d| is_signature_field(&d))
}

/// The keys whose values differ between two dictionaries, or that only one has.
fn changed_keys(a: &Dict, b: &Dict) -> Vec<String> {
    let mut keys: Vec<String> = a.keys().chain(b.keys()).map(|k| k.as_str().to_owned()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| match (a.get_raw::<Object>(k.as_str()), b.get_raw::<Object>(k.as_str())) {
            (Some(x), Some(y)) => !same_item(&x, &y, 0),
            _ => true,
        })
        .collect()
}

/// Nesting followed when comparing; deeper structures count as changed.
const MAX_DEPTH: usize = 32;

/// The same value, whatever the spacing it was written with (references compared as
/// references: what they point to is compared as an object of its own).
fn same(a: &Object, b: &Object, depth: usize) -> bool {
    if depth > MAX_DEPTH {
        return false;
    }
    match (a, b) {
        (Object::Dict(x), Object::Dict(y)) => same_dict(x, y, depth),
        (Object::Stream(x), Object::Stream(y)) => same_dict(x.dict(), y.dict(), depth) && x.raw_data() == y.raw_data(),
        (Object::Array(x), Object::Array(y)) => {
            let (xs, ys): (Vec<_>, Vec<_>) = (x.raw_iter().collect(), y.raw_iter().collect());
            xs.len() == ys.len() && xs.iter().zip(&ys).all(|(p, q)| same_item(p, q, depth + 1))
        }
        (Object::Number(x), Object::Number(y)) => x.as_f64() == y.as_f64(),
        (Object::String(x), Object::String(y)) => x.as_bytes() == y.as_bytes(),
        (Object::Name(x), Object::Name(y)) => x.as_ref() == y.as_ref(),
        (Object::Boolean(x), Object::Boolean(y)) => x == y,
        (Object::Null(_), Object::Null(_)) => true,
        _ => false,
    }
}

fn same_dict(x: &Dict, y: &Dict, depth: usize) -> bool {
    if x.data() == y.data() {
        return true;
    }
    let (xs, ys): (Vec<_>, Vec<_>) = (x.entries().collect(), y.entries().collect());
    xs.len() == ys.len()
        && xs.iter().zip(&ys).all(|((kx, vx), (ky, vy))| kx.as_ref() == ky.as_ref() && same_item(vx, vy, depth + 1))
}

fn same_item(a: &MaybeRef<Object>, b: &MaybeRef<Object>, depth: usize) -> bool {
    match (a, b) {
        (MaybeRef::Ref(x), MaybeRef::Ref(y)) => same_ref(x, y),
        (MaybeRef::NotRef(x), MaybeRef::NotRef(y)) => same(x, y, depth),
        _ => false,
    }
}

fn same_ref(x: &ObjRef, y: &ObjRef) -> bool {
    x.obj_number == y.obj_number && x.gen_number == y.gen_number
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_is_no_update_and_a_comment_is() {
        assert!(only_padding(b"\r\n\0\0 \n"));
        assert!(!only_padding(b"\n1 0 obj\n"));
        assert!(!only_padding(b"% aggiunta\n"));
    }
}
