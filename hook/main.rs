//! `cfn-port-lint-hook`: the `cfn-port-lint` command line, installed by
//! pre-commit (`cargo install --path .` on this repository). It is the same
//! program as the `cfn-port-lint` binary of `cfn-port-cli`, and names itself
//! `cfn-port-lint` in help and errors.

// The same allocator as the `cfn-port-lint` binary, for the same speed.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Help and usage show the command users know, not this file's name.
    let args = std::iter::once("cfn-port-lint".into()).chain(std::env::args_os().skip(1));
    cfn_port_cli::run(args)
}
