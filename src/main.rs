use std::process::ExitCode;

// glibc's allocator spends a fifth of a large build's user time in contention and
// consolidation between the render and I/O threads; mimalloc does not (README, "Performance").
// Its `no_thp` feature keeps transparent huge pages off: with them, every touched arena page
// counts as 2 MiB, which tripled the peak memory of a small site.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    groupdir::cmd::main()
}
