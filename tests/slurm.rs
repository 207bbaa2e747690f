//! The Slurm recipe of docs/scaling.md, run for real: a one-node cluster on localhost
//! (munged, slurmctld, slurmd as root), the job arrays of `deploy/slurm/submit.sh` for a
//! Monte Carlo sweep, a Sobol sweep and a batch plan, each with its dependent merge job; the
//! merged results must be the bytes of the unsharded runs.
//!
//! Needs root and Debian's `slurm-wlm` and `munge` (`.ci/run` installs them). Elsewhere it
//! prints why it is skipped; in CI (`CI` set) a missing Slurm is a failure.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_abduce");

/// Why the cluster cannot be started here, if it cannot.
fn missing() -> Option<String> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some("not running as root (munged, slurmctld and slurmd need it)".into());
    }
    for tool in [
        "munged",
        "mungekey",
        "slurmctld",
        "slurmd",
        "sbatch",
        "squeue",
        "scontrol",
        "sinfo",
    ] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success());
        if !found {
            return Some(format!(
                "`{tool}` is not installed (apt-get install slurm-wlm munge)"
            ));
        }
    }
    None
}

/// Two different free TCP ports on localhost (both held until both are known).
fn free_ports() -> (u16, u16) {
    let a = TcpListener::bind("127.0.0.1:0").unwrap();
    let b = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = |l: &TcpListener| l.local_addr().unwrap().port();
    (port(&a), port(&b))
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The daemons of the test, stopped (by the ids in their pid files) when dropped, also when
/// the test fails.
struct Cluster {
    dir: PathBuf,
    conf: PathBuf,
}

impl Cluster {
    fn start(dir: &Path) -> Cluster {
        let host = run(Command::new("hostname").arg("-s")).trim().to_string();
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        let d = dir.display();
        run(Command::new("mungekey")
            .args(["--create", "--force", "--keyfile"])
            .arg(dir.join("munge.key")));
        run(Command::new("munged")
            .arg("--force")
            .arg(format!("--key-file={d}/munge.key"))
            .arg(format!("--socket={d}/munge.socket"))
            .arg(format!("--pid-file={d}/munged.pid"))
            .arg(format!("--log-file={d}/munged.log"))
            .arg(format!("--seed-file={d}/munged.seed")));
        for sub in ["state", "spool"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        let conf = dir.join("slurm.conf");
        let ports = free_ports();
        std::fs::write(
            &conf,
            format!(
                "ClusterName=abduce-test\n\
                 SlurmctldHost={host}(127.0.0.1)\n\
                 SlurmctldPort={}\n\
                 SlurmdPort={}\n\
                 SlurmUser=root\n\
                 SlurmdUser=root\n\
                 AuthType=auth/munge\n\
                 AuthInfo=socket={d}/munge.socket\n\
                 CredType=cred/munge\n\
                 StateSaveLocation={d}/state\n\
                 SlurmdSpoolDir={d}/spool\n\
                 SlurmctldPidFile={d}/slurmctld.pid\n\
                 SlurmdPidFile={d}/slurmd.pid\n\
                 SlurmctldLogFile={d}/slurmctld.log\n\
                 SlurmdLogFile={d}/slurmd.log\n\
                 ProctrackType=proctrack/linuxproc\n\
                 TaskPlugin=task/none\n\
                 JobAcctGatherType=jobacct_gather/none\n\
                 AccountingStorageType=accounting_storage/none\n\
                 JobCompType=jobcomp/none\n\
                 SchedulerType=sched/backfill\n\
                 SelectType=select/cons_tres\n\
                 SelectTypeParameters=CR_CPU\n\
                 ReturnToService=2\n\
                 MpiDefault=none\n\
                 NodeName={host} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN\n\
                 PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP\n",
                ports.0, ports.1
            ),
        )
        .unwrap();
        let cluster = Cluster {
            dir: dir.to_path_buf(),
            conf,
        };
        run(Command::new("slurmctld")
            .arg("-c")
            .arg("-f")
            .arg(&cluster.conf));
        run(Command::new("slurmd").arg("-f").arg(&cluster.conf));
        // Wait (at most a minute) for the node to take jobs.
        let start = Instant::now();
        loop {
            let state = cluster.cmd("sinfo").args(["-h", "-o", "%T"]).output();
            let state = state.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
            if matches!(state.as_deref(), Ok("idle")) {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "the node did not come up: {state:?}\n{}",
                cluster.logs()
            );
            std::thread::sleep(Duration::from_millis(500));
        }
        cluster
    }

    /// A Slurm client command on this cluster.
    fn cmd(&self, name: &str) -> Command {
        let mut c = Command::new(name);
        c.env("SLURM_CONF", &self.conf);
        c
    }

    /// The state of job `id` (COMPLETED, FAILED, PENDING, ...).
    fn state(&self, id: &str) -> String {
        let out = self.cmd("scontrol").args(["show", "job", id]).output();
        let text = out.map_or(String::new(), |o| {
            String::from_utf8_lossy(&o.stdout).into_owned()
        });
        text.split_whitespace()
            .find_map(|w| w.strip_prefix("JobState="))
            .unwrap_or("UNKNOWN")
            .to_string()
    }

    fn logs(&self) -> String {
        ["munged.log", "slurmctld.log", "slurmd.log"]
            .iter()
            .map(|f| {
                let text = std::fs::read_to_string(self.dir.join(f)).unwrap_or_default();
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                format!(
                    "--- {f}\n{}\n",
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                )
            })
            .collect()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.cmd("scontrol").arg("shutdown").output();
        std::thread::sleep(Duration::from_secs(1));
        for pid_file in ["slurmd.pid", "slurmctld.pid", "munged.pid"] {
            if let Ok(pid) = std::fs::read_to_string(self.dir.join(pid_file)) {
                let pid = pid.trim();
                if !pid.is_empty() {
                    let _ = Command::new("kill").arg(pid).output();
                }
            }
        }
    }
}

#[test]
fn the_slurm_recipe_merges_to_the_unsharded_bytes() {
    if let Some(why) = missing() {
        if std::env::var_os("CI").is_some() {
            panic!("the Slurm test cannot run in CI: {why}");
        }
        println!("SKIPPED the Slurm test: {why}");
        eprintln!("SKIPPED the Slurm test: {why}");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let cluster = Cluster::start(tmp.path());
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let abduce = |args: &[&str]| run(Command::new(BIN).current_dir(&work).args(args));
    abduce(&["init", "--dir", "."]);
    std::fs::write(
        work.join("plan.toml"),
        "[batch]\nsamples = 5000\nseed = 3\n\
         [[case]]\nname = \"afghan-tajik-border\"\n\
         [[variant]]\nname = \"base\"\n\
         [[variant]]\nname = \"light\"\nset = [\"evidence.shohin-2024.weight=0.5\"]\n\
         [run]\ncommands = [\"score\", \"monte-carlo\", \"tornado\"]\n",
    )
    .unwrap();
    let case = "afghan-tajik-border";
    // (name, shards, the command's arguments): 1,000 Sobol base rows are 4 chunks of 256, so
    // 5 shards leave one empty.
    let runs: [(&str, usize, Vec<&str>); 3] = [
        (
            "mc",
            4,
            vec![
                "sweep",
                "monte-carlo",
                case,
                "--samples",
                "40000",
                "--seed",
                "7",
            ],
        ),
        (
            "sobol",
            5,
            vec!["sweep", "sobol", case, "--samples", "1000", "--seed", "7"],
        ),
        ("batch", 3, vec!["batch", "plan.toml"]),
    ];
    let deploy = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy");
    let mut jobs = Vec::new();
    for (name, n, args) in &runs {
        let whole = format!("{name}-whole.json");
        abduce(&[&args[..], &["--format", "json", "--quiet", "-o", &whole]].concat());
        let ids = run(cluster
            .cmd(deploy.join("slurm/submit.sh").to_str().unwrap())
            .current_dir(&work)
            .env("ABDUCE", BIN)
            .args([
                &n.to_string(),
                &format!("parts/{name}"),
                &format!("{name}.json"),
                "json",
            ])
            .args(args));
        let ids: Vec<String> = ids.split_whitespace().map(String::from).collect();
        assert_eq!(
            ids.len(),
            2,
            "submit.sh prints the array's and the merge's job ids"
        );
        jobs.push((name.to_string(), ids[1].clone()));
    }
    // Wait for the merge jobs, at most three minutes.
    let start = Instant::now();
    for (name, merge) in &jobs {
        loop {
            let state = cluster.state(merge);
            if state == "COMPLETED" {
                break;
            }
            let finished = [
                "FAILED",
                "CANCELLED",
                "TIMEOUT",
                "NODE_FAIL",
                "OUT_OF_MEMORY",
            ];
            if finished.contains(&state.as_str()) || start.elapsed() > Duration::from_secs(180) {
                let logs: String = std::fs::read_dir(work.join("logs"))
                    .map(|d| {
                        d.flatten()
                            .map(|e| {
                                let text = std::fs::read_to_string(e.path()).unwrap_or_default();
                                format!("--- {}\n{text}", e.path().display())
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                panic!("merge job of {name}: {state}\n{logs}\n{}", cluster.logs());
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        let merged = std::fs::read(work.join(format!("{name}.json"))).unwrap();
        let whole = std::fs::read(work.join(format!("{name}-whole.json"))).unwrap();
        assert!(
            merged == whole,
            "{name}: the merged result differs from the unsharded run"
        );
    }
    // Each shard's log names its shard and chunk or run range.
    let logs: Vec<PathBuf> = std::fs::read_dir(work.join("logs"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(
        logs.iter()
            .filter(|p| p.to_string_lossy().contains("abduce-shard"))
            .count(),
        4 + 5 + 3
    );
    drop(cluster);
}
