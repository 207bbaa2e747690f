//! What an installed CLI offers besides its commands: `--version`, a grouped `--help`, shell
//! completions and a manual page.

#[path = "fixtures/harness.rs"]
mod harness;

use std::process::Command;

use harness::{Abduce, Run};

fn abduce(args: &[&str]) -> Run {
    Abduce::bundled().args(args).run()
}

#[test]
fn version_is_the_crates() {
    assert_eq!(
        abduce(&["--version"]).ok(),
        format!("abduce {}\n", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn help_lists_every_command_once_in_its_group() {
    let out = abduce(&["--help"]).ok();
    let groups = [
        "Case commands:",
        "Analysis commands:",
        "Sweeps commands:",
        "Workflow commands:",
    ];
    let at: Vec<usize> = groups.iter().map(|g| out.find(g).expect(g)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{out}");
    let group_of = |name: &str| {
        let line = format!("\n  {name} ");
        let pos = out
            .find(&line)
            .unwrap_or_else(|| panic!("{name} missing:\n{out}"));
        assert_eq!(out.matches(&line).count(), 1, "{name} listed twice");
        at.iter().rposition(|&g| g < pos).unwrap()
    };
    for (name, group) in [
        ("init", 0),
        ("check", 0),
        ("tune", 0),
        ("import", 0),
        ("export", 0),
        ("score", 1),
        ("timeline", 1),
        ("indicators", 1),
        ("report", 1),
        ("compare", 1),
        ("sweep", 2),
        ("merge", 2),
        ("batch", 3),
        ("completions", 3),
        ("man", 3),
    ] {
        assert_eq!(group_of(name), group, "{name}");
    }
    assert!(out.contains("Options:\n  -h, --help"));
}

#[test]
fn completions_are_generated_for_each_shell_and_bash_parses() {
    for (shell, marker) in [
        ("bash", "complete -F _abduce"),
        ("zsh", "#compdef abduce"),
        ("fish", "complete -c abduce"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = abduce(&["completions", shell]).ok();
        assert!(out.contains(marker), "{shell}");
        // Subcommands and their options are completed.
        assert!(
            out.contains("monte-carlo") && out.contains("shard"),
            "{shell}"
        );
    }
    let script = abduce(&["completions", "bash"]).ok();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("abduce.bash");
    std::fs::write(&path, &script).unwrap();
    let status = Command::new("bash").arg("-n").arg(&path).status().unwrap();
    assert!(status.success(), "bash -n rejects the completion script");
    abduce(&["completions", "tcsh"]).fails(2);
}

#[test]
fn the_manual_page_is_roff_with_every_command() {
    let page = abduce(&["man"]).ok();
    assert!(
        page.starts_with(".ie \\n(.g .ds Aq \\(aq") || page.contains(".TH abduce 1"),
        "{}",
        &page[..200]
    );
    for section in [
        ".TH abduce 1",
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH VERSION",
    ] {
        assert!(page.contains(section), "{section} missing");
    }
    for cmd in [
        "check",
        "score",
        "sweep",
        "merge",
        "batch",
        "init",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("abduce\\-{cmd}(1)")),
            "{cmd} missing"
        );
    }
    // Every request line is a known roff request or macro of man(7).
    for line in page.lines().filter(|l| l.starts_with('.')) {
        let req = line[1..].split_whitespace().next().unwrap_or("");
        assert!(
            [
                "ie", "el", "TH", "SH", "TP", "PP", "IP", "RS", "RE", "B", "I", "br", "sp", "nh",
                "ad", "ds", "fi", "nf"
            ]
            .contains(&req),
            "unexpected roff request: {line}"
        );
    }
    // Where groff is installed, it renders the page (UTF-8, through preconv) without a warning.
    if let Ok(out) = Command::new("groff")
        .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(page.as_bytes())?;
            child.wait_with_output()
        })
    {
        assert!(out.status.success());
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warnings");
    } else {
        eprintln!("groff is not installed: the page was checked for its structure only");
    }
}

#[test]
fn the_deploy_scripts_shard_and_merge_and_every_recipe_uses_them() {
    let deploy = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy");
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_abduce");
    let sh = |script: &str, args: &[&str], env: &[(&str, &str)]| {
        let out = Command::new(deploy.join(script))
            .current_dir(dir.path())
            .env("ABDUCE", bin)
            .envs(env.iter().copied())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let mc = [
        "sweep",
        "monte-carlo",
        "--samples",
        "9000",
        "--seed",
        "2",
        "--quiet",
    ];
    // Shard 1 by its number, shard 2 as Kubernetes' pod index 1 (0-based).
    sh(
        "abduce-shard",
        &[&["1", "2", "parts"][..], &mc].concat(),
        &[],
    );
    sh(
        "abduce-shard",
        &[&["auto", "2", "parts"][..], &mc].concat(),
        &[("JOB_COMPLETION_INDEX", "1")],
    );
    sh("abduce-merge", &["2", "parts", "merged.json"], &[]);
    let whole = Command::new(bin)
        .current_dir(dir.path())
        .args([&mc[..], &["--format", "json"]].concat())
        .output()
        .unwrap();
    assert_eq!(
        std::fs::read(dir.path().join("merged.json")).unwrap(),
        whole.stdout
    );
    // The recipes run the same two scripts, with the same part names.
    let read = |p: &str| std::fs::read_to_string(deploy.join(p)).unwrap();
    assert!(read("slurm/shard.sbatch").contains("abduce-shard}\" auto \"$n\" \"$parts\""));
    assert!(read("slurm/merge.sbatch").contains("abduce-merge"));
    assert!(
        read("k8s/abduce-sobol.yaml")
            .contains("command: [\"abduce-shard\", \"auto\", \"16\", \"/parts\"]")
    );
    assert!(
        read("k8s/abduce-sobol-merge.yaml")
            .contains("command: [\"abduce-merge\", \"16\", \"/parts\"")
    );
    let docker = std::fs::read_to_string(deploy.join("../Dockerfile")).unwrap();
    assert!(docker.contains("COPY deploy/abduce-shard deploy/abduce-merge /usr/local/bin/"));
    assert!(docker.contains("USER 10001"));
    for script in [
        "abduce-shard",
        "abduce-merge",
        "slurm/shard.sbatch",
        "slurm/merge.sbatch",
        "slurm/submit.sh",
    ] {
        let ok = Command::new("sh")
            .arg("-n")
            .arg(deploy.join(script))
            .status()
            .unwrap();
        assert!(ok.success(), "sh -n {script}");
    }
}
