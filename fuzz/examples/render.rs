//! Prints the templates a `structured_template` input renders to, for
//! minimising and reporting a finding:
//!
//!     cargo run --example render -- fuzz/artifacts/structured_template/crash-…
use arbitrary::{Arbitrary, Unstructured};
use cfn_port_rules::{LintOptions, SourceFile, lint};
use cfn_port_rules_fuzz::model::{Syntax, Template};

fn main() {
    let path = std::env::args().nth(1).expect("usage: render FILE");
    let data = std::fs::read(path).expect("readable input");
    let (template, syntax) = <(Template, Syntax)>::arbitrary_take_rest(Unstructured::new(&data))
        .expect("the input decodes");
    println!("first syntax: {syntax:?}\n{template:#?}");
    for syntax in [Syntax::Json, Syntax::YamlShort, Syntax::YamlLong] {
        let (text, name) = template.render(syntax);
        let report = lint(
            &SourceFile::new(name, text.clone()),
            &LintOptions::default(),
        );
        println!("===== {syntax:?}\n{text}");
        for d in &report.diagnostics {
            println!("  {d}");
        }
        for f in &report.findings {
            println!("  finding {}: {}", f.resource, f.message);
        }
        for u in &report.undetermined {
            println!("  undetermined {}: {}", u.resource, u.reason);
        }
    }
}
