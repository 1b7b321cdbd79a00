//! `cfn-port-lint aws` against a real AWS API emulator: moto in server
//! mode, started on a free loopback port for each test and stopped by its
//! process id. Credentials are dummies and every request goes to the
//! emulator (`--endpoint-url`); no test reaches AWS.
//!
//! The Python with `moto[server]` and `boto3` is `$CFN_PORT_LINT_TEST_PYTHON`
//! (`.ci/run` sets it, and then a missing moto fails the tests), else
//! `target/ci-venv/bin/python`, else `python3`; when none has moto the tests
//! say they skipped.
#![cfg(feature = "aws")]

use std::io::Write as _;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// An emulator (moto, or the stub) of this test's own, killed when dropped.
struct Emulator {
    child: Child,
    port: u16,
    endpoint: String,
    python: PathBuf,
}

impl Emulator {
    /// Starts moto, or `None` (having said so) when no Python has it.
    fn moto(test: &str) -> Option<Self> {
        let Some(python) = python_with_moto() else {
            // On stderr itself: the test harness captures `print!` output.
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: no Python with moto[server] (set CFN_PORT_LINT_TEST_PYTHON)"
            );
            return None;
        };
        let port = free_port();
        let port_arg = port.to_string();
        let args = ["-m", "moto.server", "-H", "127.0.0.1", "-p", &port_arg];
        Some(Self::start(python, &args, port))
    }

    /// Starts `tests/aws/stub_server.py` (plain Python, no moto), or `None`
    /// (having said so) without `python3`.
    fn stub(test: &str) -> Option<Self> {
        let python = PathBuf::from("python3");
        if Command::new(&python).arg("--version").output().is_err() {
            let _ = writeln!(std::io::stderr(), "skipped {test}: no python3");
            return None;
        }
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/aws/stub_server.py");
        let port = free_port();
        let port_arg = port.to_string();
        let args = [script.to_str().expect("a UTF-8 path"), &port_arg];
        Some(Self::start(python, &args, port))
    }

    fn start(python: PathBuf, args: &[&str], port: u16) -> Self {
        let child = Command::new(&python)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the emulator starts");
        let emulator = Self {
            child,
            port,
            endpoint: format!("http://127.0.0.1:{port}"),
            python,
        };
        emulator.wait_until_listening();
        emulator
    }

    /// Waits for the port; a panic here still stops moto (it is `self`).
    fn wait_until_listening(&self) {
        let port = self.port;
        let deadline = Instant::now() + Duration::from_secs(30);
        while TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "the emulator did not listen on {port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Makes the boto3 calls `calls` (see `tests/aws/seed.py`).
    fn seed(&self, calls: &Value) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/aws/seed.py");
        let status = Command::new(&self.python)
            .arg(script)
            .args([&self.endpoint, &calls.to_string()])
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .status()
            .expect("seed.py runs");
        assert!(status.success(), "seeding moto failed");
    }

    /// Runs `cfn-port-lint aws --endpoint-url <moto> ARGS` with dummy
    /// credentials and no shared config files.
    fn audit(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
            .args(["aws", "--endpoint-url", &self.endpoint])
            .args(args)
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
            .env(
                "AWS_SHARED_CREDENTIALS_FILE",
                "/nonexistent/aws-credentials",
            )
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .output()
            .expect("cfn-port-lint runs")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        // Child::kill signals this process id only.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn python_with_moto() -> Option<PathBuf> {
    if let Some(python) = std::env::var_os("CFN_PORT_LINT_TEST_PYTHON") {
        let python = PathBuf::from(python);
        assert!(
            has_moto(&python),
            "CFN_PORT_LINT_TEST_PYTHON={} has no moto[server] and boto3",
            python.display()
        );
        return Some(python);
    }
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/ci-venv/bin/python");
    [venv, PathBuf::from("python3")]
        .into_iter()
        .find(|python| has_moto(python))
}

fn has_moto(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import moto.server, boto3, flask"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("a free port");
    listener.local_addr().expect("its address").port()
}

/// The documents of the audit's output, one after another.
fn documents(output: &Output) -> Vec<Value> {
    let text = String::from_utf8(output.stdout.clone()).expect("UTF-8 output");
    serde_json::Deserializer::from_str(&text)
        .into_iter::<Value>()
        .collect::<Result<_, _>>()
        .expect("the output is JSON documents")
}

/// Every replication group of the output, as (id, engine, port) the way the
/// AWS provider reads them: `ConfigurationEndpoint.Port`, else
/// `NodeGroups[0].PrimaryEndpoint.Port`; no `Engine` is redis.
fn groups(output: &Output) -> Vec<(String, String, i64)> {
    let mut groups: Vec<_> = documents(output)
        .iter()
        .filter_map(|document| document["ReplicationGroups"].as_array())
        .flatten()
        .map(|group| {
            let port = group["ConfigurationEndpoint"]["Port"]
                .as_i64()
                .or_else(|| group["NodeGroups"][0]["PrimaryEndpoint"]["Port"].as_i64())
                .expect("a port");
            let id = group["ReplicationGroupId"]
                .as_str()
                .expect("an id")
                .to_owned();
            let engine = group["Engine"].as_str().unwrap_or("redis").to_owned();
            (id, engine, port)
        })
        .collect();
    groups.sort();
    groups
}

fn group(region: &str, args: Value) -> Value {
    let mut args = args;
    args["ReplicationGroupDescription"] = json!("test");
    args["CacheNodeType"] = json!("cache.t3.micro");
    json!({"region": region, "op": "create_replication_group", "args": args})
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn replication_groups_on_default_and_custom_ports_with_valkey() {
    let Some(moto) = Emulator::moto("replication_groups_on_default_and_custom_ports_with_valkey")
    else {
        return;
    };
    moto.seed(&json!([
        group(
            "eu-west-1",
            json!({"ReplicationGroupId": "redis-default", "Engine": "redis"})
        ),
        group(
            "eu-west-1",
            json!({"ReplicationGroupId": "valkey-default", "Engine": "valkey"})
        ),
        group(
            "eu-west-1",
            json!({"ReplicationGroupId": "valkey-custom", "Engine": "valkey", "Port": 13611})
        ),
    ]));
    let output = moto.audit(&["--save-output", "-", "--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        groups(&output),
        [
            ("redis-default".into(), "redis".into(), 6379),
            ("valkey-custom".into(), "valkey".into(), 13611),
            ("valkey-default".into(), "valkey".into(), 6379),
        ]
    );
}

#[test]
fn cluster_mode_enabled_group_has_its_configuration_endpoint() {
    let Some(moto) = Emulator::moto("cluster_mode_enabled_group_has_its_configuration_endpoint")
    else {
        return;
    };
    moto.seed(&json!([group(
        "eu-west-1",
        json!({"ReplicationGroupId": "sharded", "ClusterMode": "enabled", "NumNodeGroups": 2, "Port": 3560})
    )]));
    let output = moto.audit(&["--save-output", "-", "--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let documents = documents(&output);
    let sharded = &documents[0]["ReplicationGroups"][0];
    assert_eq!(sharded["ClusterEnabled"], json!(true));
    assert_eq!(sharded["ConfigurationEndpoint"]["Port"], json!(3560));
}

#[test]
fn every_page_is_fetched_when_a_region_has_more_than_one() {
    let Some(moto) = Emulator::moto("every_page_is_fetched_when_a_region_has_more_than_one") else {
        return;
    };
    // moto, like ElastiCache, answers 100 replication groups a page.
    let mut calls = group("eu-west-1", json!({"ReplicationGroupId": "group-{n}"}));
    calls["repeat"] = json!(130);
    moto.seed(&json!([calls]));
    let output = moto.audit(&["--save-output", "-", "--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(groups(&output).len(), 130);
}

#[test]
fn two_regions_are_each_audited_with_their_own_groups() {
    let Some(moto) = Emulator::moto("two_regions_are_each_audited_with_their_own_groups") else {
        return;
    };
    moto.seed(&json!([
        group("eu-west-1", json!({"ReplicationGroupId": "in-ireland"})),
        group(
            "us-east-1",
            json!({"ReplicationGroupId": "in-virginia", "Port": 13611})
        ),
    ]));
    let output = moto.audit(&[
        "--save-output",
        "-",
        "--region",
        "us-east-1",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let arns: Vec<_> = documents(&output)
        .iter()
        .filter_map(|document| document["ReplicationGroups"].as_array())
        .flatten()
        .map(|group| group["ARN"].as_str().expect("an ARN").to_owned())
        .collect();
    assert_eq!(
        arns,
        [
            "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:in-ireland",
            "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:in-virginia",
        ]
    );
}

#[test]
fn a_failing_region_is_an_error_while_the_others_are_still_audited() {
    let Some(moto) =
        Emulator::moto("a_failing_region_is_an_error_while_the_others_are_still_audited")
    else {
        return;
    };
    moto.seed(&json!([group(
        "eu-west-1",
        json!({"ReplicationGroupId": "still-audited"})
    )]));
    // moto has no backend for a region it does not know and answers 500:
    // the SDK retries, then gives up on that region alone.
    let output = moto.audit(&[
        "--save-output",
        "-",
        "--region",
        "eu-west-1",
        "--region",
        "xx-nowhere-1",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        groups(&output),
        [("still-audited".into(), "redis".into(), 6379)]
    );
    assert_eq!(
        stderr(&output),
        "error: region xx-nowhere-1: DescribeReplicationGroups failed: \
         HTTP status 500 with an answer that is not the service's\n"
    );
}

#[test]
fn an_endpoint_that_does_not_answer_is_an_error_for_each_region() {
    // A port nothing listens on: no emulator needed.
    let endpoint = format!("http://127.0.0.1:{}", free_port());
    let output = Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
        .args(["aws", "--save-output", "-", "--endpoint-url", &endpoint])
        .args(["--region", "eu-west-1", "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_CONFIG_FILE", "/nonexistent/aws-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/aws-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("cfn-port-lint runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = stderr(&output);
    let lines: Vec<_> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    for (line, region) in lines.iter().zip(["eu-west-1", "us-east-1"]) {
        let expected =
            format!("error: region {region}: DescribeReplicationGroups failed: no answer: ");
        assert!(line.starts_with(&expected), "{stderr}");
        assert!(line.contains("Connection refused"), "{stderr}");
    }
}

#[test]
fn without_a_region_the_enabled_regions_come_from_the_account_api() {
    let Some(moto) =
        Emulator::moto("without_a_region_the_enabled_regions_come_from_the_account_api")
    else {
        return;
    };
    // moto has no Account Management API: the request reaches the emulator
    // (not AWS) and its failure is the run's error.
    let output = moto.audit(&[]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = stderr(&output);
    assert!(
        stderr.starts_with("error: could not list the account's enabled regions (account:ListRegions); name them with --region:"),
        "{stderr}"
    );
}

#[test]
fn cache_clusters_keep_their_configuration_and_node_endpoints() {
    // moto returns no node endpoints for cache clusters; the stub does, and
    // only when asked with ShowCacheNodeInfo, as ElastiCache does.
    let Some(stub) = Emulator::stub("cache_clusters_keep_their_configuration_and_node_endpoints")
    else {
        return;
    };
    let output = stub.audit(&["--save-output", "-", "--region", "eu-west-1"]);
    // The memcached cluster is on 11211: a finding.
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        documents(&output),
        [
            json!({"ReplicationGroups": []}),
            json!({"CacheClusters": [
                {
                    "CacheClusterId": "sessions-memo",
                    "ConfigurationEndpoint": {"Address": "sessions-memo.cfg.example", "Port": 11211},
                    "Engine": "memcached",
                    "CacheClusterStatus": "available",
                    "NumCacheNodes": 1,
                    "CacheNodes": [{
                        "CacheNodeId": "0001",
                        "CacheNodeStatus": "available",
                        "Endpoint": {"Address": "sessions-memo.0001.example", "Port": 11211}
                    }],
                    "ARN": "arn:aws:elasticache:eu-west-1:123456789012:cluster:sessions-memo"
                },
                {
                    "CacheClusterId": "queue",
                    "Engine": "redis",
                    "CacheClusterStatus": "available",
                    "NumCacheNodes": 1,
                    "CacheNodes": [{
                        "CacheNodeId": "0001",
                        "Endpoint": {"Address": "queue.0001.example", "Port": 3560}
                    }],
                    "ARN": "arn:aws:elasticache:eu-west-1:123456789012:cluster:queue"
                }
            ]}),
        ]
    );
}

#[test]
fn readme_policy_lists_exactly_the_actions_the_audit_needs() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md"))
            .expect("README.md is readable");
    let policy_start = readme
        .find("\"Version\": \"2012-10-17\"")
        .expect("the README has an IAM policy");
    let policy = &readme[policy_start..];
    let policy = &policy[..policy.find("```").expect("the policy block ends")];
    let mut listed: Vec<_> = policy
        .split('"')
        .filter(|word| word.starts_with("elasticache:") || word.starts_with("account:"))
        .collect();
    let mut needed = cfn_port_cli::aws::fetch::IAM_ACTIONS.to_vec();
    listed.sort_unstable();
    needed.sort_unstable();
    assert_eq!(listed, needed);
}

// ---- Linted in process: findings in every format ----------------------------

/// Two regions with groups on default and custom ports, seeded in `moto`.
fn seed_two_regions(moto: &Emulator) {
    moto.seed(&json!([
        group("eu-west-1", json!({"ReplicationGroupId": "orders"})),
        group(
            "eu-west-1",
            json!({"ReplicationGroupId": "custom", "Port": 3560})
        ),
        group(
            "us-east-1",
            json!({"ReplicationGroupId": "sessions", "Engine": "valkey"})
        ),
    ]));
}

const ORDERS: &str = "arn:aws:elasticache:eu-west-1:123456789012:replicationgroup:orders";
const SESSIONS: &str = "arn:aws:elasticache:us-east-1:123456789012:replicationgroup:sessions";
/// A region moto has no backend for: it answers 500, and the SDK gives up
/// on that region after its retries.
const FAILING: [&str; 2] = ["--region", "xx-nowhere-1"];
const TWO_REGIONS: [&str; 4] = ["--region", "eu-west-1", "--region", "us-east-1"];

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("UTF-8 output")
}

#[test]
fn findings_in_two_regions_and_a_failing_region_in_every_format() {
    let Some(moto) = Emulator::moto("findings_in_two_regions_and_a_failing_region_in_every_format")
    else {
        return;
    };
    seed_two_regions(&moto);
    let audit = |format: &str| {
        let args: Vec<&str> = TWO_REGIONS
            .iter()
            .chain(&FAILING)
            .copied()
            .chain(["--format", format])
            .collect();
        let output = moto.audit(&args);
        // A failed region wins over findings, as an unreadable file does.
        assert_eq!(
            output.status.code(),
            Some(2),
            "{format}: {}",
            stderr(&output)
        );
        assert_eq!(stderr(&output), "", "{format}");
        stdout(&output)
    };
    let failure = "the region could not be audited: DescribeReplicationGroups failed: \
                   HTTP status 500 with an answer that is not the service's";

    assert_eq!(
        audit("compact"),
        format!(
            "{ORDERS}: warning[EC-012] ReplicationGroup `orders` listens on port 6379, the default port of redis\n\
             {SESSIONS}: warning[EC-012] ReplicationGroup `sessions` listens on port 6379, the default port of valkey\n\
             xx-nowhere-1: error[io] {failure}\n"
        )
    );

    let human = audit("human");
    assert!(
        human.starts_with(&format!(
            "warning[EC-012]: {ORDERS}: ReplicationGroup `orders` listens on port 6379, \
             the default port of redis\n = help: a running cluster's port cannot be changed"
        )),
        "{human}"
    );
    assert!(
        human.contains(&format!("error[io]: xx-nowhere-1: {failure}\n")),
        "{human}"
    );
    assert!(
        !human.contains('┌'),
        "no code frame without a file: {human}"
    );
    let summary = human.lines().last().expect("a summary line");
    assert!(
        summary.starts_with("Audited 3 regions: 2 findings, 1 error in "),
        "{summary}"
    );

    assert_eq!(
        audit("github"),
        format!(
            "::warning title=EC-012::{ORDERS}: ReplicationGroup `orders` listens on port 6379, the default port of redis\n\
             ::warning title=EC-012::{SESSIONS}: ReplicationGroup `sessions` listens on port 6379, the default port of valkey\n\
             ::error title=io::xx-nowhere-1: {failure}\n"
        )
    );

    let json: Value = serde_json::from_str(&audit("json")).expect("JSON");
    let identities: Vec<Value> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            // No position: there is no file.
            assert_eq!(f.get("line"), None, "{f}");
            json!({"path": f["path"], "resource": f["resource"], "arn": f["arn"], "region": f["region"]})
        })
        .collect();
    assert_eq!(
        identities,
        [
            json!({"path": ORDERS, "resource": "orders", "arn": ORDERS, "region": "eu-west-1"}),
            json!({"path": SESSIONS, "resource": "sessions", "arn": SESSIONS, "region": "us-east-1"}),
        ]
    );
    assert_eq!(
        json["errors"],
        json!([{"path": "xx-nowhere-1", "code": "io", "severity": "error",
                "message": failure, "notes": []}])
    );
    assert_eq!(json["summary"]["files"], json!(3));
    assert_eq!(json["summary"]["findings"], json!(2));

    let sarif: Value = serde_json::from_str(&audit("sarif")).expect("SARIF");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    let names: Vec<&Value> = results
        .iter()
        .map(|r| &r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"])
        .collect();
    assert_eq!(
        names,
        [&json!(ORDERS), &json!(SESSIONS), &json!("xx-nowhere-1")]
    );
    assert!(
        results
            .iter()
            .all(|r| r["locations"][0].get("physicalLocation").is_none()),
        "{results:#?}"
    );
    assert_eq!(results[2]["ruleId"], json!("input-error"));
    assert_eq!(
        results[0]["locations"][0]["logicalLocations"][0]["properties"]["region"],
        json!("eu-west-1")
    );
    validate_sarif(&sarif);

    let junit = audit("junit");
    for expected in [
        r#"<testcase name="eu-west-1""#,
        &format!(r#"type="finding">{ORDERS}: warning[EC-012]"#),
        r#"<testcase name="xx-nowhere-1""#,
        r#"failures="2" errors="1""#,
    ] {
        assert!(junit.contains(expected), "{expected} not in {junit}");
    }

    let gitlab: Value = serde_json::from_str(&audit("gitlab")).expect("Code Quality JSON");
    let paths: Vec<&Value> = gitlab
        .as_array()
        .expect("issues")
        .iter()
        .map(|issue| &issue["location"]["path"])
        .collect();
    assert_eq!(
        paths,
        [&json!(ORDERS), &json!(SESSIONS), &json!("xx-nowhere-1")]
    );
}

/// Validates a live audit's SARIF log against the OASIS schema in
/// `../shared`, or says it skipped.
fn validate_sarif(sarif: &Value) {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/schemas/sarif-schema-2.1.0.json");
    let Ok(schema) = std::fs::read_to_string(&schema_path) else {
        let _ = writeln!(
            std::io::stderr(),
            "skipped the SARIF schema check: {} is absent",
            schema_path.display()
        );
        return;
    };
    let schema: Value = serde_json::from_str(&schema).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn exit_status_is_one_for_findings_zero_when_clean_or_with_exit_zero() {
    let Some(moto) =
        Emulator::moto("exit_status_is_one_for_findings_zero_when_clean_or_with_exit_zero")
    else {
        return;
    };
    seed_two_regions(&moto);
    let findings = moto.audit(&TWO_REGIONS);
    assert_eq!(findings.status.code(), Some(1), "{}", stderr(&findings));
    let exit_zero = moto.audit(&["--region", "eu-west-1", "--exit-zero", "-q"]);
    assert_eq!(exit_zero.status.code(), Some(0), "{}", stderr(&exit_zero));
    assert!(
        stdout(&exit_zero).contains(ORDERS),
        "{}",
        stdout(&exit_zero)
    );
    // A region with no cluster at all is clean.
    let clean = moto.audit(&["--region", "eu-north-1"]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    assert!(
        stdout(&clean).starts_with("Audited 1 region: 0 findings in "),
        "{}",
        stdout(&clean)
    );
}

#[test]
fn output_file_and_saved_output_give_the_same_verdicts_as_linting_the_saved_file() {
    let Some(moto) = Emulator::moto(
        "output_file_and_saved_output_give_the_same_verdicts_as_linting_the_saved_file",
    ) else {
        return;
    };
    seed_two_regions(&moto);
    let dir = std::env::temp_dir().join(format!("cfn-port-lint-aws-live-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let saved = dir.join("deployed.json");
    let findings = dir.join("findings.json");
    let mut args = TWO_REGIONS.to_vec();
    args.extend(["--format", "json", "--output-file"]);
    args.push(findings.to_str().expect("a UTF-8 path"));
    args.extend(["--save-output", saved.to_str().expect("a UTF-8 path")]);
    let live = moto.audit(&args);
    assert_eq!(live.status.code(), Some(1), "{}", stderr(&live));
    assert!(live.stdout.is_empty(), "everything went to files");

    let offline = Command::new(env!("CARGO_BIN_EXE_cfn-port-lint"))
        .args(["--format", "json"])
        .arg(&saved)
        .output()
        .expect("cfn-port-lint runs");
    assert_eq!(offline.status.code(), Some(1), "{}", stderr(&offline));
    let verdicts = |json: &Value| -> Vec<(String, String, String)> {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| {
                let text = |key: &str| f[key].as_str().expect(key).to_owned();
                (text("resource"), text("arn"), text("message"))
            })
            .collect()
    };
    let live: Value =
        serde_json::from_str(&std::fs::read_to_string(&findings).expect("the output file"))
            .expect("JSON");
    let offline: Value = serde_json::from_str(&stdout(&offline)).expect("JSON");
    assert_eq!(verdicts(&live), verdicts(&offline));
    assert_eq!(verdicts(&live).len(), 2);
    // Only the saved file has positions to give.
    assert!(live["findings"][0].get("line").is_none());
    assert!(offline["findings"][0]["line"].is_u64());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn save_output_on_stdout_leaves_findings_to_a_format_with_a_file() {
    let Some(stub) =
        Emulator::stub("save_output_on_stdout_leaves_findings_to_a_format_with_a_file")
    else {
        return;
    };
    let clash = stub.audit(&[
        "--save-output",
        "-",
        "--format",
        "json",
        "--region",
        "eu-west-1",
    ]);
    assert_eq!(clash.status.code(), Some(2));
    assert!(
        stderr(&clash)
            .starts_with("error: --save-output - and a format would both write to stdout"),
        "{}",
        stderr(&clash)
    );
}

#[test]
fn cache_clusters_are_linted_through_their_node_endpoints() {
    let Some(stub) = Emulator::stub("cache_clusters_are_linted_through_their_node_endpoints")
    else {
        return;
    };
    let output = stub.audit(&["--region", "eu-west-1", "--format", "compact"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    // memcached on 11211 is a finding; redis on 3560 is not.
    assert_eq!(
        stdout(&output),
        "arn:aws:elasticache:eu-west-1:123456789012:cluster:sessions-memo: warning[EC-012] \
         CacheCluster `sessions-memo` listens on port 11211, the default port of memcached\n"
    );
}
