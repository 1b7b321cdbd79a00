//! The `cfn-port-lint` binary: everything lives in the `cfn_port_cli` library.

fn main() -> std::process::ExitCode {
    cfn_port_cli::run(std::env::args_os())
}
