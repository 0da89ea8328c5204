//! Record ids: UUIDv7, time-ordered so that new rows append to the B-trees.

use sha2::{Digest, Sha256};
use uuid::Uuid;

/// A fresh id for a record or an installation.
pub fn new_id() -> Uuid {
    Uuid::now_v7()
}

/// A UUIDv7-shaped id that every installation derives alike from the same key, for the
/// records of the pre-loaded directory: two offices that both use "Comune di Lucca"
/// then hold the same record, and sync merges it instead of duplicating it.
/// The time part is the snapshot's date, the random part a hash of the key.
pub fn derived_id(snapshot_unix_ms: u64, key: &str) -> Uuid {
    let hash = Sha256::digest(key.as_bytes());
    let mut rand = [0u8; 10];
    rand.copy_from_slice(&hash[..10]);
    uuid::Builder::from_unix_timestamp_millis(snapshot_unix_ms, &rand).into_uuid()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_v7_and_stable() {
        let a = derived_id(1_733_270_400_000, "istat:comune:046017");
        let b = derived_id(1_733_270_400_000, "istat:comune:046017");
        let c = derived_id(1_733_270_400_000, "istat:comune:046018");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(a.get_version_num(), 7);
    }

    #[test]
    fn new_ids_are_v7_and_ordered() {
        let a = new_id();
        let b = new_id();
        assert_eq!(a.get_version_num(), 7);
        assert!(a < b);
    }
}
