//! Reading a large text file a block of whole lines at a time, for `input` files: memory for
//! one block instead of the whole file, and each block parsed while it is still in the cache
//! that reading it filled. The checks and errors are [`crate::load::read_text`]'s.

use std::io::Read;
use std::path::Path;

use crate::load::{grew_past, not_utf8_error, open_checked, ReadError, BOM};

/// How many bytes a block is read in: several hundred lines of a typical row, few enough to
/// stay in the second-level cache.
const BLOCK: usize = 1 << 18;

/// Why reading blocks stopped early.
#[derive(Debug)]
pub(crate) enum Stopped<E> {
    /// The file could not be read, or is too large, or is not UTF-8.
    Read(ReadError),
    /// The block's handler said so.
    Handler(E),
}

/// The number of lines of the file at `path` (its line ends, plus one), counted a block at a
/// time; `None` when it cannot be read (reading it in blocks then says why) or is not a
/// regular file (a pipe's text can be read only once).
pub(crate) fn count_lines(path: &Path, max_bytes: u64) -> Option<usize> {
    // Asked before opening: opening a named pipe waits for its writer, and closing it again
    // may lose what the writer sends before the rows are read.
    if !std::fs::metadata(path).ok()?.is_file() {
        return None;
    }
    let (file, _) = open_checked(path, max_bytes).ok()?;
    let mut file = file.take(max_bytes.saturating_add(1));
    let mut buf = vec![0; BLOCK];
    let mut lines = 1;
    loop {
        match file.read(&mut buf) {
            Ok(0) => return Some(lines),
            Ok(n) => lines += memchr::memchr_iter(b'\n', buf.get(..n)?).count(),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return None,
        }
    }
}

/// Hands the text of the file at `path` to `block` a block of whole lines at a time, each
/// with the number of its first line, as if the file had been read whole with
/// [`crate::load::read_text`] and cut at line ends. A block ends at a line end only while no `"` or lone
/// carriage return has been met (a quoted cell may hold a line end): from the first on, the
/// rest of the file is one block.
pub(crate) fn for_each_block<E>(
    path: &Path,
    max_bytes: u64,
    block: impl FnMut(&str, usize) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    let (file, size) = open_checked(path, max_bytes).map_err(Stopped::Read)?;
    blocks_of(file, size, path, max_bytes, block)
}

/// [`for_each_block`] of a text already at hand (an `output` of the same input, not yet
/// written), under the name of the file it will be.
pub(crate) fn for_each_block_of<E>(
    text: &[u8],
    path: &Path,
    max_bytes: u64,
    block: impl FnMut(&str, usize) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    blocks_of(text, text.len() as u64, path, max_bytes, block)
}

/// [`for_each_block`] of what `reader` reads, said to be `size` bytes.
fn blocks_of<E>(
    reader: impl Read,
    size: u64,
    path: &Path,
    max_bytes: u64,
    mut block: impl FnMut(&str, usize) -> Result<(), E>,
) -> Result<(), Stopped<E>> {
    // The size the metadata gave is not what reading yields (a FIFO, a file still growing):
    // at most the limit is read, whatever it said.
    let mut file = reader.take(max_bytes.saturating_add(1));
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK);
    let (mut line, mut read, mut start) = (1, 0u64, true);
    let mut whole = false;
    loop {
        let eof = if whole {
            read += file.read_to_end(&mut buf).map_err(|e| io_error(path, e))? as u64;
            true
        } else {
            let n = fill(&mut file, &mut buf).map_err(|e| io_error(path, e))?;
            read += n as u64;
            n == 0
        };
        if read > max_bytes {
            return Err(Stopped::Read(grew_past(path, max_bytes, size)));
        }
        if start && (buf.len() >= BOM.len() || eof) {
            start = false;
            if buf.starts_with(BOM) {
                buf.drain(..BOM.len());
            }
        }
        let cut = if eof {
            buf.len()
        } else {
            match memchr::memrchr(b'\n', &buf) {
                Some(end) => end + 1,
                // A line longer than a block: read on.
                None => continue,
            }
        };
        let bytes = buf.get(..cut).unwrap_or(&[]);
        if !eof && !crate::tabular::is_plain(bytes) {
            whole = true;
            continue;
        }
        let Ok(text) = std::str::from_utf8(bytes) else {
            return Err(Stopped::Read(not_utf8_error(path, bytes, line)));
        };
        block(text, line).map_err(Stopped::Handler)?;
        if eof {
            return Ok(());
        }
        line += memchr::memchr_iter(b'\n', bytes).count();
        buf.drain(..cut);
    }
}

/// Reads into `buf` until it holds a block or the file ends; returns how many bytes came.
fn fill(file: &mut impl Read, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let want = BLOCK.max(buf.len() + BLOCK / 2) - buf.len();
    file.take(want as u64).read_to_end(buf)
}

/// The error for a failed read.
fn io_error<E>(path: &Path, e: std::io::Error) -> Stopped<E> {
    Stopped::Read(crate::load::io_error(path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::read_text;

    /// A fresh file `name` in a folder of its own (removed with it, [`unscratch`]).
    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("kingdon-stream-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        dir.join(name)
    }

    /// Removes a file [`scratch`] made, and its folder.
    fn unscratch(path: &std::path::Path) {
        if let Some(dir) = path.parent() {
            std::fs::remove_dir_all(dir).expect("removed");
        }
    }

    /// The blocks of a text written to a file, joined, and the first line of each.
    fn blocks(text: &[u8]) -> (String, Vec<usize>) {
        let path = scratch(&format!("rows-{}.tsv", text.len()));
        std::fs::write(&path, text).expect("written");
        let (mut joined, mut firsts) = (String::new(), Vec::new());
        for_each_block(&path, u64::MAX, |block, line| {
            assert_eq!(
                line,
                joined.matches('\n').count() + 1,
                "first line of a block"
            );
            joined.push_str(block);
            firsts.push(line);
            Ok::<(), ()>(())
        })
        .expect("read");
        unscratch(&path);
        (joined, firsts)
    }

    #[test]
    fn blocks_are_whole_lines_that_join_to_the_text() {
        let text: String = (0..100_000).map(|i| format!("{i}\t{}\n", i * 7)).collect();
        let (joined, firsts) = blocks(text.as_bytes());
        assert_eq!(joined, text);
        assert!(firsts.len() > 3, "{} blocks", firsts.len());
        let with_bom = [BOM, b"a\tb\nc\td"].concat();
        assert_eq!(blocks(&with_bom).0, "a\tb\nc\td");
        let long_line = "x".repeat(3 * BLOCK) + "\nlast";
        assert_eq!(blocks(long_line.as_bytes()).0, long_line);
    }

    #[test]
    fn after_a_quote_the_rest_is_one_block() {
        let plain: String = (0..60_000).map(|i| format!("{i}\n")).collect();
        let text = format!("{plain}\"a\nb\"\n{plain}");
        let (joined, firsts) = blocks(text.as_bytes());
        assert_eq!(joined, text);
        let last = *firsts.last().expect("a block");
        assert!(
            last <= 60_001,
            "the quote's block starts by its line: {last}"
        );
    }

    #[test]
    fn read_errors_are_read_texts() {
        let path = scratch("bad.tsv");
        let mut bytes: Vec<u8> = (0..50_000)
            .flat_map(|i| format!("{i}\n").into_bytes())
            .collect();
        bytes.extend_from_slice(b"caf\xe9\n");
        std::fs::write(&path, &bytes).expect("written");
        let stopped = for_each_block(&path, u64::MAX, |_, _| Ok::<(), ()>(()));
        let Err(Stopped::Read(e)) = stopped else {
            panic!("not UTF-8: {stopped:?}");
        };
        assert_eq!(
            e.reason(),
            read_text(&path, u64::MAX).expect_err("not UTF-8").reason()
        );
        let Err(Stopped::Read(e)) = for_each_block(&path, 1000, |_, _| Ok::<(), ()>(())) else {
            panic!("too large");
        };
        assert!(
            e.is_limit() && e.reason().contains("more than the limit of 1000"),
            "{}",
            e.reason()
        );
        assert_eq!(count_lines(&path, u64::MAX), Some(50_002));
        unscratch(&path);
    }
}
