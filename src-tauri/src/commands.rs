//! One `#[tauri::command]` per command of `raccordo_ipc::for_each_command!`, each a
//! one-line call into `raccordo-ipc`. Commands run off the main thread (`async`), so a
//! long query never freezes the window; errors cross as `RegisterError` values.

use raccordo_ipc::*;
use raccordo_register::Error;

macro_rules! shell_commands {
    ($($module:ident :: $name:ident : $args:ty => $answer:ty),* $(,)?) => {
        $(
            #[tauri::command(async)]
            fn $name(session: tauri::State<'_, Session>, args: $args) -> Result<$answer, Error> {
                // A defect must end in an answer the window can show, never in a
                // promise that stays pending ("Verifica in corso…" for ever).
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| $module::$name(&session, args)))
                    .unwrap_or_else(|_| Err(internal_error(stringify!($name))))
            }
        )*

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

fn internal_error(command: &str) -> Error {
    Error::new(
        raccordo_register::ErrorCode::Storage,
        format!(
            "Errore interno di Raccordo ({command}): l'operazione è stata interrotta e nulla è stato salvato a metà. \
             Riprova; se si ripete, segnala il problema con il file che l'ha causato."
        ),
    )
}

for_each_command!(shell_commands);
