use std::process::ExitCode;

// glibc's allocator spends a fifth of a large build's user time in contention and
// consolidation between the render and I/O threads; mimalloc does not (README, "Performance").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    groupdir::cli::main()
}
