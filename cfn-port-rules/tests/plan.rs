//! Terraform plan JSON: recognition and extraction over the fixtures in
//! `testdata/plan/`, and agreement with the hand-checked labels of the
//! modules the plans in `../shared/corpus/terraform/plans/` were made from
//! (`../shared/corpus/terraform/elasticache/LABELS.tsv`; skipped, saying so,
//! when the corpus is absent).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cfn_port_rules::model::ResourceKind;
use cfn_port_rules::plan::{Plan, PlanReading, PlannedResource, PlannedValue, read_plan};
use cfn_port_rules::{Limits, SourceFile};

fn fixture(name: &str) -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/plan")
        .join(name);
    SourceFile::new(
        name,
        std::fs::read_to_string(&path).expect("fixture is readable"),
    )
}

fn plan(source: &SourceFile) -> Plan {
    match read_plan(source, &Limits::default()) {
        PlanReading::Plan(plan) => plan,
        PlanReading::NotAPlan => panic!("{} was not read as a plan", source.name()),
    }
}

fn cache<'a>(plan: &'a Plan, address: &str) -> &'a PlannedResource {
    plan.resources
        .iter()
        .find(|cache| cache.address == address)
        .unwrap_or_else(|| panic!("no `{address}` in the plan"))
}

fn known<'a>(source: &'a SourceFile, value: &PlannedValue) -> (&'a str, String) {
    match value {
        PlannedValue::Known { text, span } => (source.slice(*span), text.clone()),
        other => panic!("not known: {other:?}"),
    }
}

#[test]
fn literal_port_is_known_with_its_span_and_constant_expression() {
    let source = fixture("modules-count-and-unknowns.json");
    let plan = plan(&source);
    assert_eq!(
        (
            plan.format_version.as_str(),
            plan.terraform_version.as_deref()
        ),
        ("1.2", Some("1.11.4"))
    );
    let literal = cache(&plan, "aws_elasticache_cluster.literal");
    assert_eq!(known(&source, &literal.port), ("11211", "11211".to_owned()));
    assert_eq!(
        known(&source, &literal.engine),
        ("\"memcached\"", "memcached".to_owned())
    );
    let expression = literal.port_expression.as_ref().unwrap();
    assert_eq!(expression.constant.as_deref(), Some("11211"));
    assert_eq!(
        source.slice(literal.address_span),
        "\"aws_elasticache_cluster.literal\""
    );
    // Not a member although `replication_group_id` is computed (unknown).
    assert_eq!(literal.member_of, None);
}

#[test]
fn port_absent_from_the_module_configuration_is_unset_not_unknown() {
    let source = fixture("modules-count-and-unknowns.json");
    let plan = plan(&source);
    let instance = cache(
        &plan,
        "module.cache[\"eu.west\"].aws_elasticache_cluster.this[0]",
    );
    assert!(instance.configuration_found, "found through module.cache");
    assert_eq!(
        instance.module_address.as_deref(),
        Some("module.cache[\"eu.west\"]")
    );
    assert_eq!(instance.port, PlannedValue::Unset);
    assert_eq!(instance.port_expression, None);
}

#[test]
fn port_from_another_resource_is_known_only_after_apply() {
    let plan = plan(&fixture("modules-count-and-unknowns.json"));
    let cluster = cache(&plan, "aws_elasticache_cluster.from_other_resource");
    assert_eq!(cluster.port, PlannedValue::KnownAfterApply);
    let references = &cluster.port_expression.as_ref().unwrap().references;
    assert_eq!(
        references[0],
        "aws_elasticache_replication_group.sessions.port"
    );
}

#[test]
fn cluster_with_replication_group_id_in_configuration_is_a_member() {
    let plan = plan(&fixture("modules-count-and-unknowns.json"));
    let member = cache(&plan, "aws_elasticache_cluster.member");
    assert_eq!(member.member_of, Some(PlannedValue::KnownAfterApply));
    assert_eq!(member.engine, PlannedValue::KnownAfterApply);
    assert_eq!(
        member.port,
        PlannedValue::KnownAfterApply,
        "the group's port, not unset"
    );
    let group = plan.group_of(member).expect("the group is in the plan");
    assert_eq!(group.address, "aws_elasticache_replication_group.sessions");
}

#[test]
fn replication_group_with_null_port_and_no_port_expression_is_unset() {
    let plan = plan(&fixture("modules-count-and-unknowns.json"));
    let group = cache(&plan, "aws_elasticache_replication_group.sessions");
    assert_eq!(group.kind, ResourceKind::ElastiCacheReplicationGroup);
    assert_eq!(group.port, PlannedValue::Unset);
}

#[test]
fn port_from_a_variable_keeps_the_reference_beside_the_planned_value() {
    let source = fixture("modules-count-and-unknowns.json");
    let plan = plan(&source);
    let group = cache(&plan, "aws_elasticache_replication_group.from_variable");
    assert_eq!(known(&source, &group.port).0, "6380");
    assert_eq!(
        group.port_expression.as_ref().unwrap().references,
        ["var.port"]
    );
    assert_eq!(group.actions, ["update"]);
}

#[test]
fn steps_say_where_the_port_and_engine_come_from() {
    let source = fixture("modules-count-and-unknowns.json");
    let plan = plan(&source);
    let from_variable = cache(&plan, "aws_elasticache_replication_group.from_variable");
    let port_steps = plan.port_steps(from_variable);
    let steps: Vec<(&str, &str)> = port_steps
        .iter()
        .map(|step| (source.slice(step.span), step.description.as_str()))
        .collect();
    assert_eq!(steps[0], ("6380", "the plan sets `port` to 6380"));
    assert_eq!(steps[1].0, "6380");
    assert!(
        steps[1]
            .1
            .starts_with("variable `port` is 6380 in this plan run"),
        "{}",
        steps[1].1
    );
    let engine = plan.engine_step(from_variable).unwrap();
    assert_eq!(engine.description, "the engine is valkey");
    let unset = cache(
        &plan,
        "module.cache[\"eu.west\"].aws_elasticache_cluster.this[0]",
    );
    let [step] = plan.port_steps(unset).try_into().unwrap();
    assert!(
        step.description.contains("sets no `port`"),
        "{}",
        step.description
    );
    assert_eq!(step.span, unset.address_span);
    let after_apply = cache(&plan, "aws_elasticache_cluster.from_other_resource");
    assert!(plan.port_steps(after_apply).is_empty());
}

#[test]
fn destroyed_resources_and_data_sources_are_not_read() {
    let plan = plan(&fixture("modules-count-and-unknowns.json"));
    let addresses: Vec<&str> = plan.resources.iter().map(|c| c.address.as_str()).collect();
    assert_eq!(addresses.len(), 6, "{addresses:?}");
    assert!(
        !addresses
            .iter()
            .any(|a| a.contains("retired") || a.starts_with("data."))
    );
}

#[test]
fn templates_and_other_json_are_not_plans() {
    for text in [
        "{\"Resources\": {}}",
        "{\"format_version\": \"1.0\", \"values\": {}}",
        "[1]",
        "{\"format_version\": ",
    ] {
        let source = SourceFile::new("x.json", text);
        assert!(
            matches!(
                read_plan(&source, &Limits::default()),
                PlanReading::NotAPlan
            ),
            "{text}"
        );
    }
}

// ---- the corpus -------------------------------------------------------------

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/terraform");
    dir.join("elasticache/LABELS.tsv").is_file().then_some(dir)
}

/// One LABELS.tsv row: the instance and its expected reading.
struct Label {
    engine: String,
    port: String,
    verdict: String,
}

/// The labels by module directory, then by instance address. Instances that
/// `count` or `for_each` do not create are left out: a plan has no entry for
/// them.
fn labels(dir: &Path) -> BTreeMap<String, BTreeMap<String, Label>> {
    let text = std::fs::read_to_string(dir.join("elasticache/LABELS.tsv"))
        .expect("LABELS.tsv is readable");
    let mut by_dir: BTreeMap<String, BTreeMap<String, Label>> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|line| !line.trim().is_empty()) {
        let columns: Vec<&str> = line.split('\t').collect();
        if columns[5] == "unresolved:not-created" {
            continue;
        }
        let label = Label {
            engine: columns[4].to_owned(),
            port: columns[5].to_owned(),
            verdict: columns[6].to_owned(),
        };
        by_dir
            .entry(columns[0].to_owned())
            .or_default()
            .insert(columns[2].to_owned(), label);
    }
    by_dir
}

fn default_port(engine: &str) -> Option<u16> {
    match engine {
        "redis" | "valkey" => Some(6379),
        "memcached" => Some(11211),
        _ => None,
    }
}

/// The engine the plan gives: planned, or redis for a group that sets none
/// (the provider's default, which 5.x also writes into the plan).
fn engine(cache: &PlannedResource) -> Option<&str> {
    match (&cache.engine, cache.kind) {
        (PlannedValue::Known { text, .. }, _) => Some(text),
        (
            PlannedValue::Unset | PlannedValue::Null { .. },
            ResourceKind::ElastiCacheReplicationGroup,
        ) => Some("redis"),
        _ => None,
    }
}

/// What the plan says of the instance's port: `absent` when it is left to
/// the provider's default (as LABELS.tsv writes it), `None` when unknown.
fn port_text(cache: &PlannedResource) -> Option<String> {
    match &cache.port {
        PlannedValue::Known { text, .. } => Some(text.clone()),
        PlannedValue::Unset | PlannedValue::Null { .. } => Some("absent".to_owned()),
        PlannedValue::KnownAfterApply => None,
    }
}

/// The engine, port and verdict EC-012 would reach on an instance: a member
/// cluster through its group when the plan holds it.
fn reading<'a>(
    plan: &'a Plan,
    cache: &'a PlannedResource,
) -> (Option<&'a str>, Option<String>, &'static str) {
    let cache = if cache.member_of.is_some() {
        match plan.group_of(cache) {
            Some(group) => group,
            None => return (None, None, "unknown"),
        }
    } else {
        cache
    };
    let engine = engine(cache);
    let engine_default = engine.and_then(default_port);
    let port = match &cache.port {
        PlannedValue::Known { text, .. } => text.parse().ok(),
        PlannedValue::Unset | PlannedValue::Null { .. } => engine_default,
        PlannedValue::KnownAfterApply => None,
    };
    let verdict = match (port, engine_default) {
        (Some(port), Some(default)) if port == default => "default-port",
        (Some(_), Some(_)) => "custom-port",
        _ => "unknown",
    };
    (engine, port_text(cache), verdict)
}

/// Plans whose labelled verdict differs from the plan's on purpose: the
/// label judges the code, the plan one run of it.
///
/// `visala123__…__modules__cache`: `port = var.port`, and the root variable
/// has no default and no tfvars, so the code leaves the port open (the label:
/// `unresolved`, `unknown`); the plan was made with `-var port=6380` (the
/// corpus README names it as an artefact of the plan run), so the plan says
/// 6380. The plan reader is right to report what the plan will deploy, and
/// [`Plan::port_variable`] says the value is the root variable `port` of this
/// plan run, so a finding can say so.
const PLAN_RUN_ARTEFACTS: [&str; 1] =
    ["visala123__Aws-Elasti-Cache-Redis-Env__terraform__modules__cache"];

/// The plan's ElastiCache resources, the ones LABELS.tsv labels (the plans
/// also hold databases).
fn planned_caches(plan: &Plan) -> impl Iterator<Item = &PlannedResource> {
    plan.resources
        .iter()
        .filter(|resource| resource.kind.service() == "ElastiCache")
}

fn plan_disagreements(stem: &str, plan: &Plan, labels: &BTreeMap<String, Label>) -> Vec<String> {
    let mut found = Vec::new();
    for cache in planned_caches(plan) {
        let Some(label) = labels.get(&cache.address) else {
            found.push(format!(
                "{stem}: `{}` planned but not labelled",
                cache.address
            ));
            continue;
        };
        let (engine, port, verdict) = reading(plan, cache);
        let engine_agrees = engine.is_none_or(|engine| engine == label.engine);
        let port_agrees = port.as_ref().is_none_or(|port| *port == label.port);
        if verdict != label.verdict || !engine_agrees || !port_agrees {
            found.push(format!(
                "{stem}: `{}` read ({engine:?}, {port:?}, {verdict}), labelled ({}, {}, {})",
                cache.address, label.engine, label.port, label.verdict
            ));
        }
    }
    for address in labels.keys() {
        if !planned_caches(plan).any(|cache| &cache.address == address) {
            found.push(format!("{stem}: `{address}` labelled but not planned"));
        }
    }
    found
}

#[test]
fn corpus_plans_agree_with_labels() {
    let Some(dir) = corpus() else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: ../shared/corpus/terraform not found; plan agreement was not checked"
        );
        return;
    };
    let labels = labels(&dir);
    let mut found = Vec::new();
    let mut expected_artefacts = Vec::new();
    let mut instances = 0;
    let mut plans = 0;
    for entry in std::fs::read_dir(dir.join("plans")).expect("plans/ is readable") {
        let path = entry.expect("plans/ entry").path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let source = SourceFile::new(
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        );
        let plan = plan(&source);
        plans += 1;
        instances += planned_caches(&plan).count();
        let mismatches =
            plan_disagreements(stem, &plan, labels.get(stem).unwrap_or(&BTreeMap::new()));
        if PLAN_RUN_ARTEFACTS.contains(&stem) {
            // The reader itself says where the planned port came from.
            for cache in planned_caches(&plan) {
                assert!(
                    plan.port_variable(cache).is_some(),
                    "{stem}: `{}`",
                    cache.address
                );
            }
            expected_artefacts.extend(mismatches);
        } else {
            found.extend(mismatches);
        }
    }
    assert_eq!(plans, 28, "the corpus README lists 28 plans");
    assert_eq!(instances, 48, "ElastiCache instances across the plans");
    assert!(
        found.is_empty(),
        "{} disagreements:\n{}",
        found.len(),
        found.join("\n")
    );
    // The argued artefact must still be one, or the comment above is stale.
    assert_eq!(expected_artefacts.len(), 1, "{expected_artefacts:?}");
}

// ---- EC-012 on the model ------------------------------------------------------

#[test]
fn ec012_runs_unchanged_on_a_plan_and_points_at_the_port_value() {
    use cfn_port_rules::{LintOptions, lint_model};
    let source = fixture("modules-count-and-unknowns.json");
    let plan = plan(&source);
    let report = lint_model(
        &plan.to_model(source.name()),
        &[&source],
        &LintOptions::default(),
    );
    let found: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.resource.as_str())
        .collect();
    assert_eq!(
        found,
        [
            "aws_elasticache_cluster.literal",
            "module.cache[\"eu.west\"].aws_elasticache_cluster.this[0]",
            "aws_elasticache_replication_group.sessions",
        ]
    );
    let literal = &report.findings[0];
    assert_eq!(source.slice(literal.primary_span()), "11211");
    assert!(
        literal.message.contains("default port of memcached"),
        "{}",
        literal.message
    );
    let unset = &report.findings[1];
    assert_eq!(
        unset.location.unwrap().start.line,
        20,
        "at the instance's address"
    );
    // Known only after apply: undetermined, saying why; the member is judged
    // through its group, the valkey group on 6380 passes.
    let undetermined: Vec<&str> = report
        .undetermined
        .iter()
        .map(|u| u.resource.as_str())
        .collect();
    assert_eq!(
        undetermined,
        ["aws_elasticache_cluster.from_other_resource"]
    );
    assert!(
        report.undetermined[0]
            .reason
            .contains("known only after apply")
    );
}

#[test]
fn ec012_findings_on_the_corpus_plans_are_the_default_port_labels() {
    use cfn_port_rules::{LintOptions, lint_model};
    let Some(dir) = corpus() else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: ../shared/corpus/terraform not found; EC-012 on plans was not checked"
        );
        return;
    };
    let labels = labels(&dir);
    let mut found = Vec::new();
    let mut findings = 0;
    for entry in std::fs::read_dir(dir.join("plans")).expect("plans/ is readable") {
        let path = entry.expect("plans/ entry").path();
        let Some(stem) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        if PLAN_RUN_ARTEFACTS.contains(&stem) {
            continue;
        }
        let source = SourceFile::new(stem, std::fs::read_to_string(&path).unwrap());
        let plan = plan(&source);
        let report = lint_model(&plan.to_model(stem), &[&source], &LintOptions::default());
        let mut actual: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.rule == "EC-012")
            .map(|f| f.resource.as_str())
            .collect();
        // A member cluster labelled default-port is judged through its
        // group: the finding is the group's.
        let mut expected: Vec<&str> = labels
            .get(stem)
            .into_iter()
            .flatten()
            .filter(|(address, label)| {
                label.verdict == "default-port"
                    && plan
                        .resources
                        .iter()
                        .any(|c| c.address == **address && c.member_of.is_none())
            })
            .map(|(address, _)| address.as_str())
            .collect();
        actual.sort_unstable();
        expected.sort_unstable();
        findings += actual.len();
        if actual != expected {
            found.push(format!(
                "{stem}: findings {actual:?}, labelled default-port {expected:?}"
            ));
        }
    }
    assert!(found.is_empty(), "{}", found.join("\n"));
    assert_eq!(
        findings, 43,
        "default-port instances across the plans, members excluded"
    );
}

/// The `.tf` files of `testdata/plan/module-beside/`, as a reader of the
/// module directory `infra` and the local module it calls.
fn module_beside_reader() -> cfn_port_rules::terraform::MemoryReader {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/plan/module-beside");
    let read = |path: &str| std::fs::read_to_string(dir.join(path)).expect("fixture is readable");
    cfn_port_rules::terraform::MemoryReader::new()
        .with_file("infra", "main.tf", &read("main.tf"))
        .with_file(
            "infra/modules/cache",
            "main.tf",
            &read("modules/cache/main.tf"),
        )
}

/// A label outside the plan file: its file's name, 1-based line and message.
type ConfigurationLabel = (String, u32, String);

/// Each label outside the plan file.
fn configuration_labels(
    finding: &cfn_port_rules::Finding,
    sources: &[&SourceFile],
) -> Vec<ConfigurationLabel> {
    finding
        .labels
        .iter()
        .filter(|label| label.file.index() > 0)
        .map(|label| {
            let source = sources[label.file.index()];
            (
                source.name().to_owned(),
                source.line_col(label.span.start).line,
                label.message.to_string(),
            )
        })
        .collect()
}

#[test]
fn plan_finding_has_a_secondary_label_at_the_tf_line_beside_the_plan() {
    use cfn_port_rules::{LintOptions, lint_model};
    let source = fixture("module-beside/plan.json");
    let plan = plan(&source);
    let with_sources = plan.to_model_with_sources(source.name(), &module_beside_reader(), "infra");
    let mut sources = vec![&source];
    sources.extend(&with_sources.sources);
    let report = lint_model(&with_sources.model, &sources, &LintOptions::default());
    let found: Vec<(&str, Vec<ConfigurationLabel>)> = report
        .findings
        .iter()
        .map(|f| (f.resource.as_str(), configuration_labels(f, &sources)))
        .collect();
    let written = (
        "infra/main.tf".to_owned(),
        10,
        "`port` is written here in the configuration".to_owned(),
    );
    let without = |_| {
        (
            "infra/modules/cache/main.tf".to_owned(),
            1,
            "the resource is declared here without `port`".to_owned(),
        )
    };
    assert_eq!(
        found,
        [
            ("aws_elasticache_cluster.sessions", vec![written]),
            (
                "module.cache.aws_elasticache_cluster.this[0]",
                vec![without(0)]
            ),
            (
                "module.cache.aws_elasticache_cluster.this[1]",
                vec![without(1)]
            ),
        ]
    );
    // The primary label stays on the port value in the plan file.
    assert_eq!(source.slice(report.findings[0].primary_span()), "6379");
}

#[test]
fn plan_without_its_module_beside_it_has_no_configuration_labels() {
    use cfn_port_rules::{LintOptions, lint_model};
    let source = fixture("module-beside/plan.json");
    let plan = plan(&source);
    let empty = cfn_port_rules::terraform::MemoryReader::new();
    let with_sources = plan.to_model_with_sources(source.name(), &empty, "infra");
    assert!(with_sources.sources.is_empty());
    let report = lint_model(&with_sources.model, &[&source], &LintOptions::default());
    let plain = lint_model(
        &plan.to_model(source.name()),
        &[&source],
        &LintOptions::default(),
    );
    assert_eq!(report.findings.len(), 3);
    assert_eq!(report.findings, plain.findings);
}

// ---- the default-port family ---------------------------------------------------

/// The `.tf` file of `testdata/plan/family/`, as a reader of the module
/// directory `family`.
fn family_reader() -> cfn_port_rules::terraform::MemoryReader {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/plan/family/main.tf");
    let text = std::fs::read_to_string(path).expect("fixture is readable");
    cfn_port_rules::terraform::MemoryReader::new().with_file("family", "main.tf", &text)
}

/// Each finding (with the text of each label, in the plan or the `.tf`
/// file) and each undetermined resource, one line each.
fn describe_family(report: &cfn_port_rules::Report, sources: &[&SourceFile]) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for finding in &report.findings {
        let at = finding.location.expect("located").start;
        writeln!(
            out,
            "finding {} `{}` ({}) at {}:{}: {}",
            finding.rule,
            finding.resource,
            finding.resource_type,
            at.line,
            at.column,
            finding.message
        )
        .unwrap();
        for label in &finding.labels {
            let source = sources[label.file.index()];
            let text: String = source.slice(label.span).escape_debug().collect();
            writeln!(
                out,
                "  {}:{} `{text}`: {}",
                source.name(),
                source.line_col(label.span.start).line,
                label.message
            )
            .unwrap();
        }
    }
    for undetermined in &report.undetermined {
        writeln!(
            out,
            "undetermined {} `{}`: {}",
            undetermined.rule, undetermined.resource, undetermined.reason
        )
        .unwrap();
    }
    out
}

/// The plan of `testdata/plan/family/main.tf`, made by Terraform itself
/// (`scripts/make-plan.sh`), linted with labels in the module beside it.
#[test]
fn family_plan_findings_match_the_snapshot() {
    use cfn_port_rules::{LintOptions, lint_model};
    let source = fixture("family/plan.json");
    let plan = plan(&source);
    let with_sources = plan.to_model_with_sources(source.name(), &family_reader(), "family");
    let mut sources = vec![&source];
    sources.extend(&with_sources.sources);
    let report = lint_model(&with_sources.model, &sources, &LintOptions::default());
    insta::assert_snapshot!(describe_family(&report, &sources));
}

/// Every kind the kind table says a plan reads is read from a real plan
/// under the table's names, and no other kind is.
#[test]
fn family_plan_reads_each_kind_the_table_marks_planned() {
    use cfn_port_rules::model::SourceKind;
    let plan = plan(&fixture("family/plan.json"));
    let mut read: Vec<ResourceKind> = plan.resources.iter().map(|r| r.kind).collect();
    read.sort_unstable();
    read.dedup();
    let databases: Vec<ResourceKind> = ResourceKind::ALL
        .iter()
        .copied()
        .filter(|kind| kind.type_name(SourceKind::TerraformPlan).is_some())
        .filter(|kind| kind.service() != "ElastiCache")
        .collect();
    assert_eq!(read, databases);
    for resource in &plan.resources {
        let type_name = resource.kind.type_name(SourceKind::TerraformPlan);
        assert!(
            resource
                .address
                .starts_with(&format!("{}.", type_name.unwrap())),
            "{}",
            resource.address
        );
    }
}

#[test]
fn restored_cluster_names_its_snapshot_and_leaves_the_port_unset() {
    let source = fixture("family/plan.json");
    let plan = plan(&source);
    let restored = cache(&plan, "aws_rds_cluster.restored");
    let [restore] = restored.restored_from.as_slice() else {
        panic!("{:?}", restored.restored_from);
    };
    assert_eq!(restore.argument, "snapshot_identifier");
    assert_eq!(source.slice(restore.span), "\"archive-final\"");
    assert_eq!(restored.port, PlannedValue::Unset);
    // `snapshot_identifier` is computed on `aws_db_instance`: unknown
    // there, and not set by the configuration, so not a restore.
    let instance = cache(&plan, "aws_db_instance.postgres_default");
    assert!(instance.restored_from.is_empty());
    // An empty `restore_to_point_in_time` list is no block.
    assert!(
        cache(&plan, "aws_rds_cluster.aurora")
            .restored_from
            .is_empty()
    );
}

#[test]
fn null_port_on_a_computed_attribute_is_null_not_known_after_apply() {
    let source = fixture("family/plan.json");
    let plan = plan(&source);
    let memorydb = cache(&plan, "aws_memorydb_cluster.sessions");
    let PlannedValue::Null { span } = memorydb.port else {
        panic!("{:?}", memorydb.port);
    };
    assert_eq!(source.slice(span), "{\"constant_value\":null}");
}

#[test]
fn provider_default_in_the_schema_is_the_planned_port() {
    let source = fixture("family/plan.json");
    let plan = plan(&source);
    let redshift = cache(&plan, "aws_redshift_cluster.warehouse");
    assert_eq!(known(&source, &redshift.port), ("5439", "5439".to_owned()));
    assert_eq!(redshift.port_expression, None, "not in the configuration");
    assert_eq!(redshift.engine, PlannedValue::Unset, "no engine argument");
}

/// Names of the kind table that the AWS provider (5.100.0) does not have,
/// by type: `aws_db_instance` has no `cluster_identifier` argument (an
/// Aurora instance is an `aws_rds_cluster_instance`, a type the table does
/// not list), so Terraform rejects the argument and no plan can make an
/// `aws_db_instance` a member.
const NAMES_THE_PROVIDER_LACKS: [(&str, &str); 1] = [("aws_db_instance", "cluster_identifier")];

/// The kind table's Terraform names for every planned kind are attributes
/// Terraform itself writes in `change.after` (or marks `after_unknown`):
/// a misspelt row would read nothing, silently.
#[test]
fn kind_table_names_are_attributes_of_the_real_family_plan() {
    use cfn_port_rules::model::{Property, SourceKind};
    let text = fixture("family/plan.json").text().to_owned();
    let json: serde_json::Value = serde_json::from_str(&text).expect("the plan is JSON");
    let changes = json["resource_changes"]
        .as_array()
        .expect("resource_changes");
    let plan_source = SourceKind::TerraformPlan;
    let mut checked = 0;
    for kind in ResourceKind::ALL {
        let Some(type_name) = kind.type_name(plan_source) else {
            continue;
        };
        let Some(change) = changes.iter().find(|c| c["type"] == *type_name) else {
            assert_eq!(kind.service(), "ElastiCache", "no {type_name} in the plan");
            continue;
        };
        let after = change["change"]["after"].as_object().expect("after");
        let unknown = change["change"]["after_unknown"]
            .as_object()
            .expect("after_unknown");
        let names = [Property::Engine, Property::Port, Property::MemberOf]
            .into_iter()
            .filter_map(|property| kind.property_name(property, plan_source))
            .chain(kind.restore_properties(plan_source).iter().copied());
        for name in names {
            let present = after.contains_key(name) || unknown.contains_key(name);
            let lacking = NAMES_THE_PROVIDER_LACKS.contains(&(type_name, name));
            assert!(
                present != lacking,
                "{type_name} `{name}`: in the plan {present}, listed as lacking {lacking}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 15, "{checked} names checked");
}
