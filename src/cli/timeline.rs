//! `kingdon timeline FILE… [--from T] [--to T] [--svg OUT.svg]` and the helpers `:timeline`
//! and `:export svg` share: the time range, the width, the title.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::timeline::{svg, text};
use crate::value::Time;
use crate::KnowledgeBase;

use crate::HORGOS_CASE as CASE;

/// The title of pictures of the bundled case.
pub const CASE_TITLE: &str =
    "The China–Kazakhstan Horgos Frontier International Cooperation Center";

/// Width when neither the terminal nor `COLUMNS` says.
const DEFAULT_WIDTH: usize = 100;

/// The narrowest and widest text kingdon lays out for people.
pub const WIDTHS: std::ops::RangeInclusive<usize> = 20..=1000;

/// The width of the terminal on stdout, else `COLUMNS`, else 100; within [`WIDTHS`].
pub fn terminal_width() -> usize {
    terminal_size::terminal_size()
        .map(|(w, _)| usize::from(w.0))
        .or_else(|| std::env::var("COLUMNS").ok()?.parse().ok())
        .unwrap_or(DEFAULT_WIDTH)
        .clamp(*WIDTHS.start(), *WIDTHS.end())
}

/// The width asked for with `--width`, within [`WIDTHS`], else the terminal's.
pub fn width(asked: Option<usize>) -> usize {
    asked.map_or_else(terminal_width, |w| w.clamp(*WIDTHS.start(), *WIDTHS.end()))
}

/// Parses `FROM..TO`, `FROM..`, `..TO` or a single time (that period alone).
pub fn parse_range(text: &str) -> Result<(Option<Time>, Option<Time>), String> {
    let time = |t: &str| -> Result<Option<Time>, String> {
        let t = t.trim();
        if t.is_empty() {
            Ok(None)
        } else {
            Time::parse(t).map(Some).map_err(|e| e.to_string())
        }
    };
    let (from, to) = match text.split_once("..") {
        Some((from, to)) => (time(from)?, time(to)?),
        None => {
            let at = time(text)?;
            (at, at)
        }
    };
    if let (Some(f), Some(t)) = (from, to) {
        if crate::timeline::start(t) < crate::timeline::start(f) {
            return Err(format!("the range {f}..{t} ends before it starts"));
        }
    }
    Ok((from, to))
}

/// The title for a picture of these files (the bundled case when there are none).
pub fn title_of(files: &[PathBuf]) -> String {
    if files.is_empty() {
        return CASE_TITLE.to_string();
    }
    let names: Vec<String> = files
        .iter()
        .map(|f| {
            f.file_stem()
                .unwrap_or(f.as_os_str())
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.join(", ")
}

/// `--size` of `kingdon timeline`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum PictureSize {
    /// 1600 wide, as tall as the labels need.
    Page,
    /// 16:9, 1920×1080.
    Slide,
}

impl PictureSize {
    /// The picture's size as the renderer takes it.
    pub fn size(self) -> svg::Size {
        match self {
            PictureSize::Page => svg::Size::Page,
            PictureSize::Slide => svg::Size::Slide,
        }
    }
}

/// Options of `kingdon timeline`.
pub struct Args<'a> {
    /// The files; none means the bundled theory and case.
    pub files: &'a [PathBuf],
    /// Limits and reading options (the files' `output` statements are skipped whatever
    /// they say).
    pub options: crate::Options,
    /// The first time shown.
    pub from: Option<Time>,
    /// The last time shown.
    pub to: Option<Time>,
    /// Columns of the terminal drawing.
    pub width: usize,
    /// Where to write the SVG picture instead of drawing in the terminal.
    pub svg: Option<&'a Path>,
    /// ASCII marks instead of Unicode ones.
    pub ascii: bool,
    /// The picture's title, when given.
    pub title: Option<&'a str>,
    /// The picture's size.
    pub size: svg::Size,
    /// Keep the lane of facts that belong to no stream.
    pub all: bool,
    /// Draw the facts the rules derive on the streams' lanes too.
    pub derived: bool,
    /// Colour the terminal drawing by lane.
    pub color: bool,
    /// Colour diagnostics.
    pub color_err: bool,
}

/// The files, or with none the bundled theory and case, loaded to be drawn: a picture or a
/// page reads the program; it does not run its `output` statements. The knowledge base is
/// returned with the outcome, to render an error against its sources.
pub fn load_for_drawing(
    files: &[PathBuf],
    options: crate::Options,
) -> (KnowledgeBase, Result<(), crate::Error>) {
    let mut kb = KnowledgeBase::with_options(crate::Options {
        skip_outputs: true,
        ..options
    });
    let loaded = if files.is_empty() {
        kb.load_bundle(CASE).map(|_| ())
    } else {
        files.iter().try_for_each(|f| kb.load_file(f).map(|_| ()))
    };
    (kb, loaded)
}

/// Writes a picture or a page through the careful writer; a reader that stopped
/// (`--svg /dev/stdout | head`) ends it quietly, as on standard output.
pub fn write_file(path: &Path, bytes: &[u8]) -> ExitCode {
    match crate::files::write(path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            errln!("error: cannot write `{}`: {e}", path.display());
            ExitCode::FAILURE
        }
        Ok(()) => ExitCode::SUCCESS,
    }
}

/// Loads the files and draws their timeline.
pub fn run(args: &Args<'_>) -> ExitCode {
    if let (Some(f), Some(t)) = (args.from, args.to) {
        if crate::timeline::start(t) < crate::timeline::start(f) {
            errln!("error: --to {t} is before --from {f}");
            return ExitCode::FAILURE;
        }
    }
    let (mut kb, loaded) = load_for_drawing(args.files, args.options.clone());
    let (from, to, derived) = (args.from, args.to, args.derived);
    let options = crate::timeline::Options { from, to, derived };
    let timeline = loaded.and_then(|()| kb.timeline_with(options));
    let timeline = match timeline {
        Ok(t) if args.all => t,
        Ok(t) => t.streams_only(),
        Err(e) => {
            err!("{}", kb.render(&e, args.color_err));
            return ExitCode::FAILURE;
        }
    };
    match args.svg {
        Some(path) => {
            let title = args
                .title
                .map_or_else(|| title_of(args.files), str::to_string);
            write_file(path, svg::render(&timeline, &title, args.size).as_bytes())
        }
        None => {
            out!(
                "{}",
                text::render(&timeline, args.width, args.color, args.ascii)
            );
            ExitCode::SUCCESS
        }
    }
}
