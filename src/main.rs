use std::process::ExitCode;

fn main() -> ExitCode {
    groupdir::cli::main()
}
