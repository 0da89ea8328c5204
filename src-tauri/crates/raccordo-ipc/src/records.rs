//! Any record, read, created, changed or deleted through one path: the window sends
//! the record with its kind, storage validates it and answers with the stored form
//! (tidied) or the typed error whose field messages the form shows.

use crate::{Error, Result, Session};
use base64::Engine;
use raccordo_register::audit::{self, Entry};
use raccordo_register::ids;
use raccordo_register::model::*;
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

/// Generates [`AnyRecord`] over every kind, with its conversions.
macro_rules! any_record {
    ($($kind:ident: $table:literal, $label:literal, $plural:literal;)*) => {
        /// One record of any kind, tagged with its kind: `{ kind: "agreement", record: {...} }`.
        #[derive(Debug, Clone, Serialize, Deserialize, TS)]
        #[serde(tag = "kind", content = "record", rename_all = "snake_case")]
        pub enum AnyRecord {
            $($kind($kind),)*
        }

        impl AnyRecord {
            pub fn kind(&self) -> Kind {
                match self {
                    $(AnyRecord::$kind(_) => Kind::$kind,)*
                }
            }

            fn create_in(self, reg: &mut raccordo_register::Register) -> Result<AnyRecord> {
                match self {
                    $(AnyRecord::$kind(mut r) => {
                        // A form sends the nil id for a new record: storage assigns it.
                        if r.id.is_nil() {
                            r.id = ids::new_id();
                        }
                        reg.create(r).map(AnyRecord::$kind)
                    })*
                }
            }

            fn update_in(self, reg: &mut raccordo_register::Register) -> Result<AnyRecord> {
                match self {
                    $(AnyRecord::$kind(r) => reg.update(r).map(AnyRecord::$kind),)*
                }
            }

            /// The records it links to (see `raccordo_register::linked`).
            pub fn linked(&self) -> Vec<(Kind, Uuid)> {
                match self {
                    $(AnyRecord::$kind(r) => raccordo_register::linked(r),)*
                }
            }

            pub fn get(r: &raccordo_register::Reader, kind: Kind, id: Uuid) -> Result<Option<AnyRecord>> {
                Ok(match kind {
                    $(Kind::$kind => r.get::<$kind>(id)?.map(AnyRecord::$kind),)*
                })
            }
        }
    };
}

raccordo_register::for_each_kind!(any_record);

#[derive(Debug, Clone, Deserialize, TS)]
pub struct RecordRef {
    pub kind: Kind,
    pub id: Uuid,
}

#[derive(Debug, Clone, Deserialize, TS)]
pub struct IdArgs {
    pub id: Uuid,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Deleted {
    /// The record and what it owned.
    pub count: u32,
}

/// A file the user picked, read by the window.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AttachmentUpload {
    pub owner_kind: Kind,
    pub owner_id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub description: Option<String>,
    /// The file's bytes, base64.
    pub content_base64: String,
}

/// Attachments above this size belong in the office's records system, not here.
pub const MAX_ATTACHMENT_BYTES: usize = 50 * 1024 * 1024;

pub fn record_get(s: &Session, args: RecordRef) -> Result<AnyRecord> {
    s.with(|reg| AnyRecord::get(&reg.reader(), args.kind, args.id)?.ok_or_else(|| Error::not_found(args.kind.label())))
}

pub fn record_create(s: &Session, rec: AnyRecord) -> Result<AnyRecord> {
    s.with(|reg| rec.create_in(reg))
}

pub fn record_update(s: &Session, rec: AnyRecord) -> Result<AnyRecord> {
    s.with(|reg| rec.update_in(reg))
}

pub fn record_delete(s: &Session, args: RecordRef) -> Result<Deleted> {
    s.with(|reg| reg.delete(args.kind, args.id)).map(|n| Deleted { count: n as u32 })
}

/// The history of one record, oldest first.
pub fn history(s: &Session, args: RecordRef) -> Result<Vec<Entry>> {
    s.with(|reg| audit::history(reg.connection(), args.id))
}

/// The bytes of an uploaded file, its size checked before its base64 is decoded (a
/// 50 MB cap checked after decoding would already have held a larger file twice).
pub fn decode_upload(what: &str, content_base64: &str) -> Result<Vec<u8>> {
    let too_large = |len: usize| {
        Error::bad_request(format!(
            "{what}: il file è di {} MB, il massimo è {} MB.",
            len / (1024 * 1024),
            MAX_ATTACHMENT_BYTES / (1024 * 1024)
        ))
    };
    // Four base64 characters carry three bytes: the size is known before decoding.
    let decoded_len = content_base64.len() / 4 * 3;
    if decoded_len > MAX_ATTACHMENT_BYTES + 3 {
        return Err(too_large(decoded_len));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content_base64.as_bytes())
        .map_err(|_| Error::bad_request(format!("{what}: il contenuto del file non è arrivato integro. Riprova.")))?;
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(too_large(bytes.len()));
    }
    Ok(bytes)
}

pub fn attachment_add(s: &Session, up: AttachmentUpload) -> Result<Attachment> {
    let bytes = decode_upload("Allegato", &up.content_base64)?;
    attach_bytes(s, (up.owner_kind, up.owner_id), &up.file_name, &up.media_type, up.description, &bytes)
}

/// Keeps already decoded bytes as an attachment of `owner` (a signed file is decoded
/// once, checked, then kept from the same bytes).
pub(crate) fn attach_bytes(
    s: &Session,
    (owner_kind, owner_id): (Kind, Uuid),
    file_name: &str,
    media_type: &str,
    description: Option<String>,
    bytes: &[u8],
) -> Result<Attachment> {
    s.with(|reg| {
        if !reg.reader().exists(owner_kind, owner_id)? {
            return Err(Error::not_found(owner_kind.label()));
        }
        reg.write(|w| w.attach(owner_kind, owner_id, file_name, media_type, bytes, description))
    })
}
