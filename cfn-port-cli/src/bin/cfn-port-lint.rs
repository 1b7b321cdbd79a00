//! The `cfn-port-lint` binary: everything lives in the `cfn_port_cli` library.

// Parsing allocates a string per scalar and linting a few per finding; with
// glibc's allocator malloc and free were 40% of all instructions on a
// 10,000-resource template. mimalloc is the allocator ruff and oxc ship.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cfn_port_cli::run(std::env::args_os())
}
