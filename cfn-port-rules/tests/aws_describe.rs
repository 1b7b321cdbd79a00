//! Saved AWS CLI `describe-*` output: recognition and extraction over the
//! fixtures in `testdata/aws-describe/`, and agreement with the hand-checked
//! `../shared/corpus/aws-describe/LABELS.tsv` (skipped, saying so, when the
//! corpus is absent).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cfn_port_rules::aws::describe::{
    CacheKind, DeployedCache, DescribeOutput, DescribeReading, NoPort, PortField, PortReading,
    read_describe_output,
};
use cfn_port_rules::{Limits, SourceFile};

fn fixture(name: &str) -> SourceFile {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/aws-describe")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("fixture is readable");
    SourceFile::new(name, text)
}

fn read(source: &SourceFile) -> DescribeOutput {
    match read_describe_output(source, &Limits::default()) {
        DescribeReading::Output(output) => output,
        DescribeReading::Unrecognised => panic!("{} was not recognised", source.name()),
    }
}

fn cache<'a>(output: &'a DescribeOutput, id: &str) -> &'a DeployedCache {
    output
        .caches
        .iter()
        .find(|cache| cache.id.as_ref().is_some_and(|i| i.text == id))
        .unwrap_or_else(|| panic!("no cache `{id}`"))
}

/// The port, the field it came from and the text at its span.
fn read_port<'a>(source: &'a SourceFile, cache: &DeployedCache) -> (u16, PortField, &'a str) {
    match cache.port {
        PortReading::Read { port, span, from } => (port, from, source.slice(span)),
        ref other => panic!("port of {:?} not read: {other:?}", cache.id),
    }
}

#[test]
fn concatenated_pages_are_each_read_with_spans_in_the_file() {
    let source = fixture("describe-replication-groups-two-pages.json");
    let output = read(&source);
    assert_eq!(output.documents.len(), 2);
    let token = output.documents[0]
        .next_page
        .as_ref()
        .expect("first page has a Marker");
    assert_eq!(
        (token.key, source.slice(token.span)),
        ("Marker", "\"page-2-of-2\"")
    );
    assert!(output.documents[1].next_page.is_none());
    let sessions = cache(&output, "sessions");
    assert_eq!(sessions.document, 1);
    assert_eq!(
        read_port(&source, sessions),
        (7000, PortField::PrimaryEndpoint, "7000")
    );
    let engine = sessions.engine.as_ref().unwrap();
    assert_eq!(source.slice(engine.span.unwrap()), "\"valkey\"");
    assert_eq!(
        source.slice(sessions.id.as_ref().unwrap().span),
        "\"sessions\""
    );
}

#[test]
fn replication_group_with_configuration_endpoint_and_no_engine_is_redis_on_that_port() {
    let source = fixture("describe-replication-groups-two-pages.json");
    let output = read(&source);
    let orders = cache(&output, "orders");
    assert_eq!(orders.kind, CacheKind::ReplicationGroup);
    assert_eq!(
        read_port(&source, orders),
        (6379, PortField::ConfigurationEndpoint, "6379")
    );
    let engine = orders.engine.as_ref().unwrap();
    assert_eq!((engine.name.as_str(), engine.span), ("redis", None));
    assert_eq!(orders.region.as_deref(), Some("eu-west-1"));
    assert_eq!(
        orders.arn.as_ref().map(|arn| arn.text.as_str()),
        Some("arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:orders")
    );
}

#[test]
fn steps_say_which_field_the_port_and_engine_come_from() {
    let source = fixture("describe-replication-groups-two-pages.json");
    let output = read(&source);
    let orders = cache(&output, "orders");
    let port = orders.port_step().unwrap();
    assert_eq!(source.slice(port.span), "6379");
    assert_eq!(
        port.description,
        "`ConfigurationEndpoint.Port` of replication group `orders` is 6379"
    );
    let engine = orders.engine_step().unwrap();
    assert!(
        engine.description.contains("no `Engine`"),
        "{}",
        engine.description
    );
    assert_eq!(source.slice(engine.span), "\"orders\"");
    let sessions = cache(&output, "sessions");
    assert_eq!(
        sessions.engine_step().unwrap().description,
        "the engine is valkey"
    );
}

#[test]
fn cache_clusters_read_configuration_endpoint_then_first_node() {
    let source = fixture("describe-cache-clusters-show-cache-node-info.json");
    let output = read(&source);
    assert_eq!(
        output.documents[0].next_page.as_ref().unwrap().key,
        "NextToken"
    );
    let memcached = cache(&output, "catalog-mc");
    assert_eq!(
        read_port(&source, memcached).1,
        PortField::ConfigurationEndpoint
    );
    let redis = cache(&output, "queue-redis");
    assert_eq!(
        read_port(&source, redis),
        (6380, PortField::CacheNodeEndpoint, "6380")
    );
    assert_eq!(redis.json_path, "$.CacheClusters[1]");
}

#[test]
fn member_cluster_is_judged_through_its_group_even_when_it_shows_a_port() {
    let source = fixture("describe-cache-clusters-show-cache-node-info.json");
    let output = read(&source);
    let member = cache(&output, "orders-001");
    let PortReading::Undetermined(NoPort::MemberOfGroup { group_id, shown }) = &member.port else {
        panic!("member read as {:?}", member.port);
    };
    assert_eq!(group_id, "orders");
    assert_eq!(
        shown.map(|(port, span)| (port, source.slice(span))),
        Some((6379, "6379"))
    );
}

#[test]
fn member_cluster_finds_its_group_when_both_outputs_are_in_one_file() {
    let clusters = fixture("describe-cache-clusters-show-cache-node-info.json");
    let groups = fixture("describe-replication-groups-two-pages.json");
    let text = format!("{}\n{}", clusters.text(), groups.text());
    let output = read(&SourceFile::new("both.json", text));
    let member = cache(&output, "orders-001");
    let group = output
        .group_of(member)
        .expect("group `orders` is in the file");
    assert_eq!(group.kind, CacheKind::ReplicationGroup);
    assert_eq!(group.document, 1);
    let lone = read(&clusters);
    assert!(lone.group_of(cache(&lone, "orders-001")).is_none());
}

#[test]
fn creating_cluster_has_no_endpoint_and_says_its_status() {
    let output = read(&fixture(
        "describe-cache-clusters-show-cache-node-info.json",
    ));
    let creating = cache(&output, "new-cache");
    let PortReading::Undetermined(reason) = &creating.port else {
        panic!("read as {:?}", creating.port);
    };
    assert!(reason.reason().contains("creating"), "{}", reason.reason());
}

#[test]
fn output_without_node_info_hints_at_show_cache_node_info() {
    let output = read(&fixture("describe-cache-clusters-without-node-info.json"));
    let redis = cache(&output, "queue-redis");
    let PortReading::Undetermined(reason) = &redis.port else {
        panic!("read as {:?}", redis.port);
    };
    assert!(reason.hint().unwrap().contains("--show-cache-node-info"));
    // Regions come from any partition's ARN.
    assert_eq!(redis.region.as_deref(), Some("cn-north-1"));
}

#[test]
fn query_projection_is_not_auditable_with_the_reason() {
    let source = fixture("query-projection.json");
    let output = read(&source);
    assert!(output.caches.is_empty());
    let [problem] = output.not_auditable.as_slice() else {
        panic!("{:?}", output.not_auditable);
    };
    assert!(problem.reason.contains("--query"), "{}", problem.reason);
    assert_eq!(problem.span.range(), 0..source.text().trim_end().len());
}

#[test]
fn other_json_is_not_recognised() {
    for text in [
        "{\"Resources\": {}}",
        "[\"a\"]",
        "{\"CacheClusters\": 3}",
        "{ not json",
    ] {
        let source = SourceFile::new("x.json", text);
        assert!(
            matches!(
                read_describe_output(&source, &Limits::default()),
                DescribeReading::Unrecognised
            ),
            "{text}"
        );
    }
    let template = fixture("not-elasticache-output.json");
    assert!(matches!(
        read_describe_output(&template, &Limits::default()),
        DescribeReading::Unrecognised
    ));
}

#[test]
fn broken_page_among_good_ones_is_not_auditable_and_the_others_are_read() {
    let text = "{\"CacheClusters\": []}\n{\"CacheClusters\": [1 2]}\n";
    let output = read(&SourceFile::new("pages.json", text));
    assert_eq!(output.documents.len(), 1);
    assert_eq!(output.not_auditable.len(), 1);
    assert_eq!(
        &text[output.not_auditable[0].span.range()],
        "{\"CacheClusters\": [1 2]}"
    );
}

// ---- the corpus -------------------------------------------------------------

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/aws-describe");
    dir.join("LABELS.tsv").is_file().then_some(dir)
}

/// One row of LABELS.tsv: the judged object and its expected reading.
struct Label {
    json_path: String,
    id: String,
    engine: String,
    port: String,
    verdict: String,
}

fn labels(dir: &Path) -> BTreeMap<String, Vec<Label>> {
    let text = std::fs::read_to_string(dir.join("LABELS.tsv")).expect("LABELS.tsv is readable");
    let mut by_file: BTreeMap<String, Vec<Label>> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|line| !line.trim().is_empty()) {
        let columns: Vec<&str> = line.split('\t').collect();
        by_file
            .entry(columns[0].to_owned())
            .or_default()
            .push(Label {
                json_path: columns[1].to_owned(),
                id: columns[2].to_owned(),
                engine: columns[3].to_owned(),
                port: columns[4].to_owned(),
                verdict: columns[5].to_owned(),
            });
    }
    by_file
}

/// The engine's default port, as EC-012 knows it.
fn default_port(engine: &str) -> Option<u16> {
    match engine {
        "redis" | "valkey" => Some(6379),
        "memcached" => Some(11211),
        _ => None,
    }
}

/// The verdict EC-012 would reach on a reading.
fn verdict(cache: &DeployedCache) -> &'static str {
    let engine_default = cache.engine.as_ref().and_then(|e| default_port(&e.name));
    match (&cache.port, engine_default) {
        (PortReading::Read { port, .. }, Some(default)) if *port == default => "default-port",
        (PortReading::Read { .. }, Some(_)) => "custom-port",
        _ => "unknown",
    }
}

/// Compares one file's reading with its labels; the differences, in words.
fn disagreements(file: &str, source: &SourceFile, labels: &[Label]) -> Vec<String> {
    let mut found = Vec::new();
    let output = match read_describe_output(source, &Limits::default()) {
        DescribeReading::Output(output) => output,
        DescribeReading::Unrecognised => return vec![format!("{file}: not recognised")],
    };
    for label in labels {
        if label.json_path == "$" {
            // A file with nothing to judge: accepted, and nothing reported.
            if !output.caches.is_empty() || !output.not_auditable.is_empty() {
                found.push(format!("{file}: expected nothing to judge"));
            }
            continue;
        }
        if label.id == "-" {
            // A `--query` projection: bare ports, not auditable.
            if output.not_auditable.is_empty() || !output.caches.is_empty() {
                found.push(format!(
                    "{file} {}: expected not auditable",
                    label.json_path
                ));
            }
            continue;
        }
        let Some(cache) = output
            .caches
            .iter()
            .find(|c| c.json_path == label.json_path)
        else {
            found.push(format!("{file} {}: not read", label.json_path));
            continue;
        };
        let id = cache.id.as_ref().map_or("-", |id| id.text.as_str());
        let engine = cache.engine.as_ref().map_or("unknown", |e| e.name.as_str());
        let port = match &cache.port {
            PortReading::Read { port, .. } => Some(port.to_string()),
            PortReading::Undetermined(_) => None,
        };
        // The label's port column is a number wherever the output shows one
        // (also for members and serverless caches, which are not judged).
        let port_agrees = port.as_ref().is_none_or(|port| *port == label.port);
        if id != label.id
            || engine != label.engine
            || verdict(cache) != label.verdict
            || !port_agrees
        {
            found.push(format!(
                "{file} {}: read ({id}, {engine}, {port:?}, {}), labelled ({}, {}, {}, {})",
                label.json_path,
                verdict(cache),
                label.id,
                label.engine,
                label.port,
                label.verdict
            ));
        }
    }
    let judged = labels
        .iter()
        .filter(|l| l.json_path != "$" && l.id != "-")
        .count();
    if output.caches.len() != judged {
        found.push(format!(
            "{file}: {} objects read, {judged} labelled",
            output.caches.len()
        ));
    }
    found
}

#[test]
fn corpus_readings_agree_with_labels() {
    let Some(dir) = corpus() else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: ../shared/corpus/aws-describe/LABELS.tsv not found; describe-output agreement was not checked"
        );
        return;
    };
    let labels = labels(&dir);
    let mut found = Vec::new();
    let mut rows = 0;
    for (file, labels) in &labels {
        let text = std::fs::read_to_string(dir.join(file)).expect("corpus file is readable");
        found.extend(disagreements(
            file,
            &SourceFile::new(file.as_str(), text),
            labels,
        ));
        rows += labels.len();
    }
    assert_eq!(rows, 97, "LABELS.tsv changed; update the count");
    assert!(
        found.is_empty(),
        "{} disagreements:\n{}",
        found.len(),
        found.join("\n")
    );
}

// ---- EC-012 on the model ------------------------------------------------------

fn lint_output(source: &SourceFile) -> cfn_port_rules::Report {
    read(source).lint(source, &cfn_port_rules::LintOptions::default())
}

#[test]
fn ec012_runs_unchanged_on_describe_output_and_points_at_the_port() {
    let source = fixture("describe-replication-groups-two-pages.json");
    let report = lint_output(&source);
    let [finding] = report.findings.as_slice() else {
        panic!("{:?}", report.findings);
    };
    assert_eq!(finding.resource, "orders");
    assert_eq!(source.slice(finding.primary_span()), "6379");
    assert!(finding.message.contains("6379"), "{}", finding.message);
    // A running cluster is replaced, not modified.
    assert!(
        finding.help.contains("create-replication-group"),
        "{}",
        finding.help
    );
    assert!(
        finding.help.contains("--region eu-west-1"),
        "{}",
        finding.help
    );
    assert!(
        finding.help.contains("delete-replication-group"),
        "{}",
        finding.help
    );
}

#[test]
fn findings_and_undetermined_name_the_arn_and_region_of_the_cluster() {
    let source = fixture("describe-replication-groups-two-pages.json");
    let report = lint_output(&source);
    let deployed = report.findings[0].deployed.as_ref().expect("an ARN");
    assert_eq!(
        deployed.arn,
        "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:orders"
    );
    assert_eq!(deployed.region.as_deref(), Some("eu-west-1"));
    let source = fixture("describe-cache-clusters-show-cache-node-info.json");
    let report = lint_output(&source);
    let member = report
        .undetermined
        .iter()
        .find(|u| u.resource == "orders-001")
        .expect("the member is undetermined");
    let deployed = member.deployed.as_ref().expect("an ARN");
    assert!(
        deployed.arn.ends_with(":cluster:orders-001"),
        "{deployed:?}"
    );
}

#[test]
fn ec012_leaves_members_and_clusters_without_endpoints_undetermined() {
    let source = fixture("describe-cache-clusters-show-cache-node-info.json");
    let report = lint_output(&source);
    let found: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.resource.as_str())
        .collect();
    assert_eq!(found, ["catalog-mc"]);
    let undetermined: Vec<(&str, &str)> = report
        .undetermined
        .iter()
        .map(|u| (u.resource.as_str(), u.reason.as_str()))
        .collect();
    assert_eq!(undetermined.len(), 2, "{undetermined:?}");
    assert!(
        undetermined
            .iter()
            .any(|(r, why)| *r == "orders-001" && why.contains("orders"))
    );
    assert!(
        undetermined
            .iter()
            .any(|(r, why)| *r == "new-cache" && why.contains("creating"))
    );
}

#[test]
fn ec012_findings_on_the_corpus_are_the_default_port_labels() {
    let Some(dir) = corpus() else {
        use std::io::Write as _;
        let _ = writeln!(
            std::io::stderr(),
            "skipped: ../shared/corpus/aws-describe/LABELS.tsv not found; EC-012 on describe output was not checked"
        );
        return;
    };
    let mut found = Vec::new();
    let mut findings = 0;
    for (file, labels) in &labels(&dir) {
        let text = std::fs::read_to_string(dir.join(file)).expect("corpus file is readable");
        let source = SourceFile::new(file.as_str(), text);
        let DescribeReading::Output(_) = read_describe_output(&source, &Limits::default()) else {
            continue;
        };
        let report = lint_output(&source);
        let expected: Vec<&str> = labels
            .iter()
            .filter(|l| l.verdict == "default-port")
            .map(|l| l.id.as_str())
            .collect();
        let actual: Vec<&str> = report
            .findings
            .iter()
            .map(|f| f.resource.as_str())
            .collect();
        findings += actual.len();
        if expected != actual {
            found.push(format!(
                "{file}: findings {actual:?}, labelled default-port {expected:?}"
            ));
        }
    }
    assert_eq!(findings, 16, "LABELS.tsv has 16 default-port rows");
    assert!(found.is_empty(), "{}", found.join("\n"));
}
