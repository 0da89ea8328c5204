//! Rewrites `ui/src/ipc/bindings.ts` from the Rust side. Run from anywhere in the repository.

use std::path::PathBuf;

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../..");
    let path = root.join(raccordo_ipc::bindings::PATH);
    std::fs::create_dir_all(path.parent().expect("bindings path has a folder")).expect("create ui/src/ipc");
    std::fs::write(&path, raccordo_ipc::bindings::generate()).expect("write bindings");
    println!("{}", path.canonicalize().unwrap_or(path).display());
}
