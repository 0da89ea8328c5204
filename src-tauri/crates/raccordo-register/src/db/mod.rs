//! Floor 2: the SQLite file and nothing else. Rows to fields and back, the schema and
//! its migrations, the `meta` table, the reader, the checkpointer, the check that the
//! file is on a local disk. Knows the kinds' tables (`kind`), not the records' rules.

pub(crate) mod checkpoint;
pub mod meta;
mod reader;
pub mod rows;
pub mod schema;
pub(crate) mod share;

pub use reader::{FromRow, Reader, open_read_only};
pub use rows::{Fields, TableRow};
