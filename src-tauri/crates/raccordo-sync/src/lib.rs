//! Sync between offices. [`protocol`]: what a register and a hub exchange, followed
//! by both (`docs/sync-protocol.md`). With the `client` feature, [`client`]: a
//! register joins a hub with a one-time code, then pushes its changes and pulls its
//! partners', batch by batch, each applied with its cursor in one transaction.
//! [`bundle`]: the same batches as a file, for an office without a line.

pub mod protocol;

#[cfg(feature = "client")]
pub mod client;
