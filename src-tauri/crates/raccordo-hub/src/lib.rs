//! The sync hub (`raccordo-hub`): offices enrol their installations with one-time
//! codes, then push and pull the changes of their registers over HTTPS. It keeps a
//! log of every change it received (`store`), hands each office what it may read,
//! and never interprets a record beyond what routing needs. Links no webkit.

pub mod blobs;
pub mod offices;
pub mod purge;
pub mod scopes;
pub mod server;
pub mod sqlite;
pub mod store;
pub mod tls;
