use std::collections::BTreeMap;

use super::scalars::{is_canonical_decimal, number_reading};
use super::*;
use crate::eval::parse_int as parse_yaml_int;
use crate::syntax::ScalarType;
use crate::{Limits, SourceFile};

/// Evaluates `Resources.R.Properties.<property>` of a YAML template.
fn possibilities(
    yaml: &str,
    property: &str,
    given: &[(&str, &str)],
) -> (Vec<Possibility>, Vec<Diagnostic>) {
    let source = SourceFile::new("t.yaml", yaml);
    let parsed = crate::syntax::parse(&source, &Limits::default());
    let doc = parsed.usable_document().expect("template parses");
    let given: BTreeMap<String, String> = given
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let template = Template::new(doc, &given).expect("a template");
    let evaluator = Evaluator::new(&template, &given, 64);
    let resource = &template.resources()[0];
    let existence = evaluator.existence(resource);
    let values = evaluator
        .property(resource, property)
        .into_iter()
        .filter(|p| {
            existence
                .iter()
                .any(|e| e.scenario.merge(&p.scenario).is_some())
        })
        .collect();
    (values, evaluator.take_problems())
}

fn texts(values: &[Possibility]) -> Vec<String> {
    values
        .iter()
        .map(|p| match &p.value {
            Value::String(t) | Value::Number(t) => t.to_string(),
            Value::Absent => "<absent>".into(),
            Value::Unknown(u) => format!("<unknown: {}>", u.reason),
            other => format!("{other:?}"),
        })
        .collect()
}

fn resource(properties: &str) -> String {
    format!("Resources:\n  R:\n    Type: T\n    Properties:\n{properties}")
}

#[test]
fn given_value_wins_over_allowed_values_and_default() {
    let yaml = format!(
        "Parameters:\n  P:\n    Type: Number\n    Default: 1\n    AllowedValues: [1, 2]\n{}",
        resource("      V: !Ref P\n")
    );
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["1", "2"]);
    assert_eq!(texts(&possibilities(&yaml, "V", &[("P", "9")]).0), ["9"]);
}

#[test]
fn a_number_parameter_yields_a_string() {
    let yaml = format!(
        "Parameters:\n  P:\n    Type: Number\n    Default: 6379\n{}",
        resource("      V: !Ref P\n")
    );
    let (values, _) = possibilities(&yaml, "V", &[]);
    assert_eq!(values[0].value, Value::String("6379".into()));
}

#[test]
fn two_ifs_on_one_condition_never_mix_branches() {
    let yaml = format!(
        "Parameters:\n  Env:\n    Type: String\n    AllowedValues: [dev, prod]\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n{}",
        resource("      V: !Join ['-', [!If [IsProd, a, b], !If [IsProd, c, d]]]\n")
    );
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["b-d", "a-c"]);
}

#[test]
fn an_opaque_condition_is_still_one_variable() {
    let yaml = format!(
        "Conditions:\n  C: !Equals [!Ref AWS::AccountId, '1']\n{}",
        resource("      V: !Join ['-', [!If [C, a, b], !If [C, c, d]]]\n")
    );
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["a-c", "b-d"]);
}

#[test]
fn region_keys_are_enumerated_for_find_in_map() {
    let yaml = format!(
        "Mappings:\n  M:\n    us-east-1: {{Port: 1}}\n    eu-west-1: {{Port: 2}}\n{}",
        resource("      V: !FindInMap [M, !Ref AWS::Region, Port]\n")
    );
    let (values, _) = possibilities(&yaml, "V", &[]);
    assert_eq!(texts(&values), ["1", "2"]);
    assert_eq!(values[0].scenario.to_string(), "in us-east-1");
}

#[test]
fn the_resource_condition_restricts_the_scenarios() {
    let yaml = "Parameters:\n  E:\n    Type: String\n    AllowedValues: [a, b]\nConditions:\n  IsA: !Equals [!Ref E, a]\nResources:\n  R:\n    Type: T\n    Condition: IsA\n    Properties:\n      V: !Ref E\n";
    assert_eq!(texts(&possibilities(yaml, "V", &[]).0), ["a"]);
}

#[test]
fn novalue_is_absent_and_missing_properties_are_absent() {
    let yaml = resource("      V: !Ref AWS::NoValue\n");
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["<absent>"]);
    assert_eq!(texts(&possibilities(&yaml, "Missing", &[]).0), ["<absent>"]);
}

#[test]
fn sub_handles_escapes_variables_and_pseudo_parameters() {
    let yaml = format!(
        "Parameters:\n  P:\n    Type: String\n    Default: x\n{}",
        resource(
            "      V: !Sub '${!Literal}-${P}'\n      U: !Sub '${P}-${Q}'\n      W: !Sub ['${A}', {A: !Ref P}]\n      X: !Sub '${AWS::StackName}'\n"
        )
    );
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["${Literal}-x"]);
    // One unknown part makes the whole string unknown, with that part's reason.
    assert_eq!(
        texts(&possibilities(&yaml, "U", &[]).0),
        ["<unknown: `Ref` to `Q`, which is neither a parameter nor a resource>"]
    );
    assert_eq!(texts(&possibilities(&yaml, "W", &[]).0), ["x"]);
    assert!(texts(&possibilities(&yaml, "X", &[]).0)[0].contains("pseudo parameter"));
}

#[test]
fn select_split_and_join_compute_when_inputs_are_known() {
    let yaml = resource(
        "      A: !Select [2, !Split [',', 'a,b,c']]\n      B: !Join [':', !Split [',', 'a,b']]\n      C: !Select [5, [a]]\n",
    );
    assert_eq!(texts(&possibilities(&yaml, "A", &[]).0), ["c"]);
    assert_eq!(texts(&possibilities(&yaml, "B", &[]).0), ["a:b"]);
    assert!(texts(&possibilities(&yaml, "C", &[]).0)[0].contains("past the end"));
}

#[test]
fn find_in_map_default_value_covers_a_missing_key() {
    let yaml = format!(
        "Mappings:\n  M:\n    k: {{Port: 1}}\n{}",
        resource(
            "      V: !FindInMap [M, other, Port, {DefaultValue: 7}]\n      W: !FindInMap [M, other, Port]\n"
        )
    );
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["7"]);
    assert!(texts(&possibilities(&yaml, "W", &[]).0)[0].contains("has no key `other`"));
}

#[test]
fn a_parameter_without_default_used_as_a_map_key_enumerates_the_map() {
    let yaml = format!(
        "Parameters:\n  Size:\n    Type: String\nMappings:\n  M:\n    small: {{Port: 1}}\n    large: {{Port: 2}}\n{}",
        resource("      V: !FindInMap [M, !Ref Size, Port]\n")
    );
    let (values, _) = possibilities(&yaml, "V", &[]);
    assert_eq!(texts(&values), ["1", "2"]);
    assert_eq!(values[1].scenario.to_string(), "when Size = large");
}

#[test]
fn a_cycle_of_conditions_is_a_problem_not_a_hang() {
    let yaml = format!(
        "Conditions:\n  A: !Condition B\n  B: !Not [!Condition A]\n{}",
        resource("      V: !If [A, 1, 2]\n")
    );
    let (values, problems) = possibilities(&yaml, "V", &[]);
    assert!(
        texts(&values)[0].contains("cannot be evaluated"),
        "{:?}",
        texts(&values)
    );
    assert!(
        problems.iter().any(|p| p.message.contains("cycle")),
        "{problems:?}"
    );
}

#[test]
fn an_undefined_condition_is_a_problem() {
    let yaml = resource("      V: !If [Missing, 1, 2]\n");
    let (_, problems) = possibilities(&yaml, "V", &[]);
    assert_eq!(
        problems[0].message,
        "condition `Missing` is not defined in `Conditions`"
    );
}

#[test]
fn possibilities_are_bounded() {
    // 2^8 = 256 combinations of eight independent conditions, over the cap of 64.
    let mut parameters = String::from("Parameters:\n");
    let mut conditions = String::from("Conditions:\n");
    let mut joins = Vec::new();
    for i in 0..8 {
        parameters.push_str(&format!("  P{i}: {{Type: String, Default: x}}\n"));
        conditions.push_str(&format!("  C{i}: !Equals [!Ref P{i}, '{i}']\n"));
        joins.push(format!("!If [C{i}, a, b]"));
    }
    let yaml = format!(
        "{parameters}{conditions}{}",
        resource(&format!("      V: !Join ['', [{}]]\n", joins.join(", ")))
    );
    let (values, _) = possibilities(&yaml, "V", &[]);
    assert!(values.len() <= 65, "{}", values.len());
    assert!(texts(&values).last().unwrap().contains("combinations"));
}

#[test]
fn dynamic_references_and_deploy_time_values_are_unknown_with_a_reason() {
    let yaml = resource(
        "      A: '{{resolve:ssm:/p}}'\n      B: !ImportValue x\n      C: !GetAtt X.Y\n      D: !GetAZs ''\n",
    );
    for (property, fragment) in [
        ("A", "dynamic reference"),
        ("B", "export"),
        ("C", "attribute"),
        ("D", "region"),
    ] {
        let text = texts(&possibilities(&yaml, property, &[]).0).join("");
        assert!(text.contains(fragment), "{property}: {text}");
    }
}

#[test]
fn for_each_bindings_resolve_refs_and_subs_in_the_loop_body() {
    let yaml = "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::L:\n    - Port\n    - ['1', '2']\n    - R${Port}:\n        Type: T\n        Properties:\n          V: !Ref Port\n          W: !Sub 'p${Port}'\n";
    let source = SourceFile::new("t.yaml", yaml);
    let parsed = crate::syntax::parse(&source, &Limits::default());
    let doc = parsed.usable_document().unwrap();
    let given = BTreeMap::new();
    let template = Template::new(doc, &given).unwrap();
    let ids: Vec<_> = template
        .resources()
        .iter()
        .map(|r| r.logical_id.as_str())
        .collect();
    assert_eq!(ids, ["R1", "R2"]);
    let evaluator = Evaluator::new(&template, &given, 64);
    let second = &template.resources()[1];
    assert_eq!(texts(&evaluator.property(second, "V")), ["2"]);
    assert_eq!(texts(&evaluator.property(second, "W")), ["p2"]);
}

/// 2^30 string leaves reachable through aliases: each level joins two
/// aliases of the level below. Walking it as a tree never finishes.
fn alias_bomb_join() -> String {
    let mut text = String::from("Metadata:\n  a0: &a0 !Join ['', ['63', '79']]\n");
    for i in 1..30 {
        text.push_str(&format!(
            "  a{i}: &a{i} !Join ['', [*a{}, *a{}]]\n",
            i - 1,
            i - 1
        ));
    }
    text
}

#[test]
fn an_alias_bomb_used_as_a_value_is_unknown_not_a_hang() {
    let yaml = format!(
        "{}{}",
        alias_bomb_join(),
        resource("      V: *a29\n      W: *a1\n")
    );
    let (values, _) = possibilities(&yaml, "V", &[]);
    assert_eq!(
        texts(&values),
        [
            "<unknown: the value is too large to evaluate (more than 100000 nodes and combinations of values, as YAML aliases that repeat a value or very long lists make)>"
        ]
    );
    // Small uses of the same anchors still evaluate.
    assert_eq!(texts(&possibilities(&yaml, "W", &[]).0), ["63796379"]);
}

#[test]
fn an_alias_bomb_of_conditions_is_unknown_not_a_hang() {
    let mut yaml = String::from("Metadata:\n  c0: &c0 !Equals [!Ref AWS::AccountId, '1']\n");
    for i in 1..30 {
        yaml.push_str(&format!("  c{i}: &c{i} !And [*c{}, *c{}]\n", i - 1, i - 1));
    }
    yaml.push_str("Conditions:\n  Big: *c29\n");
    yaml.push_str(&resource("      V: !If [Big, 1, 2]\n"));
    let (values, _) = possibilities(&yaml, "V", &[]);
    // The condition could not be decided, so both branches remain.
    assert_eq!(texts(&values), ["1", "2"]);
}

/// A chain `C0 -> C1 -> ... -> C20`: `C0` is too deep to evaluate and
/// `C10` is not, whichever resource asks first.
#[test]
fn a_long_condition_chain_is_judged_the_same_in_any_order() {
    let mut conditions = String::from("Conditions:\n");
    for i in 0..20 {
        conditions.push_str(&format!("  C{i}: !Condition C{}\n", i + 1));
    }
    conditions.push_str("  C20: !Equals [!Ref AWS::AccountId, '1']\n");
    let resource = |id: &str, condition: &str| {
        format!("  {id}:\n    Type: T\n    Properties:\n      V: !If [{condition}, 1, 2]\n")
    };
    let outcomes = |order: [(&str, &str); 2]| {
        let yaml = format!(
            "{conditions}Resources:\n{}{}",
            resource(order[0].0, order[0].1),
            resource(order[1].0, order[1].1)
        );
        let source = SourceFile::new("t.yaml", yaml);
        let parsed = crate::syntax::parse(&source, &Limits::default());
        let given = BTreeMap::new();
        let template = Template::new(parsed.usable_document().unwrap(), &given).unwrap();
        let evaluator = Evaluator::new(&template, &given, 64);
        let mut by_id: Vec<(String, Vec<String>)> = template
            .resources()
            .iter()
            .map(|r| (r.logical_id.clone(), texts(&evaluator.property(r, "V"))))
            .collect();
        by_id.sort();
        by_id
    };
    let a_first = outcomes([("A", "C0"), ("B", "C10")]);
    let b_first = outcomes([("B", "C10"), ("A", "C0")]);
    assert_eq!(a_first, b_first);
    assert!(
        a_first[0].1[0].contains("cannot be evaluated"),
        "{a_first:?}"
    );
    assert_eq!(a_first[1].1, ["1", "2"]);
}

#[test]
fn yaml_integers_compare_and_join_by_their_decimal_value() {
    let yaml = format!(
        "Conditions:\n  Same: !Equals [6379, 0x18EB]\n{}",
        resource("      V: !If [Same, yes, no]\n      W: !Join ['', [0o17, '-', +5]]\n")
    );
    assert_eq!(texts(&possibilities(&yaml, "V", &[]).0), ["yes"]);
    assert_eq!(texts(&possibilities(&yaml, "W", &[]).0), ["15-5"]);
}

proptest::proptest! {
    /// The shortcut for integers already in decimal form gives exactly what
    /// reading them as YAML integers and writing the value back gives.
    #[test]
    fn canonical_decimals_are_their_own_value(text in "[-+]?(0[xo]?)?[0-9a-f]{0,40}") {
        if is_canonical_decimal(&text) {
            let value = parse_yaml_int(&text).map(|n| n.to_string());
            proptest::prop_assert_eq!(value.as_deref(), Some(text.as_str()));
        }
    }
}

#[test]
fn canonical_decimals() {
    for yes in ["0", "6379", "-5", "12345678901234567890123456789012345678"] {
        assert!(is_canonical_decimal(yes), "{yes}");
    }
    for no in [
        "",
        "-",
        "-0",
        "+1",
        "007",
        "0x18EB",
        "1e3",
        "1.0",
        "123456789012345678901234567890123456789",
    ] {
        assert!(!is_canonical_decimal(no), "{no}");
    }
}

/// A lookup written in two places gives the same values, scenarios and
/// mapping-entry steps in both (the second comes from the evaluator's
/// cache), with each place's own node first in its trace: by region, by a
/// literal key, and by a parameter without a value.
#[test]
fn a_repeated_lookup_is_the_same_in_both_places() {
    for (top, expected) in [
        ("!Ref AWS::Region", &["6379", "7000"][..]),
        ("us-east-1", &["6379"][..]),
        ("!Ref Where", &["6379", "7000"][..]),
    ] {
        let yaml = format!(
            "Parameters:\n  Where:\n    Type: String\nMappings:\n  M:\n    us-east-1: {{Port: 6379}}\n    eu-west-1: {{Port: 7000}}\nResources:\n  A:\n    Type: T\n    Properties:\n      Port: !FindInMap [M, {top}, Port]\n  B:\n    Type: T\n    Properties:\n      Port: !FindInMap [M, {top}, Port]\n"
        );
        let source = SourceFile::new("t.yaml", yaml);
        let parsed = crate::syntax::parse(&source, &Limits::default());
        let doc = parsed.usable_document().expect("template parses");
        let given = BTreeMap::new();
        let template = Template::new(doc, &given).expect("a template");
        let evaluator = Evaluator::new(&template, &given, 64);
        let [a, b] = template.resources() else {
            panic!("two resources");
        };
        let (first, second) = (evaluator.property(a, "Port"), evaluator.property(b, "Port"));
        assert_eq!(texts(&first), expected, "{top}");
        assert_eq!(first.len(), second.len());
        for (x, y) in first.iter().zip(&second) {
            assert_eq!((&x.value, &x.scenario), (&y.value, &y.scenario), "{top}");
            assert_eq!(
                x.trace[1..],
                y.trace[1..],
                "{top}: the same mapping entries"
            );
            assert_ne!(x.trace[0].span, y.trace[0].span, "{top}: each its own node");
            assert_eq!(source.slice(x.trace[0].span), source.slice(y.trace[0].span));
        }
        assert!(
            first.iter().any(|p| p.trace.iter().any(|s| s
                .origin
                .description()
                .is_some_and(|d| d.contains(" maps `")))),
            "{top}: {first:?}"
        );
    }
}

/// Each number form of the README's table, read as documented: the YAML 1.1
/// reading where YAML 1.1 and 1.2 differ, with a note naming the other.
#[test]
fn number_forms_are_read_as_the_readme_documents() {
    use crate::syntax::ScalarType::{Float, Int, String as Text};
    let cases: [(&str, ScalarType, Option<i128>, &str); 10] = [
        (
            "014353",
            Int,
            Some(6379),
            "YAML 1.2 reads it as the decimal 14353",
        ),
        ("-014353", Int, Some(-6379), "YAML 1.1 octal"),
        (
            "0b1100011101011",
            Text,
            Some(6379),
            "YAML 1.2 reads it as a string",
        ),
        ("6_379", Text, Some(6379), "YAML 1.2 reads it as a string"),
        (
            "0o14353",
            Int,
            Some(6379),
            "YAML 1.1, which CloudFormation documents, reads it as a string",
        ),
        ("6379.0", Float, Some(6379), "`integer` type accepts"),
        ("6.379e3", Float, Some(6379), "whole number 6379"),
        ("6379.5", Float, None, ""),
        (".inf", Float, None, ""),
        ("_6379", Text, None, ""),
    ];
    for (text, ty, number, fragment) in cases {
        let reading = number_reading(text, ty);
        assert_eq!(reading.as_ref().map(|(n, _)| *n), number, "{text}");
        if let Some((_, note)) = reading {
            assert!(note.contains(fragment), "{text}: {note}");
        }
    }
    // Forms both versions read alike need no note.
    for (text, ty) in [
        ("6379", Int),
        ("+6379", Int),
        ("0x18EB", Int),
        ("0", Int),
        ("~", ScalarType::Null),
    ] {
        assert_eq!(number_reading(text, ty), None, "{text}");
    }
}
