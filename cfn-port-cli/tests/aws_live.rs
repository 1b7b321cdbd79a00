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
    let output = moto.audit(&["--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
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
    let output = moto.audit(&["--region", "eu-west-1"]);
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
    let output = moto.audit(&["--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
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
    let output = moto.audit(&["--region", "us-east-1", "--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
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
    let output = moto.audit(&["--region", "eu-west-1", "--region", "xx-nowhere-1"]);
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
        .args(["aws", "--endpoint-url", &endpoint])
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
    let output = stub.audit(&["--region", "eu-west-1"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
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
