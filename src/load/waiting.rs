//! Reading a file that may wait (a named pipe, a device) so that Ctrl-C is heard.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{read_text, ReadError};

/// The text of a file. A file that is not a regular one (a named pipe, a device) may keep
/// the read waiting, for a writer or for more: with `cancel` it is read aside, and Ctrl-C
/// gives up on it (the read is left to end on its own, and keeps what it reads then).
pub(crate) fn read_waiting(
    path: &Path,
    max: u64,
    cancel: Option<&AtomicBool>,
) -> Result<String, ReadError> {
    let waits = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    let Some(cancel) = cancel.filter(|_| waits) else {
        return read_text(path, max);
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let aside = path.to_path_buf();
    std::thread::spawn(move || {
        let _ = tx.send(read_text(&aside, max));
    });
    loop {
        match rx.recv_timeout(std::time::Duration::from_millis(50)) {
            Ok(read) => return read,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if cancel.load(Ordering::SeqCst) {
                    return Err(ReadError::Stopped {
                        path: path.display().to_string(),
                        why: "interrupted (Ctrl-C) while it was being read".to_string(),
                    });
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                return Err(ReadError::Stopped {
                    path: path.display().to_string(),
                    why: "its reading stopped".to_string(),
                })
            }
        }
    }
}
