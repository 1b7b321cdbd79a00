//! The `cfn-port-lint` binary: everything lives in the `cfn_port_cli` library.

// Parsing allocates a string per scalar and linting a few per finding: with
// glibc's allocator, malloc and free were a third of all instructions on a
// 10,000-resource template. mimalloc (as ruff and oxc ship) makes that run
// 1.8x faster with the same peak RSS. Only the binary picks an allocator;
// the library leaves that to whoever embeds it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cfn_port_cli::run(std::env::args_os())
}
