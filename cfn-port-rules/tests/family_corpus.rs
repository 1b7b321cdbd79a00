//! The default-port family over the real templates of the shared corpus
//! (`../shared/corpus/general/`, beside the repository): how many findings
//! each rule gives, and a hand-checked random sample of them.
//!
//! The counts are pinned: a change that moves them must be argued, and the
//! sample checked again. The sample was drawn with Python's
//! `random.Random(16).sample` over each rule's findings sorted by file and
//! resource (up to 30 per rule); each entry says why it is a true finding.
//! Every finding lists its file, resource and message in
//! `target/tmp/family-corpus-findings.txt` for the next review.
//!
//! Without the corpus the test says so and checks nothing.

use std::path::{Path, PathBuf};

#[path = "common/corpus.rs"]
mod corpus_counts;

use corpus_counts::{check_counts_and_sample, say, template_findings};

fn general() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus/general");
    dir.is_dir().then_some(dir)
}

/// The family's rules and their findings over `general/` (5,525 files).
const COUNTS: &[(&str, usize)] = &[
    ("CPL-001", 62),
    ("CPL-002", 43),
    ("CPL-003", 27),
    ("CPL-004", 0),
    ("RDS-011", 326),
];

/// The hand-checked sample: (rule, file, resource, verdict): 30 findings
/// of CPL-001, CPL-002 and RDS-011, all 27 of CPL-003 (CPL-004 has none).
/// Each was read in its template and is a true finding; the verdict says
/// what the resource sets. No false positive was found; two kinds of
/// finding that the first review flagged were fixed in the rules before
/// this sample was drawn: Aurora instances without a cluster (now
/// undetermined) and Neptune clusters that set the older `Port` (now read).
const REVIEWED: &[(&str, &str, &str, &str)] = &[
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__cmk_unencrypted_storage__test__positive7.yaml",
        "myCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__cmk_unencrypted_storage__test__positive8.json",
        "myCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_cluster_without_kms_cmk__test__positive2.json",
        "RedshiftCluster",
        "`Port: 5439` written",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_not_encrypted__test__positive3.json",
        "RedshiftCluster",
        "`Port: 5439` written",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_not_encrypted__test__positive4.json",
        "RedshiftCluster2",
        "`Port: 5439` written",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_publicly_accessible__test__negative1.yaml",
        "myCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_publicly_accessible__test__positive1.yaml",
        "myCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_publicly_accessible__test__positive1.yaml",
        "myCluster2",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_publicly_accessible__test__positive2.json",
        "myCluster2",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "DataDog__kics__assets__queries__cloudFormation__aws__redshift_using_default_port__test__positive1.yaml",
        "myCluster2",
        "`Port: 5439` written",
    ),
    (
        "CPL-001",
        "ardeshir__cfn-js-yml-examples__Redshift.json",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "ardeshir__cfn-js-yml-examples__RedshiftClusterInVpc.json",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "ardeshir__cfn-js-yml-examples__RedshiftClusterInVpc.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__resources__properties__allowed_values.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RedshiftClusterEncryption__RedshiftClusterEncryption-FAILED.yaml",
        "RedshiftClusterDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RedshiftClusterLogging__RedshiftClusterLogging-FAILED.yaml",
        "RedshiftClusterDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RedshiftClusterPubliclyAccessible__RedshiftClusterPubliclyAccessible-FAILED.yaml",
        "RedshiftClusterDisabled",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RedshiftClusterPubliclyAccessible__RedshiftClusterPubliclyAccessible-PASSED.yaml",
        "RedshiftClusterDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RedshiftClusterPubliclyAccessible__RedshiftClusterPubliclyAccessible-PASSED.yaml",
        "RedshiftClusterEnabled",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "christoferson__aws-cloudformation__bedrock-redshift__bedrock-redshift.yaml",
        "RedshiftWorkgroup",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "cloudtools__troposphere__tests__examples_output__Redshift.template",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "cloudtools__troposphere__tests__examples_output__RedshiftServerless.template",
        "RedshiftServerlessWorkgroup",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "devopsraman__AWSCF__latest__aviator__redshift.template",
        "RedshiftCluster",
        "`Port: !Ref Port` defaults to 5439; a snapshot restore in one branch does not matter, the port is written",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__json__redshift__cluster_with_encryption_false.json",
        "myCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__json__redshift__cluster_with_kms.json",
        "myCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__yaml__redshift_cluster__redshift_cluster_master_user_password_as_a_literal_in_plaintext.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__yaml__redshift_cluster__redshift_cluster_master_user_password_from_secure_systems_manager.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__yaml__redshift_cluster__redshift_cluster_master_user_password_from_systems_manager.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__yaml__redshift_cluster__redshift_cluster_master_user_password_not_set.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-001",
        "stelligent__cfn_nag__spec__test_templates__yaml__redshift_cluster__redshift_cluster_master_user_password_parameter_with_noecho.yaml",
        "RedshiftCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_cluster_master_password_in_plaintext__test__negative1.yaml",
        "NewAmpApp1",
        "`Port: 27017` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_cluster_master_password_in_plaintext__test__negative7.json",
        "NewAmpApp1",
        "`Port: 27017` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_cluster_master_password_in_plaintext__test__positive2.yaml",
        "NewAmpApp1",
        "`Port: 27017` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_cluster_master_password_in_plaintext__test__positive3.yaml",
        "NewAmpApp03",
        "`Port: 27017` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_cluster_master_password_in_plaintext__test__positive4.json",
        "NewAmpApp",
        "`Port: 27017` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_cluster_master_password_in_plaintext__test__positive5.json",
        "NewAmpApp1",
        "`Port: 27017` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_logging_disabled__test__positive2.yaml",
        "MyDocDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_logging_disabled__test__positive3.yaml",
        "MyDocDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "DataDog__kics__assets__queries__cloudFormation__aws__docdb_logging_disabled__test__positive4.json",
        "MyDocDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "LerianStudio__lerian-cloudformation-foundation__templates__documentdb.yaml",
        "DocumentDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__resources__properties__allowed_values.yaml",
        "DocumentDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__good__resources__properties__allowed_values.yaml",
        "DocumentDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__integration__getatt-types.yaml",
        "DocDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "aws-cloudformation__iac-model-evaluation__cloudformation__docdb-resources.json",
        "DocDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "aws-cloudformation__iac-model-evaluation__cloudformation__docdb-resources.yaml",
        "DocDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "awslabs__aws-servicebroker__templates__documentdb__template.yaml",
        "DBCluster",
        "port from `Ref`, whose value in the flagged configuration is the default",
    ),
    (
        "CPL-002",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_DocDBBackupRetention__DocDBBackupRetention-FAILED.yaml",
        "DocDBDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_DocDBBackupRetention__DocDBBackupRetention-PASSED.yaml",
        "DocDBAdequate",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_DocDBEncryption__DocDBEncryption-FAILED.yaml",
        "DocDBDisabled",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_DocDBEncryption__DocDBEncryption-PASSED.yaml",
        "DocDBEnabled",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_DocDBLogging__DocDBLogging-FAILED.yaml",
        "DocDBDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_DocDBLogging__DocDBLogging-PASSED.yaml",
        "DocDBAudit",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_as_a_literal_in_plaintext.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_from_secrets_manager.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_from_secure_systems_manager.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_from_systems_manager.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_not_set.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_parameter_with_noecho.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "stelligent__cfn_nag__spec__test_templates__yaml__docdb_dbcluster__docdb_dbcluster_master_user_password_parameter_with_noecho_and_default_value.yaml",
        "DocDBDBCluster",
        "`Port: 27017` written",
    ),
    (
        "CPL-002",
        "widdix__aws-cf-templates__state__documentdb.yaml",
        "Cluster",
        "`Port: 27017` written, so the optional snapshot restore keeps no other port",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_cluster_with_iam_database_authentication_disabled__test__negative1.yaml",
        "NeptuneDBCluster3",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_cluster_with_iam_database_authentication_disabled__test__negative2.json",
        "NeptuneDBCluster3",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_cluster_with_iam_database_authentication_disabled__test__positive1.yaml",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_cluster_with_iam_database_authentication_disabled__test__positive1.yaml",
        "NeptuneDBCluster2",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_cluster_with_iam_database_authentication_disabled__test__positive2.json",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_cluster_with_iam_database_authentication_disabled__test__positive2.json",
        "NeptuneDBCluster2",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_database_cluster_encryption_disabled__test__negative1.yaml",
        "NeptuneDBCluster",
        "`Port: 8182` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_database_cluster_encryption_disabled__test__negative2.json",
        "NeptuneDBCluster",
        "`Port: 8182` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_database_cluster_encryption_disabled__test__positive1.yaml",
        "NeptuneDBCluster",
        "`Port: 8182` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-003",
        "DataDog__kics__assets__queries__cloudFormation__aws__neptune_database_cluster_encryption_disabled__test__positive2.json",
        "NeptuneDBCluster",
        "`Port: 8182` written (with `SnapshotIdentifier`: a written port wins over the snapshot's)",
    ),
    (
        "CPL-003",
        "aws-cloudformation__aws-cloudformation-templates__NeptuneDB__Neptune.json",
        "NeptuneDBCluster",
        "port from `Ref`, whose value in the flagged configuration is the default",
    ),
    (
        "CPL-003",
        "aws-cloudformation__aws-cloudformation-templates__NeptuneDB__Neptune.yaml",
        "NeptuneDBCluster",
        "port from `Ref`, whose value in the flagged configuration is the default",
    ),
    (
        "CPL-003",
        "aws-cloudformation__iac-model-evaluation__cloudformation__neptune.json",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "aws-cloudformation__iac-model-evaluation__cloudformation__neptune.yaml",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "awslabs__aws-cloudformation-templates__aws__services__NeptuneDB__Neptune.yaml",
        "NeptuneDBCluster",
        "the older `Port: !Ref Port` (parameter default 8182), read since `DBPort` is not written",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterBackupRetention__NeptuneClusterBackupRetention-FAILED.yml",
        "NeptuneDBClusterDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterBackupRetention__NeptuneClusterBackupRetention-FAILED.yml",
        "NeptuneDBClusterNotAdequate",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterBackupRetention__NeptuneClusterBackupRetention-PASSED.yml",
        "NeptuneDBClusterAdequate",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterLogging__NeptuneClusterLogging-FAILED.yml",
        "NeptuneDBClusterDefault",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterLogging__NeptuneClusterLogging-FAILED.yml",
        "NeptuneDBClusterEmpty",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterLogging__NeptuneClusterLogging-PASSED.yml",
        "NeptuneDBClusterEnabled",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterStorageEncrypted__NeptuneClusterStorageEncrypted-FAILED.yml",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_NeptuneClusterStorageEncrypted__NeptuneClusterStorageEncrypted-PASSED.yml",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "stelligent__cfn_nag__spec__test_templates__json__neptune__with_encryption.json",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "stelligent__cfn_nag__spec__test_templates__json__neptune__with_encryption_false_boolean.json",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "stelligent__cfn_nag__spec__test_templates__json__neptune__with_encryption_false_string.json",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "CPL-003",
        "stelligent__cfn_nag__spec__test_templates__json__neptune__with_no_encryption.json",
        "NeptuneDBCluster",
        "no engine (the kind's only engine), no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws__automatic_minor_upgrades_disabled__test__negative1.yaml",
        "MyDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws__automatic_minor_upgrades_disabled__test__positive1.yaml",
        "MyDB2",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws__cmk_unencrypted_storage__test__positive1.yaml",
        "MyDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws__cmk_unencrypted_storage__test__positive2.yaml",
        "RDSCluster1",
        "engine `aurora`, no port, not restored from a snapshot; Aurora Serverless v1 also listens on 3306",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws__cmk_unencrypted_storage__test__positive5.json",
        "RDSCluster1",
        "engine `aurora`, no port, not restored from a snapshot; Aurora Serverless v1 also listens on 3306",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws_bom__rds__test__positive1.json",
        "DBInstanceSample1",
        "engine `oracle-ee`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "DataDog__kics__assets__queries__cloudFormation__aws_bom__rds__test__positive6.yaml",
        "DBClusterSampleRef6",
        "engine `aurora`, no port, not restored from a snapshot; Aurora Serverless v1 also listens on 3306",
    ),
    (
        "RDS-011",
        "ardeshir__cfn-js-yml-examples__WordPress_Multi_AZ.yaml",
        "DBInstance",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__aws-cloudformation-templates__RDS__RDS_MySQL_With_Read_Replica.json",
        "MainDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__aws-cloudformation-templates__RDS__RDS_PIOPS.yaml",
        "myDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__functions__dynamic_reference.yaml",
        "MyDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__resources__rds__instance_sizes.yaml",
        "DBInstance2",
        "engine `oracle-se2`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__resources__rds__instance_sizes.yaml",
        "DBInstance5",
        "engine from a parameter with no default and no port: every engine a deployer can choose has a default port",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__good__functions__dynamic_reference.yaml",
        "MyDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__good__resources__rds__aurora_autoscaling.yaml",
        "DatabaseCluster3",
        "engine `aurora-postgresql`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__good__resources__rds__aurora_dbinstance_properties.yaml",
        "MySqlInstance",
        "`Fn::If` between aurora-mysql (undetermined, no cluster) and mysql with no port: the mysql configuration uses 3306",
    ),
    (
        "RDS-011",
        "aws-cloudformation__cfn-lint__test__fixtures__templates__good__resources__rds__instance_sizes.yaml",
        "DBInstance3",
        "engine `oracle-se2`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "aws-cloudformation__iac-model-evaluation__cloudformation__rds-dbcluster-w-parameter-group.yaml",
        "AuroraDBCluster",
        "`Port: 3306` written",
    ),
    (
        "RDS-011",
        "awslabs__aws-cloudformation-templates__aws__services__RDS__RDS_Snapshot_On_Delete.yaml",
        "MyDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RDSIAMAuthentication__RDSIAMAuthentication-FAIL.yaml",
        "DisabledPostgres",
        "engine `postgres`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "bridgecrewio__checkov__tests__cloudformation__checks__resource__aws__example_RDSMultiAZEnabled__RDSMultiAZEnabled-FAILED-2.yaml",
        "MyDBDefault",
        "engine `mysql`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "christoferson__aws-cloudformation__rds__rds-mysql-with-secrets.yaml",
        "DatabaseInstance",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "cloudtools__troposphere__tests__examples_output__RDS_with_DBParameterGroup.template",
        "MyDB",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "devopsraman__AWSCF__latest__aviator__rds_mariadb.template",
        "RDSInstance",
        "port from `Ref`, whose value in the flagged configuration is the default",
    ),
    (
        "RDS-011",
        "devopsraman__AWSCF__latest__aviator__rds_mysql.template",
        "RDSInstance",
        "port from `Ref`, whose value in the flagged configuration is the default",
    ),
    (
        "RDS-011",
        "devopsraman__AWSCF__originals__Collections__ASGRDS__AmazonLinux__RDS.template",
        "RDSInstance",
        "port from `Ref`, whose value in the flagged configuration is the default",
    ),
    (
        "RDS-011",
        "stelligent__cfn_nag__spec__test_templates__yaml__rds_dbinstance__rds_dbinstance_master_username_parameter_as_a_literal_in_plaintext.yaml",
        "RDSDBInstance",
        "engine `mysql`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "stelligent__cfn_nag__spec__test_templates__yaml__rds_dbinstance__rds_dbinstance_master_username_parameter_with_noecho_and_default_value.yaml",
        "RDSDBInstance",
        "engine `mysql`, no port, not restored from a snapshot",
    ),
    (
        "RDS-011",
        "widdix__aws-cf-templates__state__rds-aurora.yaml",
        "DBCluster",
        "port from `Fn::FindInMap`, whose value in the flagged configuration is the default",
    ),
    (
        "RDS-011",
        "widdix__aws-cf-templates__wordpress__wordpress-ha.yaml",
        "Database",
        "engine `MySQL`, no port, not restored from a snapshot",
    ),
];

/// Text that a template of the family's kinds contains: the other files
/// cannot have a finding of these rules, and are not linted.
const FAMILY_TYPES: &[&str] = &[
    "AWS::RDS::DB",
    "AWS::Redshift",
    "AWS::DocDB::",
    "AWS::Neptune::",
    "AWS::MemoryDB::",
];

#[test]
fn family_findings_over_the_corpus_are_counted_and_the_sample_holds() {
    let Some(dir) = general() else {
        say(
            "skipped: ../shared/corpus/general not found; the family's corpus counts were not checked",
        );
        return;
    };
    let rows = template_findings(&dir, FAMILY_TYPES, |f| {
        COUNTS
            .iter()
            .any(|(rule, _)| *rule == f.rule)
            .then(|| f.rule.to_string())
    });
    check_counts_and_sample(
        "family findings over general/",
        "family-corpus-findings.txt",
        &rows,
        COUNTS,
        REVIEWED,
    );
}
