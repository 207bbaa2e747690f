//! Opens the HTML report in headless Chromium: a screenshot is produced, and the DOM holds
//! the four charts; printed to PDF, page 1 holds the bottom line and no page ends on a
//! heading.
//!
//! Needs Debian's `chromium` (`apt-get install -y chromium`), or `ABDUCE_CHROMIUM=<path>` to
//! another Chromium or Chrome, and for the PDF `pdftotext` (`poppler-utils`). Without them
//! the tests fail when the environment variable `CI` is set, and otherwise print why they
//! are skipped and pass.

#[path = "report/fixture.rs"]
mod fixture;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use abduce::render::Document;

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

/// Chromium, or `None` after saying why the test `name` is skipped; panics in CI.
fn chromium_or_skip(name: &str) -> Option<PathBuf> {
    let bin = find_chromium();
    if bin.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("Chromium is required in CI: install Debian's `chromium` package");
        }
        eprintln!(
            "SKIPPED {name}: no Chromium (/usr/bin/chromium or `chromium` on PATH). Install it \
             with `apt-get install -y chromium`."
        );
    }
    bin
}

#[test]
fn chromium_renders_the_html_report() {
    let Some(bin) = chromium_or_skip("chromium_renders_the_html_report") else {
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

    // The matrix sorts: a click on "weight for the leader over the runner-up" puts the rows
    // in descending order of that weight (arsenal 4, patrols 2, khovar-crossing 1.5,
    // weather 0, denial −0.5).
    let html = fixture::example().html().unwrap().replace(
        "</body>",
        "<script>document.querySelector('[data-sort=lvr]').click();</script></body>",
    );
    std::fs::write(&page, html).unwrap();
    let dom = String::from_utf8(chromium(&bin, &page, &["--dump-dom".into()])).unwrap();
    let matrix = &dom[dom.find("id=\"matrix\"").unwrap()..];
    let matrix = &matrix[..matrix.find("</tbody>").unwrap()];
    let order: Vec<&str> = matrix
        .split("data-lvr=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .collect();
    assert_eq!(order, ["4", "2", "1.5", "0", "-0.5"]);
}

/// `pdftotext` on PATH, or `None` after saying why the test is skipped; panics in CI.
fn pdftotext_or_skip() -> Option<PathBuf> {
    let found = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join("pdftotext"))
            .find(|p| p.is_file())
    });
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("pdftotext is required in CI: install Debian's `poppler-utils` package");
        }
        eprintln!(
            "SKIPPED the PDF test: no pdftotext on PATH. Install it with `apt-get install -y \
             poppler-utils`."
        );
    }
    found
}

/// The text of every `<h1>`–`<h3>` of the page, entities decoded, whitespace collapsed.
fn headings(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in ["h1", "h2", "h3"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        let mut rest = html;
        while let Some(i) = rest.find(&open) {
            let after = &rest[i + open.len()..];
            let j = after.find(&close).expect("heading is closed");
            let text = after[..j]
                .replace("&amp;", "&")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">");
            out.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
            rest = &after[j..];
        }
    }
    out
}

/// Prints `html` to PDF with Chromium (A4, as the print stylesheet sets) and returns the
/// text of each page (pdftotext, reading order).
fn print_pages(chromium_bin: &Path, pdftotext: &Path, html: &str, keep_as: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, html).unwrap();
    let pdf = dir.path().join("report.pdf");
    chromium(
        chromium_bin,
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".into(),
        ],
    );
    if let Some(keep) = std::env::var_os("ABDUCE_KEEP_BROWSER_OUTPUT") {
        let keep = PathBuf::from(keep);
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(&pdf, keep.join(format!("{keep_as}.pdf"))).unwrap();
    }
    let out = Command::new(pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext runs");
    assert!(out.status.success(), "pdftotext failed");
    // pdftotext ends every page with a form feed.
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Whether `line` is one of the marks printed in every page's margin (the title, the time,
/// "abduce … · case …", "Page n of N") rather than the page's content.
fn is_page_mark(line: &str, title: &str) -> bool {
    let page_n_of_m = line.strip_prefix("Page ").is_some_and(|rest| {
        let parts: Vec<&str> = rest.split(" of ").collect();
        parts.len() == 2 && parts.iter().all(|p| p.parse::<u32>().is_ok())
    });
    page_n_of_m
        || line == title
        || line.starts_with("made ")
        || (line.starts_with("abduce ") && line.contains(" · case "))
}

/// The last non-empty line of a page's content (the margin marks left out), whitespace
/// collapsed.
fn last_line(page: &str, title: &str) -> String {
    page.lines()
        .rev()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .find(|l| !l.is_empty() && !is_page_mark(l, title))
        .unwrap_or_default()
}

/// Page 1 holds the bottom line and nothing after it; no page ends on a heading.
fn check_printed(pages: &[String], html: &str, what: &str) {
    assert!(pages.len() >= 2, "{what}: {} page(s)", pages.len());
    let first = &pages[0];
    for part in [
        "Bottom line",
        "Analytic confidence:",
        "What would change it:",
        "Provenance:",
    ] {
        assert!(
            first.contains(part),
            "{what}: page 1 lacks {part:?}:\n{first}"
        );
    }
    assert!(
        !first.contains("Ranked hypotheses"),
        "{what}: page 1 runs on past the bottom line:\n{first}"
    );
    let heads = headings(html);
    assert!(heads.iter().any(|h| h == "Sources"), "{heads:?}");
    let title = &heads[0];
    for (i, page) in pages.iter().enumerate() {
        // Every page carries its marks.
        let mark = format!("Page {} of {}", i + 1, pages.len());
        assert!(
            page.contains(&mark),
            "{what}: no {mark:?} on page {}",
            i + 1
        );
        let last = last_line(page, title);
        assert!(
            !heads.contains(&last),
            "{what}: page {} ends on the heading {last:?}",
            i + 1
        );
    }
}

#[test]
fn the_printed_report_opens_with_the_bottom_line_and_strands_no_heading() {
    let Some(bin) = chromium_or_skip("the PDF test") else {
        return;
    };
    let Some(pdftotext) = pdftotext_or_skip() else {
        return;
    };
    // The hand-built report, and the bundled case (a long report: many items, nine
    // hypotheses), whatever its numbers.
    let small = fixture::example().html().unwrap();
    check_printed(
        &print_pages(&bin, &pdftotext, &small, "fixture"),
        &small,
        "fixture",
    );
    let case = abduce::load::load(&abduce::case::discover::CaseLocation::Bundled)
        .unwrap()
        .case;
    let long = abduce::report::build(&case, 2_000, 7, &|_| {})
        .unwrap()
        .html()
        .unwrap();
    let pages = print_pages(&bin, &pdftotext, &long, "bundled");
    assert!(
        pages.len() >= 4,
        "the bundled report printed on {} pages",
        pages.len()
    );
    check_printed(&pages, &long, "bundled case");
}
