//! Opens the HTML report in headless Chromium: a screenshot is produced, and the DOM holds
//! the four charts.
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium`), or `ABDUCE_CHROMIUM=<path>` to
//! another Chromium or Chrome. Without it the test fails when the environment variable `CI`
//! is set, and otherwise prints why it is skipped and passes.

#[path = "report/fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use abduce::output::Document;

const CHARTS: [&str; 4] = [
    "chart-posteriors",
    "chart-tornado",
    "chart-ranks",
    "chart-timeline",
];

/// `$ABDUCE_CHROMIUM` when set (a path; absent if no such file), else `/usr/bin/chromium`,
/// else `chromium` or `chromium-browser` on PATH.
fn find_chromium() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("ABDUCE_CHROMIUM") {
        let p = PathBuf::from(p);
        return p.is_file().then_some(p);
    }
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|n| dir.join(n)))
        .find(|p| p.is_file())
}

/// Runs Chromium headless on `page` with `extra` flags and a fresh profile; returns stdout.
/// Fails the test if Chromium does not finish within two minutes or exits with an error.
fn chromium(bin: &Path, page: &Path, extra: &[String]) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let out = tempfile::NamedTempFile::new().unwrap();
    let err = tempfile::NamedTempFile::new().unwrap();
    let mut cmd = Command::new(bin);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .args(extra)
    .arg(page)
    .stdin(Stdio::null())
    .stdout(out.reopen().unwrap())
    .stderr(err.reopen().unwrap());
    let mut child = cmd.spawn().expect("chromium starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 120 s ({extra:?})");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stderr = std::fs::read_to_string(err.path()).unwrap_or_default();
    assert!(status.success(), "chromium failed ({status}):\n{stderr}");
    std::fs::read(out.path()).unwrap()
}

#[test]
fn chromium_renders_the_html_report() {
    let Some(bin) = find_chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium is required in CI: install Debian's `chromium` package");
        }
        eprintln!(
            "SKIPPED chromium_renders_the_html_report: no Chromium (/usr/bin/chromium or \
             `chromium` on PATH). Install it with `apt-get install -y chromium`."
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, fixture::example().html().unwrap()).unwrap();

    // The screenshot: a PNG of the window size, with enough content to be more than a blank
    // page (a blank 1200×2000 PNG is a few kilobytes).
    let png = dir.path().join("report.png");
    chromium(
        &bin,
        &page,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,2000".into(),
        ],
    );
    let bytes = std::fs::read(&png).expect("chromium wrote the screenshot");
    // To look at the page: ABDUCE_KEEP_BROWSER_OUTPUT=<folder> keeps report.html and .png.
    if let Some(keep) = std::env::var_os("ABDUCE_KEEP_BROWSER_OUTPUT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&page, keep.join("report.html")).unwrap();
        std::fs::write(keep.join("report.png"), &bytes).unwrap();
    }
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    // IHDR: width and height, big-endian, at bytes 16..20 and 20..24.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, height), (1200, 2000));
    assert!(
        bytes.len() > 40_000,
        "screenshot of {} bytes looks blank",
        bytes.len()
    );

    // The DOM after layout holds the four charts.
    let dom = String::from_utf8(chromium(&bin, &page, &["--dump-dom".into()])).unwrap();
    assert!(dom.contains("<svg"), "no <svg> in the DOM:\n{dom}");
    for id in CHARTS {
        assert!(dom.contains(&format!("id=\"{id}\"")), "no #{id} in the DOM");
    }
    assert!(dom.contains("Analytic confidence: moderate."));
}
