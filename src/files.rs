//! The one careful writer of files: every file kingdon writes (`output`, `:save`, `:export`,
//! `--svg`) goes through [`write()`].
//!
//! A regular file is replaced whole or not at all: the bytes go to a new temporary file beside
//! it (created exclusively, so that nothing planted under its name is followed), are flushed
//! to the disk, take the target's owner and permissions, and are renamed over it; on any
//! failure the temporary file is removed and the target is as it was. While it is written,
//! the temporary file of an existing target can be read by its owner alone (mode 0600), so
//! a private file's new contents are never readable by others. A symbolic link is followed:
//! its target is written and the link stays. A FIFO, a terminal or a device is written in
//! place, as a shell's `>` would; a FIFO nobody reads is an error, not a hang. `/dev/stdout`
//! and the like are the process's own open files, added to, never replaced (`>> log.txt`
//! keeps the log). A file the user may not write, or that no one may write (mode 0444, even
//! to root), is refused, not replaced.
//!
//! The replaced file is a new file: another hard link to the old one keeps the old
//! contents. Set-user-ID and set-group-ID bits are kept where the process may set them.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// How many temporary names are tried before giving up (each taken one is skipped).
const TEMP_NAMES: u32 = 100;

/// Writes `bytes` to `path`; see the module's documentation.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    // `/dev/stdout` and kin are the process's own open files: what the shell redirected
    // them to (`>> log.txt`) is added to, never replaced.
    if through_descriptor(path) {
        let mut file = OpenOptions::new().append(true).open(path)?;
        file.write_all(bytes)?;
        return file.flush();
    }
    // What the path names in the end, links followed.
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(io::Error::other("it is a folder, not a file")),
        // A device, a FIFO (`/dev/stdout` into a pipe), a socket: through the path as given.
        Ok(meta) if !meta.is_file() => write_in_place(path, bytes),
        Ok(meta) => {
            // Refuse a file the user may not write, rather than replace it; and one that no
            // one may write, which root could open all the same.
            if meta.permissions().readonly() {
                return Err(io::Error::new(
                    io::ErrorKind::PermissionDenied,
                    "it is read-only: no one may write it",
                ));
            }
            OpenOptions::new().write(true).open(path)?;
            replace(&std::fs::canonicalize(path)?, bytes, Some(&meta))
        }
        // Nothing there yet, or a link to a file yet to be made: create it where it leads.
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&resolve(path)?, bytes, None),
        Err(e) => Err(e),
    }
}

/// Whether a path leads, links followed, to one of the process's open files: `/dev/stdout`,
/// `/dev/stderr`, `/dev/stdin`, `/dev/fd/N`, `/proc/self/fd/N` (or another process's).
fn through_descriptor(path: &Path) -> bool {
    let names_one = |p: &Path| {
        let text = p.to_string_lossy();
        matches!(text.as_ref(), "/dev/stdin" | "/dev/stdout" | "/dev/stderr")
            || text.starts_with("/dev/fd/")
            || (text.starts_with("/proc/") && text.contains("/fd/"))
    };
    // A chain that cannot be followed to its end is still checked as far as it goes.
    link_chain(path)
        .unwrap_or_else(|| vec![path.to_path_buf()])
        .iter()
        .any(|p| names_one(p))
}

/// The file a path names that does not exist yet: a dangling symbolic link's final target
/// (the link itself is kept), the path itself otherwise.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    link_chain(path)
        .and_then(|chain| chain.last().cloned())
        .ok_or_else(|| io::Error::other("too many levels of symbolic links"))
}

/// The paths a path leads through, links followed one at a time: the path itself first, the
/// end of its links last (which may not exist: a dangling link's target). `None` for a link
/// that cannot be read, or past 40 links, as the system bounds a chain.
pub(crate) fn link_chain(path: &Path) -> Option<Vec<PathBuf>> {
    let mut chain = vec![path.to_path_buf()];
    for _ in 0..40 {
        let current = chain.last()?;
        match std::fs::symlink_metadata(current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(current).ok()?;
                let next = match current.parent() {
                    Some(dir) if link.is_relative() => dir.join(link),
                    _ => link,
                };
                chain.push(next);
            }
            _ => return Some(chain),
        }
    }
    None
}

/// Writes into an existing file that is not a regular one (a FIFO, a terminal, a device).
fn write_in_place(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = open_without_waiting(target)?;
    file.write_all(bytes)?;
    file.flush()
}

/// Opens a non-regular file for writing without blocking on a FIFO that has no reader.
#[cfg(unix)]
fn open_without_waiting(target: &Path) -> io::Result<File> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    let fifo = std::fs::metadata(target)?.file_type().is_fifo();
    if fifo {
        // O_NONBLOCK makes the open fail (ENXIO) when nobody reads, instead of waiting.
        OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(target)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ENXIO) => io::Error::other("it is a FIFO that no process is reading"),
                _ => e,
            })?;
        // A reader is there: open it again, blocking, so that writes wait for room.
    }
    OpenOptions::new().write(true).open(target)
}

#[cfg(not(unix))]
fn open_without_waiting(target: &Path) -> io::Result<File> {
    OpenOptions::new().write(true).open(target)
}

/// Replaces (or creates) a regular file through a temporary file beside it.
fn replace(target: &Path, bytes: &[u8], existing: Option<&std::fs::Metadata>) -> io::Result<()> {
    replace_with(target, existing, |file| file.write_all(bytes))
}

/// [`replace`], the bytes written by `fill` (a test makes it fail halfway).
fn replace_with(
    target: &Path,
    existing: Option<&std::fs::Metadata>,
    fill: impl FnOnce(&mut File) -> io::Result<()>,
) -> io::Result<()> {
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .ok_or_else(|| io::Error::other("the path names no file"))?;
    let (temp, mut file) = create_temp(dir, &name.to_string_lossy(), existing.is_some())?;
    let written = (|| {
        fill(&mut file)?;
        if let Some(meta) = existing {
            keep_owner_and_mode(&file, meta)?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, target)?;
        sync_dir(dir);
        Ok(())
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// A new temporary file in `dir`, created exclusively under a name not taken (the process,
/// the clock's nanoseconds and a counter make it hard to guess); readable by its owner
/// alone when it is to take an existing file's place (it gets that file's mode once full).
fn create_temp(dir: &Path, name: &str, private: bool) -> io::Result<(PathBuf, File)> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let pid = std::process::id();
    let names = (0..TEMP_NAMES).map(|n| format!(".{name}.{pid}.{stamp:x}.{n}.tmp"));
    create_first(dir, names, private)
}

/// The first of `names` that can be created new in `dir`: a name already taken, by a file or
/// by a link planted there, is skipped, never followed.
fn create_first(
    dir: &Path,
    names: impl Iterator<Item = String>,
    private: bool,
) -> io::Result<(PathBuf, File)> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    for candidate in names {
        let temp = dir.join(candidate);
        match options.open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(
        "no free name for a temporary file beside it",
    ))
}

/// Gives the new file the permissions (and, where allowed, the owner) of the one it replaces.
#[cfg(unix)]
fn keep_owner_and_mode(file: &File, meta: &std::fs::Metadata) -> io::Result<()> {
    use std::os::unix::fs::MetadataExt;
    // Only a privileged process may give a file away; otherwise the owner is already ours.
    // The owner first: changing it clears set-user-ID bits, which the mode then restores.
    let _ = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()));
    file.set_permissions(meta.permissions())
}

#[cfg(not(unix))]
fn keep_owner_and_mode(file: &File, meta: &std::fs::Metadata) -> io::Result<()> {
    file.set_permissions(meta.permissions())
}

/// Flushes a folder's entries to the disk, so that a rename survives a crash (best effort:
/// not every system can open a folder).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::{symlink, FileTypeExt, PermissionsExt};

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("kingdon-files-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a folder");
        dir
    }

    fn leftovers(dir: &Path) -> Vec<String> {
        std::fs::read_dir(dir)
            .expect("readable")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp"))
            .collect()
    }

    #[test]
    fn a_new_file_and_a_replaced_one_keep_no_temporary_file() {
        let dir = folder("new");
        let path = dir.join("a.csv");
        write(&path, b"one").expect("written");
        write(&path, b"two").expect("replaced");
        assert_eq!(std::fs::read(&path).expect("readable"), b"two");
        assert!(leftovers(&dir).is_empty());
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_write_that_fails_halfway_leaves_the_target_and_no_temporary_file() {
        // A failed save (disk full) left its partial temporary file behind.
        let dir = folder("fail");
        let path = dir.join("kept.msf");
        std::fs::write(&path, "as it was").expect("written");
        let meta = std::fs::metadata(&path).expect("there");
        let failed = replace_with(&path, Some(&meta), |file| {
            file.write_all(b"half")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"))
        });
        assert_eq!(
            failed.expect_err("it fails").kind(),
            io::ErrorKind::StorageFull
        );
        assert_eq!(std::fs::read(&path).expect("readable"), b"as it was");
        assert!(leftovers(&dir).is_empty(), "{:?}", leftovers(&dir));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_symlink_is_followed_and_kept() {
        let dir = folder("link");
        let real = dir.join("real.msf");
        std::fs::write(&real, "old").expect("written");
        let link = dir.join("link.msf");
        symlink(&real, &link).expect("a link");
        write(&link, b"new").expect("written");
        assert!(std::fs::symlink_metadata(&link)
            .expect("there")
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read(&real).expect("readable"), b"new");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn permissions_are_kept_and_a_read_only_file_is_refused() {
        let dir = folder("mode");
        let path = dir.join("private.msf");
        std::fs::write(&path, "old").expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        write(&path, b"new").expect("written");
        let mode = std::fs::metadata(&path)
            .expect("there")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        // Read-only: refused, by root too (it was replaced when run as root).
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).expect("chmod");
        let refused = write(&path, b"newer").expect_err("refused");
        assert_eq!(refused.to_string(), "it is read-only: no one may write it");
        assert_eq!(std::fs::read(&path).expect("readable"), b"new");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_new_contents_of_a_file_are_private_while_written() {
        // The temporary file was created 0644, filled, then given the target's mode: while it
        // was written, a 0600 file's new contents were readable by every user.
        let dir = folder("private");
        let path = dir.join("secret.msf");
        std::fs::write(&path, "old").expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let meta = std::fs::metadata(&path).expect("there");
        let mut seen = 0;
        replace_with(&path, Some(&meta), |file| {
            seen = file.metadata()?.permissions().mode() & 0o777;
            file.write_all(b"new")
        })
        .expect("written");
        assert_eq!(seen, 0o600, "while it is written");
        let mode = std::fs::metadata(&path)
            .expect("there")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640, "once it is in place");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_planted_temporary_name_is_skipped_not_followed() {
        let dir = folder("plant");
        let victim = dir.join("victim.txt");
        std::fs::write(&victim, "keep me").expect("written");
        symlink(&victim, dir.join("first.tmp")).expect("a planted link");
        let names = ["first.tmp", "second.tmp"].map(String::from).into_iter();
        let (temp, _) = create_first(&dir, names, false).expect("a free name");
        assert_eq!(temp, dir.join("second.tmp"));
        assert_eq!(std::fs::read(&victim).expect("readable"), b"keep me");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_fifo_without_a_reader_is_an_error_not_a_hang() {
        let dir = folder("fifo");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if made {
            let e = write(&fifo, b"data").expect_err("nobody reads");
            assert!(e.to_string().contains("no process is reading"), "{e}");
            assert!(std::fs::metadata(&fifo)
                .expect("still there")
                .file_type()
                .is_fifo());
            // With a reader, the bytes go through the FIFO. The reader opens it when its
            // thread runs: on a loaded machine that can take seconds.
            let reading = fifo.clone();
            let reader = std::thread::spawn(move || std::fs::read(reading).expect("read"));
            let mut tries = 0;
            while let Err(e) = write(&fifo, b"data") {
                tries += 1;
                assert!(tries < 3000, "{e}");
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            assert_eq!(reader.join().expect("the reader"), b"data");
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_device_is_written_in_place() {
        write(Path::new("/dev/null"), b"nothing").expect("written");
        let meta = std::fs::metadata("/dev/null").expect("there");
        assert!(meta.file_type().is_char_device());
    }
}
