//! The committed TypeScript bindings are what the Rust side generates today.

#[test]
fn committed_bindings_are_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..").join(raccordo_ipc::bindings::PATH);
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = raccordo_ipc::bindings::generate();
    assert!(
        committed == generated,
        "{} is stale: run `cargo run -p raccordo-ipc --bin bindings` and commit the result",
        raccordo_ipc::bindings::PATH
    );
}

#[test]
fn every_command_has_a_typed_call() {
    let generated = raccordo_ipc::bindings::generate();
    for name in ["sessionState", "agreementsPage", "recordCreate", "meetingDetail", "search"] {
        assert!(generated.contains(&format!("  {name}: (")), "{name} missing");
    }
    assert!(generated.contains("export type RegisterError = {"));
    assert!(!generated.contains("bigint"), "64-bit integers must be numbers in JSON");
}
