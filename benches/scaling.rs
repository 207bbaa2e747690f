//! Scaling curves of the commands in the size of the case (docs/performance.md, "Scaling in
//! the size of the case").
//!
//! `cargo bench --bench scaling` writes synthetic cases (`abduce::sweep::synthetic::case`:
//! every likelihood, credibility and weight with a range) to a temporary folder as TOML,
//! runs the release binary on them and prints one Markdown table row per case size and
//! command, with the wall time and the ratio to the previous size (1.0 × the ratio of the
//! sizes is linear). It then times the tornado and leave-one-out in-process, the incremental
//! algorithm against full rescoring (`tornado::run_full`, `tipping::run_full`), side by side
//! in the same run.
//!
//! Environment (all optional):
//! - `SCALE_ITEMS` — item counts at 50 hypotheses (default `500,1000,2000,5000,10000,20000,50000`);
//! - `SCALE_HYPS` — hypothesis counts at 500 items (default `5,50,500`);
//! - `SCALE_COMMANDS` — commands to run (default
//!   `check,score,tornado,tipping,monte-carlo,sobol,report`);
//! - `SCALE_MC` / `SCALE_SOBOL` — Monte Carlo scenarios (default 16384) and Sobol base rows
//!   (default 64); `report` runs with its own default, or `SCALE_REPORT` scenarios;
//! - `SCALE_OLD_MAX` — the largest item count at which full rescoring is timed (default 2000;
//!   it grows with the square of the items);
//! - `SCALE_TIMEOUT` — seconds after which a command is stopped and reported as `>` (default
//!   300);
//! - `SCALE_BASE` — another abduce binary (e.g. built from an older commit) to run on the
//!   same cases after each command, its time shown as "before";
//! - `SCALE_WRITE=DIR,K,M` — only write the case of K hypotheses and M items into DIR (case
//!   name `s`), for timing or profiling one command by hand;
//! - `SCALE_SVG` — where to write the chart of the curves (default
//!   `docs/scaling-curves.svg`): CPU seconds against the size of the case on log-log axes, one
//!   colour per command, this build solid and the `SCALE_BASE` binary dashed.
//!
//! Each table row also gives the load average (`/proc/loadavg`, 1 minute) when it was
//! measured: other work on the machine inflates wall times, not CPU times.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use abduce::case::Case;
use abduce::sweep::{synthetic, tipping, tornado};

fn env_list(name: &str, default: &str) -> Vec<String> {
    std::env::var(name)
        .unwrap_or_else(|_| default.to_string())
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The synthetic case of `k` hypotheses and `m` items, written as `hypotheses/s.toml` and
/// `evidence/s/*.toml` under `dir`.
fn write(dir: &Path, k: usize, m: usize) -> Case {
    let mut case = synthetic::case(k, m, 7);
    case.name = "s".into();
    // One hypothesis a catch-all, so the case has no warning about it.
    case.hypotheses[k - 1].id = "other".into();
    for (path, text) in abduce::workflow::import::case_files(&case, "the scaling benchmark") {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("a folder");
        std::fs::write(p, text).expect("a file");
    }
    case
}

/// What one run cost: wall seconds, and with `/usr/bin/time` CPU seconds (user + system)
/// and peak memory in MB.
type Cost = (f64, Option<(f64, f64)>);

/// Runs the binary `bin` with `args` in `dir`; `None` after the timeout.
fn time(bin: &str, dir: &Path, args: &[&str], timeout: Duration) -> Option<Cost> {
    let t = Instant::now();
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut cmd = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.args(["-f", "%U %S %M", "-o", "rss.txt", bin]);
        c
    } else {
        Command::new(bin)
    };
    let mut child = cmd
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("abduce runs");
    loop {
        if let Some(status) = child.try_wait().expect("a status") {
            let secs = t.elapsed().as_secs_f64();
            if !status.success() {
                let out = child.wait_with_output().expect("its output");
                panic!(
                    "abduce {args:?} failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
            }
            let usage = std::fs::read_to_string(dir.join("rss.txt"))
                .ok()
                .and_then(|s| {
                    let v: Vec<f64> = s
                        .lines()
                        .last()?
                        .split_whitespace()
                        .filter_map(|x| x.parse().ok())
                        .collect();
                    (v.len() == 3).then(|| (v[0] + v[1], v[2] / 1024.0))
                });
            return Some((secs, usage));
        }
        if t.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn args_of<'a>(command: &'a str, mc: &'a str, sobol: &'a str) -> Vec<&'a str> {
    let mut a: Vec<&str> = match command {
        "check" | "score" => vec![command],
        "report" => match std::env::var("SCALE_REPORT") {
            Ok(n) => vec![command, "--samples", n.leak()],
            Err(_) => vec![command],
        },
        "tornado" | "tipping" => vec!["sweep", command],
        "monte-carlo" => vec!["sweep", command, "--samples", mc],
        "sobol" => vec!["sweep", command, "--samples", sobol],
        other => panic!("unknown command {other}"),
    };
    a.extend(["s", "-q", "-o", "out"]);
    a
}

/// CPU seconds when known (they do not count time lost to other processes), else wall.
fn seconds(c: &Cost) -> f64 {
    c.1.map_or(c.0, |u| u.0)
}

fn cell(x: Option<Cost>, prev: Option<f64>, size_ratio: f64) -> String {
    let Some(c) = x else {
        return format!("> {} s wall (stopped)", env_u64("SCALE_TIMEOUT", 300));
    };
    let x = seconds(&c);
    let mut s = format!("{x:.2} s");
    if let Some(p) = prev.filter(|&p| p > 0.0) {
        s += &format!(" ({:.2}×)", x / p / size_ratio);
    }
    if let Some((_, mb)) = c.1 {
        s += &format!(", {mb:.0} MB, {:.2} s wall", c.0);
    }
    s
}

/// The load average over the last minute, when known.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// One command's costs along one curve: (size on the x axis, this build, the baseline).
struct Series {
    command: String,
    points: Vec<(f64, Option<Cost>, Option<Cost>)>,
}

/// Runs every command on every size, prints the table and returns the series for the chart.
/// `x` is the size on the chart's axis (items or hypotheses).
fn curves(
    sizes: &[(usize, usize)],
    commands: &[String],
    label: &str,
    x: impl Fn(usize, usize) -> usize,
) -> Vec<Series> {
    let base = std::env::var("SCALE_BASE").ok();
    let timeout = Duration::from_secs(env_u64("SCALE_TIMEOUT", 300));
    let mc = env_u64("SCALE_MC", 16384).to_string();
    let sobol = env_u64("SCALE_SOBOL", 64).to_string();
    println!("\n### {label}\n");
    println!(
        "CPU time (user + system; wall time without /usr/bin/time) of each command, in brackets the ratio to the previous row divided by the size ratio (1.00× is linear), peak memory, and the wall time; \"before\": the same for the `SCALE_BASE` binary on the same files.\n"
    );
    println!("| hypotheses × items | load | {} |", commands.join(" | "));
    println!("|---|---|{}", "---|".repeat(commands.len()));
    let mut series: Vec<Series> = commands
        .iter()
        .map(|c| Series {
            command: c.clone(),
            points: Vec::new(),
        })
        .collect();
    let mut prev: Vec<Option<f64>> = vec![None; commands.len()];
    let mut prev_size: Option<f64> = None;
    for &(k, m) in sizes {
        let dir = tempfile::tempdir().expect("a temporary folder");
        write(dir.path(), k, m);
        let size = (k * m) as f64;
        let ratio = prev_size.map_or(1.0, |p| size / p);
        let mut row = format!("| {k} × {m} | {} |", load_average());
        for (i, c) in commands.iter().enumerate() {
            let args = args_of(c, &mc, &sobol);
            let t = time(env!("CARGO_BIN_EXE_abduce"), dir.path(), &args, timeout);
            row += &format!(" {}", cell(t, prev[i], ratio));
            prev[i] = t.as_ref().map(seconds);
            let b = base
                .as_ref()
                .map(|base| time(base, dir.path(), &args, timeout));
            if let Some(b) = b {
                row += &format!(" · before: {}", cell(b, None, 1.0));
            }
            row += " |";
            series[i].points.push((x(k, m) as f64, t, b.flatten()));
        }
        println!("{row}");
        prev_size = Some(size);
    }
    series
}

/// Colours of the commands on the chart, in the order of `SCALE_COMMANDS`' default.
const COLOURS: [&str; 7] = [
    "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d",
];

/// One panel of the chart: log-log axes, CPU seconds against `x_label`.
fn panel(svg: &mut String, left: f64, title: &str, x_label: &str, series: &[Series]) {
    let (w, h, top) = (400.0, 300.0, 40.0);
    let xs: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.0))
        .collect();
    let ys: Vec<f64> = series
        .iter()
        .flat_map(|s| s.points.iter())
        .flat_map(|p| [p.1, p.2])
        .flatten()
        .map(|c| seconds(&c))
        .filter(|&y| y > 0.0)
        .collect();
    if xs.is_empty() || ys.is_empty() {
        return;
    }
    let fold = |v: &[f64], f: fn(f64, f64) -> f64, init: f64| v.iter().copied().fold(init, f);
    let (x0, x1) = (
        fold(&xs, f64::min, f64::INFINITY).log10().floor(),
        fold(&xs, f64::max, 0.0).log10().ceil(),
    );
    let (y0, y1) = (
        fold(&ys, f64::min, f64::INFINITY).log10().floor(),
        fold(&ys, f64::max, 0.0).log10().ceil(),
    );
    let (x1, y1) = (x1.max(x0 + 1.0), y1.max(y0 + 1.0));
    let px = |x: f64| left + (x.log10() - x0) / (x1 - x0) * w;
    let py = |y: f64| top + h - (y.log10() - y0) / (y1 - y0) * h;
    *svg += &format!(
        "<text x=\"{}\" y=\"20\" font-weight=\"bold\">{title}</text>\n<rect x=\"{left}\" y=\"{top}\" width=\"{w}\" height=\"{h}\" fill=\"none\" stroke=\"#999\"/>\n",
        left
    );
    for e in x0 as i32..=x1 as i32 {
        let x = px(10f64.powi(e));
        *svg += &format!(
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#eee\"/><text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            top + h,
            top + h + 16.0,
            10f64.powi(e)
        );
    }
    for e in y0 as i32..=y1 as i32 {
        let y = py(10f64.powi(e));
        *svg += &format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#eee\"/><text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{} s</text>\n",
            left + w,
            left - 4.0,
            y + 4.0,
            10f64.powi(e)
        );
    }
    *svg += &format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{x_label} (log scale); CPU seconds (log scale)</text>\n",
        left + w / 2.0,
        top + h + 34.0
    );
    for (i, s) in series.iter().enumerate() {
        let colour = COLOURS[i % COLOURS.len()];
        for (base, dash) in [(false, ""), (true, " stroke-dasharray=\"5,4\"")] {
            let pts: Vec<String> = s
                .points
                .iter()
                .filter_map(|p| {
                    let c = if base { p.2 } else { p.1 }?;
                    let y = seconds(&c);
                    (y > 0.0).then(|| format!("{:.1},{:.1}", px(p.0), py(y)))
                })
                .collect();
            if pts.len() > 1 {
                *svg += &format!(
                    "<polyline points=\"{}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}/>\n",
                    pts.join(" ")
                );
            }
            for p in &pts {
                let (x, y) = p.split_once(',').expect("x,y");
                *svg += &format!("<circle cx=\"{x}\" cy=\"{y}\" r=\"2.5\" fill=\"{colour}\"/>\n");
            }
        }
    }
}

/// The chart of both curves as one SVG: two panels and a legend.
fn chart(items: &[Series], hyps: &[Series], note: &str) -> String {
    let mut svg = String::from(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1100\" height=\"420\" font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"1100\" height=\"420\" fill=\"white\"/>\n",
    );
    panel(&mut svg, 60.0, "Items (50 hypotheses)", "items", items);
    panel(
        &mut svg,
        540.0,
        "Hypotheses (500 items)",
        "hypotheses",
        hyps,
    );
    for (i, s) in items
        .iter()
        .chain(hyps)
        .take(items.len().max(hyps.len()))
        .enumerate()
    {
        let y = 60.0 + 18.0 * i as f64;
        svg += &format!(
            "<line x1=\"960\" y1=\"{y}\" x2=\"990\" y2=\"{y}\" stroke=\"{}\" stroke-width=\"2\"/><text x=\"996\" y=\"{}\">{}</text>\n",
            COLOURS[i % COLOURS.len()],
            y + 4.0,
            s.command
        );
    }
    let y = 60.0 + 18.0 * items.len().max(hyps.len()) as f64 + 10.0;
    svg += &format!(
        "<line x1=\"960\" y1=\"{y}\" x2=\"990\" y2=\"{y}\" stroke=\"#333\" stroke-width=\"2\"/><text x=\"996\" y=\"{}\">this build</text>\n<line x1=\"960\" y1=\"{}\" x2=\"990\" y2=\"{}\" stroke=\"#333\" stroke-width=\"2\" stroke-dasharray=\"5,4\"/><text x=\"996\" y=\"{}\">before</text>\n",
        y + 4.0,
        y + 18.0,
        y + 18.0,
        y + 22.0
    );
    svg += &format!("<text x=\"60\" y=\"410\" fill=\"#555\">{note}</text>\n</svg>\n");
    svg
}

fn secs(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64()
}

/// The incremental tornado and leave-one-out against full rescoring, in-process.
fn old_and_new(items: &[usize], old_max: usize) {
    println!(
        "\n### Tornado and leave-one-out: incremental against full rescoring (50 hypotheses)\n"
    );
    println!("| items | tornado incremental | tornado full | tipping incremental | tipping full |");
    println!("|---|---|---|---|---|");
    for &m in items {
        let case = synthetic::case(50, m, 7);
        let tn = secs(|| {
            tornado::run(&case).expect("runs");
        });
        let pn = secs(|| {
            tipping::run(&case).expect("runs");
        });
        let (to, po) = if m <= old_max {
            (
                format!(
                    "{:.3} s",
                    secs(|| {
                        tornado::run_full(&case).expect("runs");
                    })
                ),
                format!(
                    "{:.3} s",
                    secs(|| {
                        tipping::run_full(&case).expect("runs");
                    })
                ),
            )
        } else {
            ("(not run)".into(), "(not run)".into())
        };
        println!("| {m} | {tn:.3} s | {to} | {pn:.3} s | {po} |");
    }
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    if let Ok(spec) = std::env::var("SCALE_WRITE") {
        // `SCALE_WRITE=DIR,K,M`: only write the case of K hypotheses and M items into DIR.
        let parts: Vec<&str> = spec.split(',').collect();
        let (k, m) = (parts[1].parse().expect("K"), parts[2].parse().expect("M"));
        write(Path::new(parts[0]), k, m);
        return;
    }
    let commands = env_list(
        "SCALE_COMMANDS",
        "check,score,tornado,tipping,monte-carlo,sobol,report",
    );
    let items: Vec<usize> = env_list("SCALE_ITEMS", "500,1000,2000,5000,10000,20000,50000")
        .iter()
        .map(|s| s.parse().expect("a number of items"))
        .collect();
    let hyps: Vec<usize> = env_list("SCALE_HYPS", "5,50,500")
        .iter()
        .map(|s| s.parse().expect("a number of hypotheses"))
        .collect();
    let sizes: Vec<(usize, usize)> = items.iter().map(|&m| (50, m)).collect();
    let by_items = curves(&sizes, &commands, "Items (50 hypotheses)", |_, m| m);
    let sizes: Vec<(usize, usize)> = hyps.iter().map(|&k| (k, 500)).collect();
    let by_hyps = curves(&sizes, &commands, "Hypotheses (500 items)", |k, _| k);
    let svg_path = std::env::var("SCALE_SVG").unwrap_or_else(|_| "docs/scaling-curves.svg".into());
    let note = format!(
        "CPU seconds (user + system) of the release binary; monte-carlo {} scenarios, sobol {} base rows, report its default; missing points: over {} s of wall time.",
        env_u64("SCALE_MC", 16384),
        env_u64("SCALE_SOBOL", 64),
        env_u64("SCALE_TIMEOUT", 300)
    );
    std::fs::write(&svg_path, chart(&by_items, &by_hyps, &note)).expect("the chart is written");
    println!("\nChart: {svg_path}");
    let old_max = env_u64("SCALE_OLD_MAX", 2000) as usize;
    old_and_new(&items, old_max);
}
