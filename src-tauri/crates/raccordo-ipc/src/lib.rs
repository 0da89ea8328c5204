//! The window's side of the register, without the window: every command the desktop
//! shell exposes, with its input and its answer as plain serde types, grouped by area.
//! The shell (root package `raccordo`) wraps each one in a `#[tauri::command]`; the
//! TypeScript types and call functions of `ui/src/ipc/bindings.ts` are generated from
//! the same list ([`for_each_command!`]), so the two sides cannot drift.

pub mod agreements;
pub mod backups;
pub mod bindings;
pub mod browse;
pub mod daily;
pub mod dashboard;
pub mod directory;
pub mod documents;
pub mod exports;
pub mod imports;
pub mod meetings;
pub mod names;
pub mod projects;
pub mod records;
pub mod reminders;
pub mod session;
pub mod sync;
pub mod trust;

pub use raccordo_register::{Error, Result};
pub use session::Session;

/// An error about one field of a form, shown next to it.
pub(crate) fn on_field(
    code: raccordo_register::ErrorCode,
    field: &str,
    field_code: raccordo_register::FieldCode,
    message: &str,
) -> Error {
    let mut err = Error::new(code, message);
    err.fields.push(raccordo_register::FieldError { field: field.into(), code: field_code, message: message.into() });
    err
}

/// Calls `$m!` with the list of every command: `name: Args => Answer`. The single
/// source of truth for the shell's handlers and the generated TypeScript.
#[macro_export]
macro_rules! for_each_command {
    ($m:ident) => {
        $m! {
            session::session_state: () => session::SessionState,
            session::session_open: session::OpenArgs => session::SessionState,
            session::settings_save: session::SettingsArgs => session::SessionState,
            dashboard::dashboard: () => dashboard::Dashboard,
            records::record_get: records::RecordRef => records::AnyRecord,
            records::record_create: records::AnyRecord => records::AnyRecord,
            records::record_update: records::AnyRecord => records::AnyRecord,
            records::record_delete: records::RecordRef => records::Deleted,
            records::history: records::RecordRef => Vec<raccordo_register::audit::Entry>,
            records::attachment_add: records::AttachmentUpload => raccordo_register::Attachment,
            browse::browse: browse::BrowseArgs => browse::BrowsePage,
            browse::choices: browse::ChoiceArgs => Vec<browse::Choice>,
            browse::search: browse::SearchArgs => Vec<browse::Found>,
            agreements::agreements_page: agreements::AgreementPageArgs => agreements::AgreementPage,
            agreements::agreement_detail: records::IdArgs => agreements::AgreementDetail,
            directory::administration_detail: records::IdArgs => directory::AdministrationDetail,
            directory::person_detail: records::IdArgs => directory::PersonDetail,
            meetings::table_detail: records::IdArgs => meetings::TableDetail,
            meetings::meeting_detail: records::IdArgs => meetings::MeetingDetail,
            meetings::roll_call: records::IdArgs => meetings::RollCall,
            projects::project_detail: records::IdArgs => projects::ProjectDetail,
            documents::document_print: documents::PrintArgs => documents::Printed,
            documents::signed_attach: documents::SignedUpload => documents::SignedAttached,
            documents::agreement_confirm_signed: documents::ConfirmSignedArgs => raccordo_register::Agreement,
            trust::trust_list: () => Option<trust::ListSummary>,
            trust::trust_inspect: trust::TrustInspectArgs => trust::ListSummary,
            trust::trust_import: trust::TrustImportArgs => trust::ListSummary,
            sync::sync_state: () => sync::SyncState,
            sync::hub_inspect: sync::HubAddressArgs => sync::HubInspection,
            sync::sync_join: sync::JoinArgs => sync::SyncState,
            sync::sync_now: sync::SyncNowArgs => sync::SyncState,
            sync::sync_leave: () => sync::SyncState,
            sync::sync_conflicts: () => sync::ConflictList,
            sync::sync_resolve: sync::ResolveArgs => sync::ConflictList,
            sync::sync_combine: sync::CombineArgs => raccordo_register::Combined,
            sync::sync_accept_held: sync::HeldArgs => sync::ConflictList,
            sync::sync_reject_held: sync::HeldArgs => sync::ConflictList,
            sync::sharing: sync::SharingArgs => sync::Sharing,
            sync::share: sync::ShareArgs => sync::Sharing,
            sync::record_sync: records::RecordRef => sync::RecordSync,
            backups::backup_state: () => backups::BackupState,
            backups::backup_now: () => backups::MadeCopy,
            backups::backup_folder: backups::FolderArgs => backups::BackupState,
            backups::backup_restore: backups::CopyArgs => raccordo_register::backup::Restored,
            exports::calendar_export: exports::CalendarArgs => exports::Exported,
            exports::list_export: exports::ListExportArgs => exports::Exported,
            exports::opendata_export: () => exports::Exported,
            imports::import_agreements: imports::AgreementsImportArgs => imports::ImportReport,
            imports::import_ipa: imports::IpaImportArgs => imports::IpaReport,
            reminders::reminders_state: () => reminders::RemindersState,
            reminders::reminders_settings: reminders::RemindersSettings => reminders::RemindersState,
        }
    };
}
