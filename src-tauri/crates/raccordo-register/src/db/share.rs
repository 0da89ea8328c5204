//! Registers on a network share are refused. SQLite's write-ahead log keeps its index
//! in shared memory beside the file, which a network file system does not share
//! between machines: two PCs writing one register on a share would corrupt it, and
//! even one PC can lose commits when the share drops (see SQLite's "WAL" page, "the
//! WAL does not work over a network filesystem"). Offices that share a register do so
//! through sync, which is built for it.

use crate::error::{Error, ErrorCode, Result};
use std::path::Path;

/// Refuses `path` when it is (or would be created) on a network file system.
pub fn refuse_network_share(path: &Path) -> Result<()> {
    match network_file_system(path) {
        None => Ok(()),
        Some(fs) => Err(Error::new(
            ErrorCode::NetworkShare,
            format!(
                "{}: il registro è su una cartella di rete ({fs}), dove il suo archivio può danneggiarsi. \
                 Copialo sul disco di questo PC e aprilo da lì; per lavorare con altri uffici usa la \
                 sincronizzazione. Il file non è stato modificato.",
                path.display()
            ),
        )),
    }
}

/// The kind of network file system holding `path` (or its folder, for a new file).
fn network_file_system(path: &Path) -> Option<&'static str> {
    let existing = if path.exists() { path } else { path.parent().filter(|p| !p.as_os_str().is_empty())? };
    platform::network_file_system(existing)
}

#[cfg(target_os = "linux")]
mod platform {
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;

    pub fn network_file_system(path: &Path) -> Option<&'static str> {
        let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
        let mut stat: libc::statfs = unsafe { std::mem::zeroed() };
        // SAFETY: a valid NUL-terminated path and a zeroed struct statfs to fill.
        if unsafe { libc::statfs(c_path.as_ptr(), &mut stat) } != 0 {
            return None;
        }
        super::by_magic(stat.f_type as i64)
    }
}

#[cfg(windows)]
mod platform {
    use std::os::windows::ffi::OsStrExt;
    use std::path::{Component, Path, PathBuf};
    use windows_sys::Win32::Storage::FileSystem::GetDriveTypeW;

    /// What `GetDriveTypeW` answers for a network drive (winbase.h).
    const DRIVE_REMOTE: u32 = 4;

    /// UNC paths (`\\server\share\…`), and drive letters mapped to a share (the drive
    /// type Windows reports for the path's root is "remote").
    pub fn network_file_system(path: &Path) -> Option<&'static str> {
        let text = path.as_os_str().to_string_lossy();
        if text.starts_with(r"\\") && !text.starts_with(r"\\?\") || text.starts_with(r"\\?\UNC\") {
            return Some("SMB");
        }
        let absolute = std::path::absolute(path).ok()?;
        let root: PathBuf =
            absolute.components().take_while(|c| matches!(c, Component::Prefix(_) | Component::RootDir)).collect();
        let wide: Vec<u16> = root.as_os_str().encode_wide().chain(std::iter::once(0)).collect();
        // SAFETY: a NUL-terminated UTF-16 root path ("Z:\"), read and not kept.
        (unsafe { GetDriveTypeW(wide.as_ptr()) } == DRIVE_REMOTE).then_some("unità di rete")
    }
}

#[cfg(not(any(target_os = "linux", windows)))]
mod platform {
    pub fn network_file_system(_: &std::path::Path) -> Option<&'static str> {
        None
    }
}

/// Linux's `statfs` magic numbers of network file systems (linux/magic.h and the
/// file systems' own headers). FUSE is not among them: it also carries local disks
/// (NTFS keys through ntfs-3g), and sshfs over it is rare in an office.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn by_magic(magic: i64) -> Option<&'static str> {
    match magic as u32 {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 => Some("CIFS"),
        0xFE53_4D42 => Some("SMB2"),
        0x0102_1997 => Some("9P"),
        0x7375_7245 => Some("Coda"),
        0x5346_414F => Some("AFS"),
        0x0BD0_0BD0 => Some("Lustre"),
        0x4750_4653 => Some("GPFS"),
        0x00C3_6400 => Some("CephFS"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn network_file_systems_are_named_and_local_ones_pass() {
        assert_eq!(by_magic(0x6969), Some("NFS"));
        assert_eq!(by_magic(0xFF53_4D42), Some("CIFS"));
        assert_eq!(by_magic(0xEF53), None, "ext4");
        assert_eq!(by_magic(0x0102_1994), None, "tmpfs");
        let dir = tempfile::tempdir().unwrap();
        assert!(refuse_network_share(&dir.path().join("nuovo.raccordo")).is_ok());
    }
}
