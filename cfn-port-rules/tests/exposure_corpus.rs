//! The exposure rule (CPL-005) over the real CloudFormation templates of the
//! shared corpus (`../shared/corpus/`, beside the repository): how many
//! findings it gives in `general/` and in `elasticache/`, and a hand-checked
//! random sample of them.
//!
//! The counts are pinned: a change that moves them must be argued, and the
//! sample checked again. The sample was drawn with Python's
//! `random.Random(16).sample` over each folder's findings sorted by file and
//! resource (up to 30 per folder: the one finding of `general/`, 30 of the
//! 32 of `elasticache/`); each entry says why it is a true finding: the
//! port the resource listens on, and the inline rule of its group that
//! admits 0.0.0.0/0 on it. No false positive was found. Every finding lists
//! its folder, file, resource and message in
//! `target/tmp/exposure-corpus-findings.txt` for the next review.
//!
//! Without the corpus the test says so and checks nothing.

use std::path::{Path, PathBuf};

#[path = "common/corpus.rs"]
mod corpus_counts;

use corpus_counts::{check_counts_and_sample, say, template_findings};

fn corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    dir.join("general").is_dir().then_some(dir)
}

/// The folders read, and the rule's findings in each.
const COUNTS: &[(&str, usize)] = &[("elasticache", 32), ("general", 1)];

/// The hand-checked sample: (folder, file, resource, verdict). Each was
/// read in its template. Seventeen of the 32 `elasticache/` findings (16 in
/// the sample) are copies of one example (checkov's test templates, and two
/// projects that copied it), whose parameters default to the open range and
/// the default port: the template deployed as it is, without parameter
/// values, is exposed.
const REVIEWED: &[(&str, &str, &str, &str)] = &[
    (
        "general",
        "christoferson__aws-cloudformation__rds__rds-mysql-with-secrets.yaml",
        "DatabaseInstance",
        "MySQL, no port (3306), not restored from a snapshot; its group (`!Ref DatabaseSecurityGroup`) admits 0.0.0.0/0 on tcp \"3306\"",
    ),
    (
        "elasticache",
        "Ensign-College__boxes-api-bubbomb__elasticache.yml",
        "Redis",
        "redis, `Port: 6379`; its group (`!GetAtt MySecurityGroup.GroupId`) admits 0.0.0.0/0 on tcp 6379",
    ),
    (
        "elasticache",
        "PasiPP__CloudFormation__ElastiCache.yaml",
        "Cache",
        "redis, no port (6379); its group (`!Ref CacheSecurityGroup`) admits '0.0.0.0/0' on tcp 6379",
    ),
    (
        "elasticache",
        "WonK67__cloudformation-templates__elasticache.yml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "ahadcse__aws-persistent-cluster__cloudformation__redis.yaml",
        "RedisCacheCluster",
        "redis, no port (6379); its group (`!GetAtt RedisCacheSecurityGroup.GroupId`) admits 0.0.0.0/0 on tcp 6379 (a TODO comment says to secure it)",
    ),
    (
        "elasticache",
        "ankkho__aws-node-elasticache-vpc__cf-resource.json",
        "elasticacheInstance",
        "redis, no port (6379); its group (`Ref RedisSecurityGroup`) admits 0.0.0.0/0 on tcp \"6379\"",
    ),
    (
        "elasticache",
        "ankur51206__aws-cf-elasticache__elasticache.json",
        "CacheCluster",
        "redis, `Port: 6379`; its group (`Fn::GetAtt [CacheSecurityGroup, GroupId]`) admits 0.0.0.0/0 on tcp 6379",
    ),
    (
        "elasticache",
        "aws-cloudformation__iac-model-evaluation__cloudformation__elasticache_resources.json",
        "ElasticacheCluster",
        "redis, no port (6379); its group (`Fn::GetAtt [EC2SecurityGroup, GroupId]`) admits 0.0.0.0/0 on tcp 0-65535",
    ),
    (
        "elasticache",
        "aws-cloudformation__iac-model-evaluation__cloudformation__elasticache_resources.yaml",
        "ElasticacheCluster",
        "redis, no port (6379); its group (`!GetAtt [EC2SecurityGroup, GroupId]`) admits 0.0.0.0/0 on tcp 0-65535",
    ),
    (
        "elasticache",
        "aws-cloudformation__iac-model-evaluation__cloudformation__elasticcache-parameter-replication-subnet-groups.json",
        "ElastiCacheCluster",
        "redis, `Port: 6379`; its group (`Ref RedisSecurityGroup`) admits 0.0.0.0/0 on tcp 6379 (the egress rule beside it is not read)",
    ),
    (
        "elasticache",
        "aws-cloudformation__iac-model-evaluation__cloudformation__elasticcache-parameter-replication-subnet-groups.yaml",
        "ElastiCacheCluster",
        "redis, `Port: 6379`; its group (`!Ref RedisSecurityGroup`) admits 0.0.0.0/0 on tcp 6379 (the egress rule beside it is not read)",
    ),
    (
        "elasticache",
        "aws-samples__aws-bookstore-demo-app__template__master-fullstack-with-lambda-warmers.yaml",
        "bookstoreNeptuneCluster",
        "Neptune cluster, no `DBPort` (8182); its group (`!GetAtt bookstoreNeptuneSecurityGroup.GroupId`) admits \"0.0.0.0/0\" on tcp 8182",
    ),
    (
        "elasticache",
        "aws-samples__aws-bookstore-demo-app__template__master-fullstack.yaml",
        "bookstoreNeptuneCluster",
        "Neptune cluster, no `DBPort` (8182); its group (`!GetAtt bookstoreNeptuneSecurityGroup.GroupId`) admits \"0.0.0.0/0\" on tcp 8182",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__checkov__cloudformation__tests__ElasticacheReplicationGroupEncryptionAtTransitAuthToken-FAILED.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtRest__ElasticacheReplicationGroupEncryptionAtRest-FAILED-2.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtRest__ElasticacheReplicationGroupEncryptionAtRest-FAILED-2@1e481cb.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtRest__ElasticacheReplicationGroupEncryptionAtRest-FAILED.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtRest__ElasticacheReplicationGroupEncryptionAtRest-FAILED@1e481cb.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtRest__ElasticacheReplicationGroupEncryptionAtRest-PASSED.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtRest__ElasticacheReplicationGroupEncryptionAtRest-PASSED@1e481cb.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransitAuthToken__ElasticacheReplicationGroupEncryptionAtTransitAuthToken-FAILED.yaml",
        "ReplicationGroupFail",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransitAuthToken__ElasticacheReplicationGroupEncryptionAtTransitAuthToken-FAILED2.yaml",
        "ReplicationGroupFail2",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransitAuthToken__ElasticacheReplicationGroupEncryptionAtTransitAuthToken-PASSED.yaml",
        "ReplicationGroupPass",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransit__ElasticacheReplicationGroupEncryptionAtTransit-FAILED-2.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransit__ElasticacheReplicationGroupEncryptionAtTransit-FAILED-2@1e481cb.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransit__ElasticacheReplicationGroupEncryptionAtTransit-FAILED.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_ElasticacheReplicationGroupEncryptionAtTransit__ElasticacheReplicationGroupEncryptionAtTransit-FAILED@1e481cb.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
    (
        "elasticache",
        "christoferson__aws-cloudformation__elasticache__elasticache-memcached-basic.yaml",
        "ECacheMemcachedCluster",
        "memcached, `Port: 11211`; its group (`!Ref ECacheSecurityGroup`) admits '0.0.0.0/0' (and '::/0') on tcp 11211",
    ),
    (
        "elasticache",
        "christoferson__aws-cloudformation__elasticache__elasticache-redis-basic.yaml",
        "ECacheReplicationGroup",
        "redis, no port (6379); its group (`!Ref ECacheSecurityGroup`) admits '0.0.0.0/0' (and '::/0') on tcp 6379",
    ),
    (
        "elasticache",
        "christoferson__aws-cloudformation__elasticache__elasticache-redis-cluster-multiaz.yaml",
        "ECacheReplicationGroup",
        "redis, no port (6379); its group (`!Ref ECacheSecurityGroup`) admits '0.0.0.0/0' (and '::/0') on tcp 6379",
    ),
    (
        "elasticache",
        "cloudnativedaysjp__dreamkast-infra__cfn__elasticache.yaml",
        "ReplicationGroup",
        "parameter `CidrIp` defaults to 0.0.0.0/0 and `RedisPort` to 6379; the inline tcp rule `FromPort`/`ToPort: !Ref RedisPort` admits `!Ref CidrIp`; the group is named by `Fn::GetAtt SecurityGroup.GroupId`, the port by `Port: !Ref RedisPort`",
    ),
];

/// Text that a template with a finding of the rule contains: an ingress
/// rule in view is an `AWS::EC2::SecurityGroup`'s inline entry or an
/// `AWS::EC2::SecurityGroupIngress`. Other files are not linted.
const NEEDED: &str = "AWS::EC2::SecurityGroup";

#[test]
fn exposure_findings_over_the_corpus_are_counted_and_the_sample_holds() {
    let Some(corpus) = corpus() else {
        say(
            "skipped: ../shared/corpus not found; the exposure rule's corpus counts were not checked",
        );
        return;
    };
    let mut rows = Vec::new();
    for (folder, _) in COUNTS {
        rows.extend(template_findings(&corpus.join(folder), &[NEEDED], |f| {
            (f.rule == "CPL-005").then(|| (*folder).to_string())
        }));
    }
    check_counts_and_sample(
        "CPL-005 findings over the corpus",
        "exposure-corpus-findings.txt",
        &rows,
        COUNTS,
        REVIEWED,
    );
}
