//! Typst as a library: a template from `assets/templates/` (or the office's own copy),
//! the record's data as `/data.json`, the fonts built into the program, and out comes
//! a PDF/A-2b + PDF/UA-1 file. Nothing is read from the network or the system's fonts,
//! so the same data and time give the same bytes on every PC.

use chrono::{DateTime, Datelike, Timelike, Utc};
use std::collections::HashMap;
use std::path::Path;
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The templates as shipped, built into the program. An office overrides any of them
/// by putting a file of the same name in its templates folder.
const TEMPLATES: &[(&str, &str)] = &[
    ("lib.typ", include_str!("../../../../assets/templates/lib.typ")),
    ("scheda-protocollo.typ", include_str!("../../../../assets/templates/scheda-protocollo.typ")),
    ("convocazione.typ", include_str!("../../../../assets/templates/convocazione.typ")),
    ("verbale.typ", include_str!("../../../../assets/templates/verbale.typ")),
    ("report-protocolli.typ", include_str!("../../../../assets/templates/report-protocolli.typ")),
    ("report-progetti.typ", include_str!("../../../../assets/templates/report-progetti.typ")),
    ("report-scadenze.typ", include_str!("../../../../assets/templates/report-scadenze.typ")),
];

const FONTS: &[&[u8]] = &[
    include_bytes!("../../../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-regular.ttf"),
    include_bytes!("../../../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-italic.ttf"),
    include_bytes!("../../../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-600.ttf"),
    include_bytes!("../../../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-600italic.ttf"),
    include_bytes!("../../../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-700.ttf"),
    include_bytes!("../../../../assets/fonts/titillium-web/titillium-web-v10-latin-ext_latin-700italic.ttf"),
    include_bytes!("../../../../assets/fonts/noto-sans/NotoSans-Regular.ttf"),
    include_bytes!("../../../../assets/fonts/noto-sans/NotoSans-Italic.ttf"),
    include_bytes!("../../../../assets/fonts/noto-sans/NotoSans-Bold.ttf"),
    include_bytes!("../../../../assets/fonts/noto-sans/NotoSans-BoldItalic.ttf"),
];

/// How many documents a memoized layout survives unused.
const KEEP_LAYOUTS_FOR: usize = 5;

/// What one document needs besides its template.
pub struct Job<'a> {
    /// File name of the template, e.g. `verbale.typ`.
    pub template: &'a str,
    /// The document's data, read by the template as `json("/data.json")`.
    pub data: Vec<u8>,
    /// The office's logo (PNG or JPEG), read as `/logo.png` or `/logo.jpg`.
    pub logo: Option<Logo>,
    /// The generation time: the PDF's dates and its identifier come from it alone.
    pub generated_at: DateTime<Utc>,
    /// A stable identifier of the document (kind, record, time), for the PDF's ID.
    pub ident: String,
}

#[derive(Clone)]
pub struct Logo {
    pub file_name: &'static str,
    pub bytes: Vec<u8>,
}

/// A template that does not compile: what and where, in the template's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub template: String,
    pub messages: Vec<String>,
}

pub struct Engine {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    templates: HashMap<String, String>,
    /// Files of the office's template folder that were not used, and why, in Italian.
    refused: Vec<String>,
}

/// A template's file name as the engine takes it: letters, digits, `-` and `_`, then
/// `.typ`. Anything else (a backslash, a path, a leading dot) is not a template.
fn plain_template_name(name: &str) -> bool {
    name.strip_suffix(".typ")
        .is_some_and(|stem| !stem.is_empty() && stem.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
}

impl Engine {
    /// The built-in templates, with any `*.typ` found in `overrides` taking their place.
    /// An override that is unreadable, a symbolic link, or named other than a plain
    /// file name is not used, and said so (`refused`): the built-in one still prints.
    pub fn new(overrides: Option<&Path>) -> Engine {
        let fonts: Vec<Font> = FONTS.iter().flat_map(|data| Font::iter(Bytes::new(*data))).collect();
        let mut templates: HashMap<String, String> =
            TEMPLATES.iter().map(|(name, text)| (name.to_string(), text.to_string())).collect();
        let mut refused = Vec::new();
        if let Some(dir) = overrides
            && let Ok(entries) = std::fs::read_dir(dir)
        {
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if !name.to_ascii_lowercase().ends_with(".typ") {
                    continue;
                }
                let why = if !plain_template_name(&name) {
                    Some("il nome deve contenere solo lettere, cifre, «-» e «_», seguiti da «.typ»".to_owned())
                } else if entry.file_type().is_ok_and(|t| t.is_symlink()) {
                    Some("è un collegamento simbolico: copia il file nella cartella".to_owned())
                } else {
                    match std::fs::read_to_string(entry.path()) {
                        Ok(text) => {
                            templates.insert(name.clone(), text);
                            None
                        }
                        Err(e) => Some(format!("non si legge ({e})")),
                    }
                };
                if let Some(why) = why {
                    refused.push(format!("Modello «{name}» in {} non usato: {why}.", dir.display()));
                }
            }
        }
        refused.sort();
        Engine {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            templates,
            refused,
        }
    }

    /// The office's template files that were not used, and why.
    pub fn refused(&self) -> &[String] {
        &self.refused
    }

    /// The names of the templates as shipped, for the README and the window.
    pub fn template_names() -> impl Iterator<Item = &'static str> {
        TEMPLATES.iter().map(|(name, _)| *name)
    }

    /// Lays out the template over the data and writes a tagged PDF/A-2b + PDF/UA-1.
    pub fn render(&self, job: &Job) -> Result<Vec<u8>, TemplateError> {
        let world =
            JobWorld::new(self, job).map_err(|m| TemplateError { template: job.template.into(), messages: vec![m] })?;
        let fail = |diags: &[SourceDiagnostic]| TemplateError {
            template: job.template.into(),
            messages: diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    let place = world.place_of(d);
                    let hints = d.hints.iter().map(|h| format!(" ({})", h.v.as_str())).collect::<String>();
                    format!("{place}{}{hints}", d.message)
                })
                .collect(),
        };
        let document: PagedDocument = typst::compile(&world).output.map_err(|d| fail(&d))?;
        let at = job.generated_at;
        let stamp = Datetime::from_ymd_hms(
            at.year(),
            at.month() as u8,
            at.day() as u8,
            at.hour() as u8,
            at.minute() as u8,
            at.second() as u8,
        )
        .expect("a valid UTC time");
        let options = PdfOptions {
            ident: Smart::Custom(job.ident.clone()),
            creator: Smart::Custom(Some(format!("Raccordo {}", env!("CARGO_PKG_VERSION")))),
            timestamp: Some(Timestamp::new_utc(stamp)),
            page_ranges: None,
            standards: PdfStandards::new(&[PdfStandard::A_2b, PdfStandard::Ua_1])
                .expect("PDF/A-2b and PDF/UA-1 go together"),
            tagged: true,
            pretty: false,
        };
        let pdf = typst_pdf::pdf(&document, &options).map_err(|d| fail(&d));
        // Typst memoizes layouts across compilations; results unused for a few
        // documents are dropped, so printing all day does not grow the window's memory.
        comemo::evict(KEEP_LAYOUTS_FOR);
        pdf
    }

    /// Drops every memoized layout: the next document is laid out from scratch, as the
    /// first one after the program starts (for the benchmark's cold figures).
    pub fn forget_layouts() {
        comemo::evict(0);
    }
}

/// The files one job sees: its templates, `/data.json` and the logo.
struct JobWorld<'a> {
    engine: &'a Engine,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Datetime,
}

fn file_id(name: &str) -> FileId {
    let path = VirtualPath::new(format!("/{name}")).expect("a plain file name");
    FileId::new(RootedPath::new(VirtualRoot::Project, path))
}

impl<'a> JobWorld<'a> {
    fn new(engine: &'a Engine, job: &Job) -> Result<JobWorld<'a>, String> {
        if !engine.templates.contains_key(job.template) {
            return Err(format!("Modello {}: non trovato.", job.template));
        }
        let sources = engine
            .templates
            .iter()
            .map(|(name, text)| {
                let id = file_id(name);
                (id, Source::new(id, text.clone()))
            })
            .collect();
        let mut files = HashMap::new();
        files.insert(file_id("data.json"), Bytes::new(job.data.clone()));
        if let Some(logo) = &job.logo {
            files.insert(file_id(logo.file_name), Bytes::new(logo.bytes.clone()));
        }
        let d = job.generated_at.date_naive();
        Ok(JobWorld {
            engine,
            main: file_id(job.template),
            sources,
            files,
            today: Datetime::from_ymd(d.year(), d.month() as u8, d.day() as u8).expect("a valid date"),
        })
    }

    /// "verbale.typ, riga 12: " for a diagnostic that points into a template.
    fn place_of(&self, d: &SourceDiagnostic) -> String {
        let Some(id) = d.span.id() else { return String::new() };
        let Some(source) = self.sources.get(&id) else { return String::new() };
        let name = id.vpath().get_without_slash().to_string();
        match self.range(d.span) {
            Some(range) => {
                let line = source.lines().byte_to_line(range.start).map(|l| l + 1).unwrap_or(0);
                format!("{name}, riga {line}: ")
            }
            None => format!("{name}: "),
        }
    }
}

impl World for JobWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.engine.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(bytes) = self.files.get(&id) {
            return Ok(bytes.clone());
        }
        match self.sources.get(&id) {
            Some(source) => Ok(Bytes::from_string(source.text().to_string())),
            None => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
