//! The case report as a student meets it: opened in a real browser (headless Chromium), at a
//! desktop's width and at a phone's. The page must render (a screenshot that is not blank),
//! hold its title and a section per policy change in the DOM the browser built, and log
//! nothing to the console. `.ci/run` installs Chromium from the distribution's packages;
//! elsewhere, without it, the test says so and passes only outside CI.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// The browser on `PATH`, if any.
fn chromium() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|p| p.is_file())
}

/// Runs headless Chromium on a page with some arguments, within a minute. Its output goes
/// to files beside its profile (a pipe would fill with the DOM and stall it).
fn browse(browser: &Path, profile: &Path, page: &Path, args: &[String]) -> Output {
    let (stdout, stderr) = (profile.with_extension("out"), profile.with_extension("err"));
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(std::fs::File::create(&stdout).expect("a file for its output"))
        .stderr(std::fs::File::create(&stderr).expect("a file for its log"))
        .spawn()
        .expect("Chromium starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("Chromium runs") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Chromium took more than a minute on {}", page.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: std::fs::read(&stdout).expect("its output"),
        stderr: std::fs::read(&stderr).expect("its log"),
    }
}

/// What the page logged to the console (Chromium writes each message as `…:CONSOLE…`).
fn console(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect()
}

/// The share of a screenshot's pixels that are not (nearly) white, and its width.
fn ink(png: &Path) -> (f64, u32) {
    let decoder = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(png).expect("a screenshot"),
    ));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("a frame");
    let channels = info.color_type.samples();
    let pixels = &buf[..info.buffer_size()];
    let inked = pixels
        .chunks(channels)
        .filter(|p| p.iter().take(3).any(|c| *c < 235))
        .count();
    (inked as f64 / (pixels.len() / channels) as f64, info.width)
}

#[test]
fn the_report_renders_in_a_browser_at_desktop_and_phone_width() {
    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "no Chromium on PATH: .ci/run installs it (apt-get install chromium)"
        );
        eprintln!("skipped: no Chromium on PATH (.ci/run installs it)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("kingdon-browser-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let page = dir.join("horgos.html");
    let status = Command::new(env!("CARGO_BIN_EXE_kingdon"))
        .args(["report", "-o"])
        .arg(&page)
        .status()
        .expect("kingdon runs");
    assert!(status.success());

    // The check can fail: a page with a script error is caught.
    let broken = dir.join("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><title>t</title><p>x</p><script>undefinedFunction();</script>",
    )
    .expect("written");
    let out = browse(
        &browser,
        &dir.join("profile-0"),
        &broken,
        &["--dump-dom".into()],
    );
    assert_eq!(
        console(&out).len(),
        1,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = browse(
        &browser,
        &dir.join("profile-1"),
        &page,
        &["--dump-dom".into()],
    );
    assert!(out.status.success());
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(dom.contains(
        "<h1>The China–Kazakhstan Horgos Frontier International Cooperation Center</h1>"
    ));
    for n in 1..=2 {
        assert!(
            dom.contains(&format!(
                "<article class=\"change\" id=\"order-unknown-{n}\""
            )),
            "change {n} has no section"
        );
    }
    assert!(!dom.contains("order-unknown-3\""));
    assert!(dom.contains("id=\"unexplained-11\""));
    assert_eq!(
        console(&out),
        Vec::<String>::new(),
        "the page logged to the console"
    );

    // On a phone the picture's text was about 6 px: the picture scrolls sideways instead of
    // shrinking its smallest text (15 units of 1920) under 11 px.
    let page_text = std::fs::read_to_string(&page).expect("the report");
    let measured = dir.join("measured.html");
    std::fs::write(
        &measured,
        page_text.replace(
            "</body>",
            "<script>addEventListener('load', () => { const svg = document.querySelector('.picture svg'); document.body.setAttribute('data-smallest', (15 * svg.getBoundingClientRect().width / 1920).toFixed(2)); });</script></body>",
        ),
    )
    .expect("written");
    for width in [390, 1280] {
        let out = browse(
            &browser,
            &dir.join(format!("profile-measure-{width}")),
            &measured,
            &["--dump-dom".into(), format!("--window-size={width},2000")],
        );
        let dom = String::from_utf8_lossy(&out.stdout);
        let smallest: f64 = dom
            .split_once("data-smallest=\"")
            .and_then(|(_, rest)| rest.split('"').next())
            .and_then(|n| n.parse().ok())
            .expect("the page measured its picture");
        assert!(smallest >= 11.0, "{width} px wide: text of {smallest} px");
    }

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    for (name, width) in [("desktop", 1280), ("phone", 390)] {
        let shot = shots.join(format!("report-{name}.png"));
        let _ = std::fs::remove_file(&shot);
        let out = browse(
            &browser,
            &dir.join(format!("profile-{name}")),
            &page,
            &[
                format!("--screenshot={}", shot.display()),
                format!("--window-size={width},2000"),
            ],
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(console(&out), Vec::<String>::new());
        let (ink, drawn) = ink(&shot);
        assert_eq!(drawn, width);
        assert!(
            ink > 0.05,
            "the {name} screenshot is blank ({ink:.3} inked)"
        );
        eprintln!("{name}: {} ({:.0} % inked)", shot.display(), ink * 100.0);
    }
    std::fs::remove_dir_all(&dir).expect("cleaned up");
}
