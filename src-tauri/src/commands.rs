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
                $module::$name(&session, args)
            }
        )*

        pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }
    };
}

for_each_command!(shell_commands);
