//! Parameter values given for a run, checked against what a template
//! declares: a name the template does not declare is a typo or a value
//! meant for another template, and would otherwise be ignored in silence.

use std::collections::BTreeSet;

use crate::diagnostic::{Diagnostic, DiagnosticKind, Label};
use crate::syntax::Document;
use crate::template::Template;

/// Pseudo parameters whose value may be given (`--parameter
/// AWS::Region=eu-west-1`): they differ from one deployment to another but
/// are fixed for one, so pinning them is meaningful.
pub const PINNABLE_PSEUDO_PARAMETERS: &[&str] =
    &["AWS::Region", "AWS::AccountId", "AWS::Partition"];

/// Names are "close" when at least this similar (normalised Levenshtein):
/// `CachPort` is close to `CachePort`, `Environment` is not close to `Port`.
const CLOSE_ENOUGH: f64 = 0.6;

/// What one template makes of the parameter names given for a run.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Undeclared {
    /// Given names the template does not declare (pinnable pseudo
    /// parameters aside), in name order.
    pub names: Vec<String>,
    /// An `unknown-parameter` warning for each of those names that is close
    /// to a declared one: a likely typo in this very template.
    pub diagnostics: Vec<Diagnostic>,
}

/// The names in `given` that the template does not declare, and a warning
/// for each one that looks like a misspelling of a declared parameter.
///
/// A name like nothing the template declares gets no warning here: a run
/// over many templates gives each value to all of them, and a value meant
/// for another template is no mistake. Whoever runs the templates (the
/// command line) warns about a name that no template declares.
#[must_use]
pub fn undeclared(template: &Template<'_>, given: &BTreeSet<String>) -> Undeclared {
    let names: Vec<String> = given
        .iter()
        .filter(|name| !PINNABLE_PSEUDO_PARAMETERS.contains(&name.as_str()))
        .filter(|name| template.parameter(name).is_none())
        .cloned()
        .collect();
    let diagnostics = names
        .iter()
        .filter_map(|name| likely_typo(template, name))
        .collect();
    Undeclared { names, diagnostics }
}

fn likely_typo(template: &Template<'_>, name: &str) -> Option<Diagnostic> {
    let close = closest(template, name)?;
    let key = parameters_key(template.document())?;
    let message =
        format!("a value is given for `{name}`, but the template declares no such parameter");
    Some(
        Diagnostic::new(
            DiagnosticKind::UnknownParameter,
            message,
            Label::primary(key, "the parameters this template declares"),
        )
        .with_help(format!("did you mean `{close}`?")),
    )
}

/// The span of the `Parameters` key, the place declared names are read from.
fn parameters_key(doc: &Document) -> Option<crate::source::Span> {
    doc.mapping(doc.root())?
        .iter()
        .find(|entry| &*entry.key.text == "Parameters")
        .map(|entry| entry.key.span)
}

/// The declared parameter most like `name`, when it is close enough; case
/// is ignored, since `cacheport` for `CachePort` is the commonest slip.
fn closest<'t>(template: &'t Template<'_>, name: &str) -> Option<&'t str> {
    let wanted = name.to_lowercase();
    template
        .parameters()
        .iter()
        .map(|p| {
            (
                strsim::normalized_levenshtein(&wanted, &p.name.to_lowercase()),
                &*p.name,
            )
        })
        .filter(|(score, _)| *score >= CLOSE_ENOUGH)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, declared)| declared)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::{Limits, SourceFile, syntax};

    fn undeclared_in(text: &str, given: &[&str]) -> Undeclared {
        let source = SourceFile::new("t.yaml", text);
        let parsed = syntax::parse(&source, &Limits::default());
        let doc = parsed.usable_document().expect("parses");
        let template = Template::new(doc, &BTreeMap::new()).expect("a template");
        let given = given.iter().map(ToString::to_string).collect();
        undeclared(&template, &given)
    }

    fn warnings(text: &str, given: &[&str]) -> Vec<Diagnostic> {
        undeclared_in(text, given).diagnostics
    }

    const TEMPLATE: &str = "Parameters:\n  CachePort:\n    Type: Number\n  Environment:\n    Type: String\nResources: {}\n";

    #[test]
    fn declared_names_and_pinnable_pseudo_parameters_pass() {
        let given = [
            "CachePort",
            "Environment",
            "AWS::Region",
            "AWS::AccountId",
            "AWS::Partition",
        ];
        assert!(warnings(TEMPLATE, &given).is_empty());
    }

    #[test]
    fn an_undeclared_name_names_the_closest_declared_one() {
        let found = warnings(TEMPLATE, &["cacheport"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, DiagnosticKind::UnknownParameter);
        assert_eq!(
            found[0].message,
            "a value is given for `cacheport`, but the template declares no such parameter"
        );
        assert_eq!(found[0].help.as_deref(), Some("did you mean `CachePort`?"));
        let found = warnings(TEMPLATE, &["Enviroment"]);
        assert_eq!(
            found[0].help.as_deref(),
            Some("did you mean `Environment`?")
        );
    }

    #[test]
    fn a_name_like_nothing_declared_is_listed_without_a_warning() {
        let found = undeclared_in(TEMPLATE, &["VpcId", "CachePort", "AWS::Region"]);
        assert_eq!(found.names, ["VpcId"]);
        assert!(found.diagnostics.is_empty());
        let found = undeclared_in("Resources: {}\n", &["CachePort"]);
        assert_eq!(found.names, ["CachePort"]);
        assert!(found.diagnostics.is_empty());
    }
}
