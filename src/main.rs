//! The `abduce` binary: parse the command line, run the command, print one error, choose the
//! exit code (0 success, 1 bad input or failed run, 2 bad command line).

mod cli;
mod commands;
mod serve;

use std::process::ExitCode;

use clap::FromArgMatches;

fn main() -> ExitCode {
    let cli = match cli::Cli::from_arg_matches(&cli::command().get_matches()) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    // Ctrl-C: the first asks long runs to stop at their next chunk (they exit 1 and write
    // nothing); a second one ends the process at once (exit 130).
    let _ = ctrlc::set_handler(|| {
        if abduce::limits::interrupted() {
            std::process::exit(130);
        }
        abduce::limits::interrupt();
    });
    if let Err(m) = abduce::sweep::simd::env_cap() {
        eprintln!("abduce: warning: {m}");
    }
    match commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}
