//! The model a small template makes: the groups of a cache or database,
//! security groups and their rules, inline and standalone, in YAML and JSON.

use std::collections::{BTreeMap, BTreeSet};

use crate::cloudformation::evaluate::Evaluator;
use crate::cloudformation::model_resources;
use crate::cloudformation::template::Template;
use crate::eval::{Possibility, Value};
use crate::model::{self, Property, ResourceKind};
use crate::{Limits, SourceFile};

/// The model of `text` with every kind read, or only `kinds`.
fn model_of(name: &str, text: &str, kinds: &[ResourceKind]) -> (SourceFile, Vec<model::Resource>) {
    let read = read_model(name, text, kinds);
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    (read.source, read.resources)
}

/// What reading a template into the model gave, and what it cost.
struct Read {
    source: SourceFile,
    resources: Vec<model::Resource>,
    problems: Vec<crate::diagnostic::Diagnostic>,
    /// The evaluator's steps.
    steps: u64,
}

fn read_model(name: &str, text: &str, kinds: &[ResourceKind]) -> Read {
    let source = SourceFile::new(name, text);
    let parsed = crate::syntax::parse(&source, &Limits::default());
    let doc = parsed.usable_document().expect("the template parses");
    let given = BTreeMap::new();
    let template = Template::new(doc, &given).expect("a template");
    let evaluator = Evaluator::new(&template, &given, 64);
    let kinds: BTreeSet<ResourceKind> = if kinds.is_empty() {
        ResourceKind::ALL.iter().copied().collect()
    } else {
        kinds.iter().copied().collect()
    };
    let mut problems = Vec::new();
    let resources = model_resources(
        &template,
        &evaluator,
        template.resources(),
        &kinds,
        &mut problems,
    );
    let steps = evaluator.steps();
    Read {
        source,
        resources,
        problems,
        steps,
    }
}

fn value_text(source: &SourceFile, value: &Value) -> String {
    match value {
        Value::String(t) | Value::Number(t) => t.to_string(),
        Value::Absent => "-".into(),
        Value::List(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|item| value_text(source, item))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Value::Unknown(unknown) => match unknown.resource() {
            Some((name, kind)) => {
                format!("ref {name} {kind:?} at `{}`", source.slice(unknown.span))
            }
            None => format!("unknown ({})", unknown.reason),
        },
        other => format!("{other:?}"),
    }
}

/// Each possibility of a property: its value, the text of its first step,
/// and its scenario when it has one.
fn possibilities(source: &SourceFile, values: &[Possibility]) -> Vec<String> {
    values
        .iter()
        .map(|p| {
            let mut text = value_text(source, &p.value);
            if let Some(first) = p.trace.first() {
                text.push_str(&format!(" @ `{}`", source.slice(first.span)));
            }
            if !p.scenario.is_unconditional() {
                text.push_str(&format!(" when {:?}", p.scenario.assumptions()));
            }
            text
        })
        .collect()
}

fn property(resource: &model::Resource, property: Property) -> &[Possibility] {
    resource
        .properties
        .iter()
        .find(|(p, _)| *p == property)
        .map(|(_, values)| values.as_slice())
        .unwrap_or_else(|| panic!("{} has no {property:?}", resource.identity.name))
}

fn resource<'r>(resources: &'r [model::Resource], name: &str) -> &'r model::Resource {
    resources
        .iter()
        .find(|r| r.identity.name == name)
        .unwrap_or_else(|| panic!("no resource {name}"))
}

const TEMPLATE: &str = "Parameters:
  GroupParam:
    Type: AWS::EC2::SecurityGroup::Id
  Exposure:
    Type: String
    AllowedValues: [open, closed]
    Default: closed
Conditions:
  IsOpen: !Equals [!Ref Exposure, open]
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - IpProtocol: tcp
          FromPort: 6379
          ToPort: 6379
          CidrIp: 0.0.0.0/0
        - !If
          - IsOpen
          - IpProtocol: '-1'
            CidrIpv6: ::/0
          - !Ref AWS::NoValue
  Other:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: other
  Extra:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt Other.GroupId
      IpProtocol: udp
      FromPort: 6000
      ToPort: 7000
      SourcePrefixListId: pl-0123
  Cache:
    Type: AWS::ElastiCache::ReplicationGroup
    Properties:
      SecurityGroupIds:
        - !Ref Web
        - !GetAtt Other.GroupId
        - !GetAtt [Other, GroupId]
        - !Ref GroupParam
        - !ImportValue shared-group
        - sg-0123
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      VPCSecurityGroups: !If [IsOpen, !Ref Web, !Ref Other]
";

/// The same template in JSON, with the long form of `Fn::GetAtt` written
/// as a string and as a list.
const TEMPLATE_JSON: &str = r#"{
  "Parameters": {
    "GroupParam": {"Type": "AWS::EC2::SecurityGroup::Id"},
    "Exposure": {"Type": "String", "AllowedValues": ["open", "closed"], "Default": "closed"}
  },
  "Conditions": {"IsOpen": {"Fn::Equals": [{"Ref": "Exposure"}, "open"]}},
  "Resources": {
    "Web": {
      "Type": "AWS::EC2::SecurityGroup",
      "Properties": {
        "GroupDescription": "web",
        "SecurityGroupIngress": [
          {"IpProtocol": "tcp", "FromPort": 6379, "ToPort": 6379, "CidrIp": "0.0.0.0/0"},
          {"Fn::If": ["IsOpen", {"IpProtocol": "-1", "CidrIpv6": "::/0"}, {"Ref": "AWS::NoValue"}]}
        ]
      }
    },
    "Other": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "other"}},
    "Extra": {
      "Type": "AWS::EC2::SecurityGroupIngress",
      "Properties": {
        "GroupId": {"Fn::GetAtt": "Other.GroupId"},
        "IpProtocol": "udp",
        "FromPort": 6000,
        "ToPort": 7000,
        "SourcePrefixListId": "pl-0123"
      }
    },
    "Cache": {
      "Type": "AWS::ElastiCache::ReplicationGroup",
      "Properties": {
        "SecurityGroupIds": [
          {"Ref": "Web"},
          {"Fn::GetAtt": "Other.GroupId"},
          {"Fn::GetAtt": ["Other", "GroupId"]},
          {"Ref": "GroupParam"},
          {"Fn::ImportValue": "shared-group"},
          "sg-0123"
        ]
      }
    },
    "Db": {
      "Type": "AWS::RDS::DBInstance",
      "Properties": {
        "VPCSecurityGroups": {"Fn::If": ["IsOpen", {"Ref": "Web"}, {"Ref": "Other"}]}
      }
    }
  }
}"#;

/// What the model says of every resource, without positions: a YAML
/// template and its JSON twin say the same.
fn summary(source: &SourceFile, resources: &[model::Resource]) -> Vec<String> {
    let mut out = Vec::new();
    for r in resources {
        let existence: Vec<String> = r
            .existence
            .iter()
            .map(|t| format!("{:?}", t.scenario.assumptions()))
            .collect();
        out.push(format!(
            "{} {:?} exists {existence:?}",
            r.identity.name, r.kind
        ));
        for (p, values) in &r.properties {
            let values: Vec<String> = values
                .iter()
                .map(|v| {
                    let text = value_text(source, &v.value);
                    // The text of a reference's expression is the source's own.
                    match text.split_once(" at `") {
                        Some((reference, _)) => reference.to_string(),
                        None => text,
                    }
                })
                .collect();
            out.push(format!("  {p:?}: {values:?}"));
        }
    }
    out
}

#[test]
fn groups_of_a_cache_are_references_literals_and_unknowns() {
    let (source, resources) = model_of("t.yaml", TEMPLATE, &[]);
    let cache = resource(&resources, "Cache");
    assert_eq!(
        possibilities(&source, property(cache, Property::SecurityGroups)),
        ["[ref Web Some(SecurityGroup) at `!Ref Web`, \
             ref Other Some(SecurityGroup) at `!GetAtt Other.GroupId`, \
             ref Other Some(SecurityGroup) at `!GetAtt [Other, GroupId]`, \
             unknown (parameter `GroupParam` has no `Default`; give it a value to check it), \
             unknown (`Fn::ImportValue` reads another stack's export, known only at deploy time), \
             sg-0123] \
             @ `- !Ref Web\n        - !GetAtt Other.GroupId\n        - !GetAtt [Other, GroupId]\n        - !Ref GroupParam\n        - !ImportValue shared-group\n        - sg-0123`"]
    );
}

#[test]
fn a_group_chosen_by_fn_if_is_one_list_per_configuration() {
    let (source, resources) = model_of("t.yaml", TEMPLATE, &[]);
    let db = resource(&resources, "Db");
    assert_eq!(
        possibilities(&source, property(db, Property::SecurityGroups)),
        [
            "[ref Web Some(SecurityGroup) at `!Ref Web`] @ `!If [IsOpen, !Ref Web, !Ref Other]` \
             when [(Parameter(\"Exposure\"), \"open\")]",
            "[ref Other Some(SecurityGroup) at `!Ref Other`] @ `!If [IsOpen, !Ref Web, !Ref Other]` \
             when [(Parameter(\"Exposure\"), \"closed\")]",
        ]
    );
}

#[test]
fn each_inline_entry_is_a_rule_of_its_group() {
    let (source, resources) = model_of("t.yaml", TEMPLATE, &[]);
    let names: Vec<(&str, ResourceKind)> = resources
        .iter()
        .map(|r| (r.identity.name.as_str(), r.kind))
        .collect();
    assert_eq!(
        names,
        [
            ("Web", ResourceKind::SecurityGroup),
            ("Web.SecurityGroupIngress[0]", ResourceKind::IngressRule),
            ("Web.SecurityGroupIngress[1]", ResourceKind::IngressRule),
            ("Other", ResourceKind::SecurityGroup),
            ("Extra", ResourceKind::IngressRule),
            ("Cache", ResourceKind::ElastiCacheReplicationGroup),
            ("Db", ResourceKind::RdsInstance),
        ]
    );
    let open = resource(&resources, "Web.SecurityGroupIngress[0]");
    assert_eq!(
        source.slice(open.identity.span),
        "IpProtocol: tcp\n          FromPort: 6379\n          ToPort: 6379\n          CidrIp: 0.0.0.0/0"
    );
    assert_eq!(open.identity.extent, open.identity.span);
    assert_eq!(open.identity.type_name, "AWS::EC2::SecurityGroupIngress");
    let fields: Vec<Vec<String>> = open
        .properties
        .iter()
        .map(|(_, values)| possibilities(&source, values))
        .collect();
    assert_eq!(
        fields,
        [
            vec!["ref Web Some(SecurityGroup) at `Web` @ `Web`"],
            vec!["tcp @ `tcp`"],
            vec!["6379 @ `6379`"],
            vec!["6379 @ `6379`"],
            vec!["0.0.0.0/0 @ `0.0.0.0/0`"],
            vec!["-"],
            vec!["-"],
        ]
    );
    let properties: Vec<Property> = open.properties.iter().map(|(p, _)| *p).collect();
    assert_eq!(
        properties,
        [
            Property::Group,
            Property::Protocol,
            Property::FromPort,
            Property::ToPort,
            Property::CidrIpv4,
            Property::CidrIpv6,
            Property::PrefixList,
        ]
    );
}

#[test]
fn an_entry_chosen_by_fn_if_exists_only_when_its_condition_holds() {
    let (source, resources) = model_of("t.yaml", TEMPLATE, &[]);
    let conditional = resource(&resources, "Web.SecurityGroupIngress[1]");
    let existence: Vec<String> = conditional
        .existence
        .iter()
        .map(|t| format!("{:?}", t.scenario.assumptions()))
        .collect();
    assert_eq!(existence, ["[(Parameter(\"Exposure\"), \"open\")]"]);
    let label = conditional.existence_label.as_ref().expect("a label");
    assert_eq!(&*label.message, "chosen when `IsOpen` holds");
    assert_eq!(
        source.slice(label.span),
        "IpProtocol: '-1'\n            CidrIpv6: ::/0"
    );
    assert_eq!(
        possibilities(&source, property(conditional, Property::Protocol)),
        ["-1 @ `'-1'`"]
    );
    assert_eq!(
        possibilities(&source, property(conditional, Property::CidrIpv6)),
        ["::/0 @ `::/0`"]
    );
}

#[test]
fn a_standalone_rule_names_its_group_by_get_att() {
    let (source, resources) = model_of("t.yaml", TEMPLATE, &[]);
    let extra = resource(&resources, "Extra");
    let fields: Vec<(Property, Vec<String>)> = extra
        .properties
        .iter()
        .map(|(p, values)| (*p, possibilities(&source, values)))
        .collect();
    let expected: Vec<(Property, Vec<String>)> = [
        (
            Property::Group,
            "ref Other Some(SecurityGroup) at `!GetAtt Other.GroupId` @ `!GetAtt Other.GroupId`",
        ),
        (Property::Protocol, "udp @ `udp`"),
        (Property::FromPort, "6000 @ `6000`"),
        (Property::ToPort, "7000 @ `7000`"),
        (Property::CidrIpv4, "-"),
        (Property::CidrIpv6, "-"),
        (Property::PrefixList, "pl-0123 @ `pl-0123`"),
    ]
    .into_iter()
    .map(|(p, v)| (p, vec![v.to_string()]))
    .collect();
    assert_eq!(fields, expected);
}

#[test]
fn a_json_template_makes_the_same_model_as_its_yaml_twin() {
    let (yaml_source, from_yaml) = model_of("t.yaml", TEMPLATE, &[]);
    let (json_source, from_json) = model_of("t.json", TEMPLATE_JSON, &[]);
    assert_eq!(
        summary(&json_source, &from_json),
        summary(&yaml_source, &from_yaml)
    );
    let cache = resource(&from_json, "Cache");
    let Value::List(groups) = &property(cache, Property::SecurityGroups)[0].value else {
        panic!("a list of groups");
    };
    let spans: Vec<String> = groups
        .iter()
        .take(3)
        .map(|g| value_text(&json_source, g))
        .collect();
    assert_eq!(
        spans,
        [
            "ref Web Some(SecurityGroup) at `{\"Ref\": \"Web\"}`",
            "ref Other Some(SecurityGroup) at `{\"Fn::GetAtt\": \"Other.GroupId\"}`",
            "ref Other Some(SecurityGroup) at `{\"Fn::GetAtt\": [\"Other\", \"GroupId\"]}`",
        ]
    );
    let conditional = resource(&from_json, "Web.SecurityGroupIngress[1]");
    assert_eq!(
        json_source.slice(conditional.identity.span),
        "{\"IpProtocol\": \"-1\", \"CidrIpv6\": \"::/0\"}"
    );
}

#[test]
fn without_the_group_kinds_no_group_or_rule_is_made() {
    let (_, resources) = model_of(
        "t.yaml",
        TEMPLATE,
        &[ResourceKind::ElastiCacheReplicationGroup],
    );
    let names: Vec<&str> = resources.iter().map(|r| r.identity.name.as_str()).collect();
    assert_eq!(names, ["Cache"]);
}

#[test]
fn groups_alone_are_read_without_their_rules() {
    let (_, resources) = model_of("t.yaml", TEMPLATE, &[ResourceKind::SecurityGroup]);
    let names: Vec<&str> = resources.iter().map(|r| r.identity.name.as_str()).collect();
    assert_eq!(names, ["Web", "Other"]);
}

#[test]
fn other_attributes_and_undeclared_resources_stay_plain_unknowns() {
    let yaml = "Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      VpcSecurityGroupIds:
        - !GetAtt Web.VpcId
        - !GetAtt Elsewhere.GroupId
        - !Ref Web
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    let cache = resource(&resources, "Cache");
    let Value::List(groups) = &property(cache, Property::SecurityGroups)[0].value else {
        panic!("a list of groups");
    };
    let texts: Vec<String> = groups.iter().map(|g| value_text(&source, g)).collect();
    assert_eq!(
        texts,
        [
            "unknown (`Fn::GetAtt` reads a resource attribute, known only after deployment)",
            "unknown (`Fn::GetAtt` reads a resource attribute, known only after deployment)",
            "ref Web Some(SecurityGroup) at `!Ref Web`",
        ]
    );
}

#[test]
fn one_group_not_in_a_list_is_read_as_a_list_of_one() {
    let yaml = "Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      VpcSecurityGroupIds: sg-0123
  Bare:
    Type: AWS::ElastiCache::CacheCluster
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    assert_eq!(
        possibilities(
            &source,
            property(resource(&resources, "Cache"), Property::SecurityGroups)
        ),
        ["[sg-0123] @ `sg-0123`"]
    );
    assert_eq!(
        possibilities(
            &source,
            property(resource(&resources, "Bare"), Property::SecurityGroups)
        ),
        ["-"]
    );
}

#[test]
fn a_standalone_rule_without_group_id_names_its_group_by_name() {
    let yaml = "Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
  Rule:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupName: !Ref Web
      IpProtocol: tcp
      FromPort: 0
      ToPort: 65535
      CidrIp: 0.0.0.0/0
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    assert_eq!(
        possibilities(
            &source,
            property(resource(&resources, "Rule"), Property::Group)
        ),
        ["ref Web Some(SecurityGroup) at `!Ref Web` @ `!Ref Web`"]
    );
}

#[test]
fn lists_chosen_by_fn_if_make_the_entries_of_each_configuration() {
    let yaml = "Parameters:
  Exposure:
    Type: String
    AllowedValues: [open, closed]
Conditions:
  Open: !Equals [!Ref Exposure, open]
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress: !If
        - Open
        - - IpProtocol: tcp
            CidrIp: 0.0.0.0/0
          - IpProtocol: tcp
            CidrIp: 10.0.0.0/8
        - - IpProtocol: tcp
            CidrIp: 192.168.0.0/16
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    let rules: Vec<String> = resources
        .iter()
        .filter(|r| r.kind == ResourceKind::IngressRule)
        .map(|r| {
            format!(
                "{} {:?} when {:?}",
                r.identity.name,
                possibilities(&source, property(r, Property::CidrIpv4)),
                r.existence
                    .iter()
                    .map(|t| t.scenario.assumptions().to_vec())
                    .collect::<Vec<_>>()
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            "Web.SecurityGroupIngress[0] [\"0.0.0.0/0 @ `0.0.0.0/0`\"] when [[(Parameter(\"Exposure\"), \"open\")]]",
            "Web.SecurityGroupIngress[1] [\"10.0.0.0/8 @ `10.0.0.0/8`\"] when [[(Parameter(\"Exposure\"), \"open\")]]",
            "Web.SecurityGroupIngress[0] [\"192.168.0.0/16 @ `192.168.0.0/16`\"] when [[(Parameter(\"Exposure\"), \"closed\")]]",
        ]
    );
}

#[test]
fn properties_chosen_by_fn_if_are_read_for_groups_and_rules_alike() {
    let yaml = "Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties: !If
      - IsProd
      - SecurityGroupIngress:
          - IpProtocol: tcp
            CidrIp: 10.0.0.0/8
      - SecurityGroupIngress:
          - IpProtocol: tcp
            CidrIp: 0.0.0.0/0
  Rule:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: !If
      - IsProd
      - GroupId: !Ref Web
        CidrIp: 10.0.0.0/8
      - GroupId: !Ref Web
        CidrIp: 0.0.0.0/0
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    let open = resources
        .iter()
        .find(|r| {
            r.kind == ResourceKind::IngressRule
                && property(r, Property::CidrIpv4)[0].value == Value::String("0.0.0.0/0".into())
        })
        .expect("the open entry");
    assert_eq!(open.identity.name, "Web.SecurityGroupIngress[0]");
    let existence: Vec<String> = open
        .existence
        .iter()
        .map(|t| format!("{:?}", t.scenario.assumptions()))
        .collect();
    assert_eq!(existence, ["[(Parameter(\"Env\"), \"dev\")]"]);
    // The rule's first step is where its value is written, not the
    // condition that chose the map.
    assert_eq!(
        possibilities(
            &source,
            property(resource(&resources, "Rule"), Property::CidrIpv4)
        ),
        [
            "10.0.0.0/8 @ `10.0.0.0/8` when [(Parameter(\"Env\"), \"prod\")]",
            "0.0.0.0/0 @ `0.0.0.0/0` when [(Parameter(\"Env\"), \"dev\")]",
        ]
    );
}

#[test]
fn an_unknown_entry_is_a_rule_whose_fields_are_unknown() {
    let yaml = "Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      SecurityGroupIngress:
        - !ImportValue shared-rule
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    let rule = resource(&resources, "Web.SecurityGroupIngress[0]");
    assert_eq!(source.slice(rule.identity.span), "!ImportValue shared-rule");
    assert_eq!(
        possibilities(&source, property(rule, Property::CidrIpv4)),
        [
            "unknown (`Fn::ImportValue` reads another stack's export, known only at deploy time) @ `!ImportValue shared-rule`"
        ]
    );
}

#[test]
fn a_group_that_cannot_be_read_says_why_and_makes_no_rules() {
    let yaml = "Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties: !Sub text
";
    let (_, resources) = model_of("t.yaml", yaml, &[]);
    assert_eq!(resources.len(), 1);
    assert!(resources[0].not_judged.is_some());
}

#[test]
fn groups_made_by_fn_for_each_name_their_rules_after_each_group() {
    let yaml = "Transform: AWS::LanguageExtensions
Resources:
  Fn::ForEach::Groups:
    - Name
    - [A, B]
    - ${Name}Group:
        Type: AWS::EC2::SecurityGroup
        Properties:
          SecurityGroupIngress:
            - IpProtocol: tcp
              CidrIp: 0.0.0.0/0
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    let rules: Vec<(&str, Vec<String>)> = resources
        .iter()
        .filter(|r| r.kind == ResourceKind::IngressRule)
        .map(|r| {
            (
                r.identity.name.as_str(),
                possibilities(&source, property(r, Property::Group)),
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            (
                "AGroup.SecurityGroupIngress[0]",
                vec![
                    "ref AGroup Some(SecurityGroup) at `${Name}Group` @ `${Name}Group`".to_string()
                ]
            ),
            (
                "BGroup.SecurityGroupIngress[0]",
                vec![
                    "ref BGroup Some(SecurityGroup) at `${Name}Group` @ `${Name}Group`".to_string()
                ]
            ),
        ]
    );
    assert!(resources.iter().all(|r| r.instance.is_some()));
}

/// The exposure fixtures (`testdata/cpl005/`): each YAML template with a
/// JSON twin makes the same model as the twin, and every group a cache, a database or
/// a rule names by reference is a group of the model.
#[test]
fn exposure_fixtures_make_the_same_model_in_yaml_and_json_with_references_to_groups_in_it() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/cpl005");
    let mut checked = 0;
    for outcome in ["fail", "pass"] {
        let folder = root.join(outcome);
        let mut paths: Vec<_> = std::fs::read_dir(&folder)
            .expect("the fixture folder")
            .map(|entry| entry.expect("an entry").path())
            .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
            .collect();
        paths.sort();
        for yaml_path in paths {
            let read = |path: &std::path::Path| std::fs::read_to_string(path).expect("readable");
            let json_path = yaml_path.with_extension("json");
            if !json_path.exists() {
                continue;
            }
            let (yaml_source, from_yaml) = model_of("t.yaml", &read(&yaml_path), &[]);
            let (json_source, from_json) = model_of("t.json", &read(&json_path), &[]);
            assert_eq!(
                summary(&json_source, &from_json),
                summary(&yaml_source, &from_yaml),
                "{}",
                yaml_path.display()
            );
            let groups: Vec<&str> = from_yaml
                .iter()
                .filter(|r| r.kind == ResourceKind::SecurityGroup)
                .map(|r| r.identity.name.as_str())
                .collect();
            for reference in references(&from_yaml) {
                assert!(
                    groups.contains(&reference),
                    "{}: `{reference}` is not a group of the model",
                    yaml_path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(
        checked >= 16,
        "expected the exposure fixtures, read {checked}"
    );
}

/// The names of the resources that groups and rules refer to.
fn references(resources: &[model::Resource]) -> Vec<&str> {
    fn of<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
        match value {
            Value::List(items) => items.iter().for_each(|item| of(item, out)),
            Value::Unknown(unknown) => out.extend(unknown.resource().map(|(name, _)| name)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for resource in resources {
        for (property, values) in &resource.properties {
            if matches!(property, Property::SecurityGroups | Property::Group) {
                values.iter().for_each(|p| of(&p.value, &mut out));
            }
        }
    }
    out
}

#[test]
fn rules_of_a_group_with_a_condition_exist_only_with_it() {
    let yaml = "Parameters:
  Env:
    Type: String
    AllowedValues: [prod, dev]
Conditions:
  IsDev: !Equals [!Ref Env, dev]
Resources:
  Web:
    Type: AWS::EC2::SecurityGroup
    Condition: IsDev
    Properties:
      SecurityGroupIngress:
        - IpProtocol: tcp
          CidrIp: 0.0.0.0/0
";
    let (source, resources) = model_of("t.yaml", yaml, &[]);
    let rule = resource(&resources, "Web.SecurityGroupIngress[0]");
    let existence: Vec<String> = rule
        .existence
        .iter()
        .map(|t| format!("{:?}", t.scenario.assumptions()))
        .collect();
    assert_eq!(existence, ["[(Parameter(\"Env\"), \"dev\")]"]);
    let label = rule.existence_label.as_ref().expect("the group's label");
    assert_eq!(source.slice(label.span), "IsDev");
    assert_eq!(
        &*label.message,
        "the resource exists only when `IsDev` holds"
    );
}

/// Each entry is evaluated on its own, once: a group of many entries costs
/// a few evaluation steps per entry, not a product of their possibilities.
#[test]
fn a_group_of_many_entries_costs_a_few_evaluation_steps_per_entry() {
    // Twice the most inbound rules a group can have.
    const ENTRIES: usize = 2_000;
    let mut yaml = String::from(
        "Resources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n",
    );
    for i in 0..ENTRIES {
        yaml.push_str(&format!(
            "        - {{IpProtocol: tcp, FromPort: {p}, ToPort: {p}, CidrIp: 10.0.0.0/8}}\n",
            p = i % 65_536
        ));
    }
    let Read {
        resources, steps, ..
    } = read_model("t.yaml", &yaml, &[ResourceKind::IngressRule]);
    assert_eq!(resources.len(), ENTRIES);
    assert_eq!(
        resources[ENTRIES - 1].identity.name,
        format!("Web.SecurityGroupIngress[{}]", ENTRIES - 1)
    );
    // An entry and its four written fields, one node each.
    assert!(
        steps <= 5 * ENTRIES as u64,
        "{steps} evaluation steps for {ENTRIES} entries"
    );
}

/// A list of entries that are each an alias to a "billion laughs" bomb
/// costs one property's allowance, not one per entry: the entries past it
/// are unknown, and so is what they admit.
#[test]
fn entries_that_are_alias_bombs_share_one_allowance() {
    const ENTRIES: usize = 1_000;
    let mut yaml = String::from("Bomb:\n  - &a0 [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..9 {
        let previous = format!("*a{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        yaml.push_str(&format!("  - &a{level} [{items}]\n"));
    }
    yaml.push_str(
        "Resources:\n  Web:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n",
    );
    for _ in 0..ENTRIES {
        yaml.push_str("        - {CidrIp: *a8}\n");
    }
    let Read {
        resources, steps, ..
    } = read_model("t.yaml", &yaml, &[ResourceKind::IngressRule]);
    assert_eq!(resources.len(), ENTRIES);
    assert!(
        steps <= 2 * crate::cloudformation::evaluate::EVAL_BUDGET as u64,
        "{steps} evaluation steps"
    );
    let last = property(&resources[ENTRIES - 1], Property::CidrIpv4);
    assert!(
        matches!(&last[0].value, Value::Unknown(u) if u.reason.starts_with("the value is too large to evaluate")),
        "{:?}",
        last[0].value
    );
}
