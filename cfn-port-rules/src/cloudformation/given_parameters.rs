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

/// An `unknown-parameter` warning for each name in `given` that the
/// template does not declare, except pinnable pseudo parameters, naming the
/// closest declared parameter when one is close.
#[must_use]
pub fn undeclared(template: &Template<'_>, given: &BTreeSet<String>) -> Vec<Diagnostic> {
    given
        .iter()
        .filter(|name| !PINNABLE_PSEUDO_PARAMETERS.contains(&name.as_str()))
        .filter(|name| template.parameter(name).is_none())
        .map(|name| undeclared_diagnostic(template, name))
        .collect()
}

fn undeclared_diagnostic(template: &Template<'_>, name: &str) -> Diagnostic {
    let message =
        format!("a value is given for `{name}`, but the template declares no such parameter");
    let mut diagnostic = match parameters_key(template.document()) {
        Some(key) => Diagnostic::new(
            DiagnosticKind::UnknownParameter,
            message,
            Label::primary(key, "the parameters this template declares"),
        ),
        None => Diagnostic::file_error(DiagnosticKind::UnknownParameter, message)
            .with_note("the template has no `Parameters` section"),
    };
    diagnostic = match closest(template, name) {
        Some(close) => diagnostic.with_help(format!("did you mean `{close}`?")),
        None => diagnostic.with_help(
            "check the name, or give values shared by many templates in the config file's \
             `[parameters]`, which are not checked",
        ),
    };
    diagnostic
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

    fn warnings(text: &str, given: &[&str]) -> Vec<Diagnostic> {
        let source = SourceFile::new("t.yaml", text);
        let parsed = syntax::parse(&source, &Limits::default());
        let doc = parsed.usable_document().expect("parses");
        let template = Template::new(doc, &BTreeMap::new()).expect("a template");
        let given = given.iter().map(ToString::to_string).collect();
        undeclared(&template, &given)
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
    fn a_name_like_nothing_declared_suggests_nothing() {
        let found = warnings(TEMPLATE, &["VpcId"]);
        assert!(
            found[0]
                .help
                .as_deref()
                .is_some_and(|h| !h.contains("did you mean"))
        );
        let found = warnings("Resources: {}\n", &["CachePort"]);
        assert_eq!(found[0].notes, ["the template has no `Parameters` section"]);
        assert!(found[0].labels.is_empty());
    }
}
