//! What a resource is and what its properties are called, in every
//! source: [`SourceKind`], [`ResourceKind`], [`Property`] and the table of
//! each kind's names per source.
//!
//! Published as [`crate::model`]'s; kept in a module of its own below both
//! [`crate::eval`] (a value can refer to a resource of some kind) and
//! [`crate::model`], which depends on the evaluator.

use serde::Serialize;

/// The language an input is written in, which decides the names a finding
/// uses for types and properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum SourceKind {
    /// An AWS CloudFormation template (JSON or YAML).
    CloudFormation,
    /// A Terraform module (`.tf`, `.tf.json`, `.tfvars`).
    Terraform,
    /// A Terraform plan (`terraform show -json`).
    TerraformPlan,
    /// Saved output of the AWS CLI's `describe-*` commands, or a live account.
    AwsDescribe,
}

impl SourceKind {
    /// Every source, in the order documentation lists them.
    pub const ALL: &'static [SourceKind] = &[
        SourceKind::CloudFormation,
        SourceKind::Terraform,
        SourceKind::TerraformPlan,
        SourceKind::AwsDescribe,
    ];

    /// The name shown to people, e.g. "CloudFormation".
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::CloudFormation => "CloudFormation",
            SourceKind::Terraform => "Terraform",
            SourceKind::TerraformPlan => "Terraform plan",
            SourceKind::AwsDescribe => "AWS describe output",
        }
    }

    /// Whether a member's group, written as a name, is named like the
    /// resources' identities: a Terraform address, a describe output's
    /// cluster id. In CloudFormation it is a physical name, while
    /// identities are logical ids (a member in view refers to its group by
    /// `Ref`), so a written name never matches a resource in view.
    #[must_use]
    pub fn names_groups_by_identity(self) -> bool {
        !matches!(self, SourceKind::CloudFormation)
    }

    /// How the source removes a property on purpose, as a label says it:
    /// "`Port` is removed here (`AWS::NoValue`)".
    #[must_use]
    pub fn removal(self) -> &'static str {
        match self {
            SourceKind::CloudFormation => "`AWS::NoValue`",
            SourceKind::Terraform | SourceKind::TerraformPlan => "`null`",
            SourceKind::AwsDescribe => "no value",
        }
    }
}

/// What a resource is, whatever the language that declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ResourceKind {
    /// An ElastiCache cache cluster (a memcached cluster, or a redis or
    /// valkey node, possibly a member of a replication group).
    ElastiCacheCluster,
    /// An ElastiCache replication group (redis or valkey).
    ElastiCacheReplicationGroup,
    /// An RDS DB instance, possibly a member of an Aurora or Multi-AZ DB cluster.
    RdsInstance,
    /// An RDS DB cluster (Aurora, or a Multi-AZ DB cluster).
    RdsCluster,
    /// A provisioned Redshift cluster.
    RedshiftCluster,
    /// A Redshift Serverless workgroup.
    RedshiftServerlessWorkgroup,
    /// An Amazon DocumentDB cluster.
    DocDbCluster,
    /// An Amazon Neptune cluster.
    NeptuneCluster,
    /// An Amazon MemoryDB cluster.
    MemoryDbCluster,
    /// A VPC security group.
    SecurityGroup,
    /// One ingress rule of a security group: a standalone rule resource, or
    /// one entry of a group's inline rules, which the front-end makes a
    /// resource of its own (named after the group and the entry) whose
    /// [`Property::Group`] is the group.
    IngressRule,
}

/// How a source spells one kind: its type name and the names of the
/// properties rules read. A `None` or empty name is a property the source
/// does not have for that kind.
#[derive(Clone, Copy, Debug)]
struct Spelling {
    type_name: &'static str,
    engine: Option<&'static str>,
    port: &'static str,
    /// Older names of the port property that the source still accepts,
    /// read when `port` is not written.
    port_aliases: &'static [&'static str],
    member_of: Option<&'static str>,
    /// The properties that make the resource from a snapshot or another
    /// database, whose port an unset port then inherits.
    restored_from: &'static [&'static str],
    /// The list of VPC security groups the resource is placed in.
    security_groups: Option<&'static str>,
    /// Other type names of the source for the same kind
    /// (`aws_security_group_rule` beside `aws_vpc_security_group_ingress_rule`).
    type_aliases: &'static [&'static str],
}

/// One kind's names in every source: one row per kind.
#[derive(Clone, Copy, Debug)]
struct KindRow {
    cloudformation: Spelling,
    /// Terraform source and Terraform plans share the provider's names.
    terraform: Spelling,
    /// Whether the Terraform plan front-end reads this kind.
    planned: bool,
    /// Saved describe output, for the kinds that front-end reads.
    describe: Option<Spelling>,
}

/// A spelling with only a type name and a port; the others are set with
/// struct update syntax.
const fn spelling(type_name: &'static str, port: &'static str) -> Spelling {
    Spelling {
        type_name,
        engine: None,
        port,
        port_aliases: &[],
        member_of: None,
        restored_from: &[],
        security_groups: None,
        type_aliases: &[],
    }
}

impl ResourceKind {
    /// Every kind.
    pub const ALL: &'static [ResourceKind] = &[
        ResourceKind::ElastiCacheCluster,
        ResourceKind::ElastiCacheReplicationGroup,
        ResourceKind::RdsInstance,
        ResourceKind::RdsCluster,
        ResourceKind::RedshiftCluster,
        ResourceKind::RedshiftServerlessWorkgroup,
        ResourceKind::DocDbCluster,
        ResourceKind::NeptuneCluster,
        ResourceKind::MemoryDbCluster,
        ResourceKind::SecurityGroup,
        ResourceKind::IngressRule,
    ];

    /// This kind's names in every source. The restore properties are the
    /// ones with which the service's restore call (`RestoreDBInstanceFromDBSnapshot`,
    /// `RestoreFromClusterSnapshot`, ...) documents "Default: the same port
    /// as the original"; the AWS provider sends a port of its own in some
    /// of these cases (`aws_redshift_cluster` always sends its `port`
    /// default 5439), so the Terraform rows list only what it may leave to
    /// the service.
    #[allow(clippy::too_many_lines)] // One row per kind reads best as one table.
    const fn row(self) -> KindRow {
        use ResourceKind as K;
        match self {
            K::ElastiCacheCluster => KindRow {
                cloudformation: Spelling {
                    engine: Some("Engine"),
                    // `AWS::ElastiCache::CacheCluster` has no
                    // `ReplicationGroupId`: in CloudFormation a member
                    // cluster is made by its group.
                    security_groups: Some("VpcSecurityGroupIds"),
                    ..spelling("AWS::ElastiCache::CacheCluster", "Port")
                },
                terraform: Spelling {
                    engine: Some("engine"),
                    member_of: Some("replication_group_id"),
                    security_groups: Some("security_group_ids"),
                    ..spelling("aws_elasticache_cluster", "port")
                },
                planned: true,
                describe: Some(Spelling {
                    engine: Some("Engine"),
                    member_of: Some("ReplicationGroupId"),
                    ..spelling("CacheCluster", "Port")
                }),
            },
            K::ElastiCacheReplicationGroup => KindRow {
                cloudformation: Spelling {
                    engine: Some("Engine"),
                    security_groups: Some("SecurityGroupIds"),
                    ..spelling("AWS::ElastiCache::ReplicationGroup", "Port")
                },
                terraform: Spelling {
                    engine: Some("engine"),
                    security_groups: Some("security_group_ids"),
                    ..spelling("aws_elasticache_replication_group", "port")
                },
                planned: true,
                describe: Some(Spelling {
                    engine: Some("Engine"),
                    ..spelling("ReplicationGroup", "Port")
                }),
            },
            K::RdsInstance => KindRow {
                cloudformation: Spelling {
                    engine: Some("Engine"),
                    member_of: Some("DBClusterIdentifier"),
                    restored_from: &[
                        "DBSnapshotIdentifier",
                        "SourceDBInstanceIdentifier",
                        "SourceDBInstanceAutomatedBackupsArn",
                        "SourceDbiResourceId",
                        "DBClusterSnapshotIdentifier",
                    ],
                    security_groups: Some("VPCSecurityGroups"),
                    ..spelling("AWS::RDS::DBInstance", "Port")
                },
                // The provider makes an instance of an Aurora cluster with
                // `aws_rds_cluster_instance` (`cluster_identifier` required,
                // `port` computed from the cluster); `aws_db_instance` has no
                // `cluster_identifier`, so it is never a member.
                terraform: Spelling {
                    engine: Some("engine"),
                    member_of: Some("cluster_identifier"),
                    restored_from: &[
                        "snapshot_identifier",
                        "replicate_source_db",
                        "restore_to_point_in_time",
                    ],
                    security_groups: Some("vpc_security_group_ids"),
                    type_aliases: &["aws_rds_cluster_instance"],
                    ..spelling("aws_db_instance", "port")
                },
                planned: true,
                describe: None,
            },
            K::RdsCluster => KindRow {
                cloudformation: Spelling {
                    engine: Some("Engine"),
                    restored_from: &["SnapshotIdentifier", "SourceDBClusterIdentifier"],
                    security_groups: Some("VpcSecurityGroupIds"),
                    ..spelling("AWS::RDS::DBCluster", "Port")
                },
                terraform: Spelling {
                    engine: Some("engine"),
                    restored_from: &["snapshot_identifier", "restore_to_point_in_time"],
                    security_groups: Some("vpc_security_group_ids"),
                    ..spelling("aws_rds_cluster", "port")
                },
                planned: true,
                describe: None,
            },
            K::RedshiftCluster => KindRow {
                cloudformation: Spelling {
                    restored_from: &["SnapshotIdentifier", "SnapshotArn"],
                    security_groups: Some("VpcSecurityGroupIds"),
                    ..spelling("AWS::Redshift::Cluster", "Port")
                },
                terraform: Spelling {
                    security_groups: Some("vpc_security_group_ids"),
                    ..spelling("aws_redshift_cluster", "port")
                },
                planned: true,
                describe: None,
            },
            K::RedshiftServerlessWorkgroup => KindRow {
                cloudformation: Spelling {
                    security_groups: Some("SecurityGroupIds"),
                    ..spelling("AWS::RedshiftServerless::Workgroup", "Port")
                },
                terraform: Spelling {
                    security_groups: Some("security_group_ids"),
                    ..spelling("aws_redshiftserverless_workgroup", "port")
                },
                planned: true,
                describe: None,
            },
            K::DocDbCluster => KindRow {
                cloudformation: Spelling {
                    restored_from: &["SnapshotIdentifier", "SourceDBClusterIdentifier"],
                    security_groups: Some("VpcSecurityGroupIds"),
                    ..spelling("AWS::DocDB::DBCluster", "Port")
                },
                terraform: Spelling {
                    engine: Some("engine"),
                    restored_from: &["snapshot_identifier", "restore_to_point_in_time"],
                    security_groups: Some("vpc_security_group_ids"),
                    ..spelling("aws_docdb_cluster", "port")
                },
                planned: true,
                describe: None,
            },
            K::NeptuneCluster => KindRow {
                cloudformation: Spelling {
                    // `Port` was the property before `DBPort`; the resource
                    // reference says it "will soon be deprecated" and still
                    // lists it.
                    port_aliases: &["Port"],
                    restored_from: &["SnapshotIdentifier", "SourceDBClusterIdentifier"],
                    security_groups: Some("VpcSecurityGroupIds"),
                    ..spelling("AWS::Neptune::DBCluster", "DBPort")
                },
                terraform: Spelling {
                    engine: Some("engine"),
                    restored_from: &["snapshot_identifier"],
                    security_groups: Some("vpc_security_group_ids"),
                    ..spelling("aws_neptune_cluster", "port")
                },
                planned: true,
                describe: None,
            },
            K::MemoryDbCluster => KindRow {
                cloudformation: Spelling {
                    engine: Some("Engine"),
                    security_groups: Some("SecurityGroupIds"),
                    ..spelling("AWS::MemoryDB::Cluster", "Port")
                },
                terraform: Spelling {
                    engine: Some("engine"),
                    security_groups: Some("security_group_ids"),
                    ..spelling("aws_memorydb_cluster", "port")
                },
                planned: true,
                describe: None,
            },
            // A group and its rules have no port of their own: their
            // properties are read by name in each front-end, which knows the
            // several shapes a rule takes (inline entries, standalone rules).
            K::SecurityGroup => KindRow {
                cloudformation: spelling("AWS::EC2::SecurityGroup", ""),
                terraform: spelling("aws_security_group", ""),
                planned: false,
                describe: None,
            },
            K::IngressRule => KindRow {
                cloudformation: spelling("AWS::EC2::SecurityGroupIngress", ""),
                terraform: Spelling {
                    type_aliases: &["aws_security_group_rule"],
                    ..spelling("aws_vpc_security_group_ingress_rule", "")
                },
                planned: false,
                describe: None,
            },
        }
    }

    fn spelling(self, source: SourceKind) -> Option<Spelling> {
        // The rows are built once, at compile time: the front-ends look a
        // type name up for every resource of an input.
        static ROWS: [KindRow; ResourceKind::ALL.len()] = [
            ResourceKind::ALL[0].row(),
            ResourceKind::ALL[1].row(),
            ResourceKind::ALL[2].row(),
            ResourceKind::ALL[3].row(),
            ResourceKind::ALL[4].row(),
            ResourceKind::ALL[5].row(),
            ResourceKind::ALL[6].row(),
            ResourceKind::ALL[7].row(),
            ResourceKind::ALL[8].row(),
            ResourceKind::ALL[9].row(),
            ResourceKind::ALL[10].row(),
        ];
        let row = &ROWS[self as usize];
        match source {
            SourceKind::CloudFormation => Some(row.cloudformation),
            SourceKind::Terraform => Some(row.terraform),
            SourceKind::TerraformPlan => row.planned.then_some(row.terraform),
            SourceKind::AwsDescribe => row.describe,
        }
    }

    /// The type name a source gives this kind, if the source has it:
    /// `AWS::ElastiCache::CacheCluster`, `aws_elasticache_cluster`.
    #[must_use]
    pub fn type_name(self, source: SourceKind) -> Option<&'static str> {
        self.spelling(source).map(|s| s.type_name)
    }

    /// The name of `property` on this kind in `source`, as findings quote
    /// it (`Port`, `DBPort`, `port`), or `None` when the source has no
    /// such property for this kind (a Redshift cluster has no engine). For
    /// [`Property::RestoredFrom`], the first of
    /// [`ResourceKind::restore_properties`].
    #[must_use]
    pub fn property_name(self, property: Property, source: SourceKind) -> Option<&'static str> {
        let spelling = self.spelling(source)?;
        match property {
            Property::Engine => spelling.engine,
            Property::Port => Some(spelling.port).filter(|name| !name.is_empty()),
            Property::MemberOf => spelling.member_of,
            Property::RestoredFrom => spelling.restored_from.first().copied(),
            Property::SecurityGroups => spelling.security_groups,
            // An ingress rule's fields have several names in one source
            // (inline entries, two Terraform rule types): the front-end
            // that reads them names them in its traces.
            Property::Group
            | Property::Protocol
            | Property::FromPort
            | Property::ToPort
            | Property::CidrIpv4
            | Property::CidrIpv6
            | Property::PrefixList => None,
        }
    }

    /// Older names of the port property in `source`, read when the current
    /// one is not written (`Port` for Neptune's `DBPort` in CloudFormation).
    #[must_use]
    pub fn port_aliases(self, source: SourceKind) -> &'static [&'static str] {
        self.spelling(source).map_or(&[], |s| s.port_aliases)
    }

    /// The names of the properties that make a resource of this kind from
    /// a snapshot or another database in `source` ([`Property::RestoredFrom`]).
    #[must_use]
    pub fn restore_properties(self, source: SourceKind) -> &'static [&'static str] {
        self.spelling(source).map_or(&[], |s| s.restored_from)
    }

    /// The name of the port property in `source`, for messages: `Port`
    /// when the source has no such kind.
    #[must_use]
    pub fn port_name(self, source: SourceKind) -> &'static str {
        self.property_name(Property::Port, source).unwrap_or("Port")
    }

    /// The kind of group a member of this kind belongs to and takes its
    /// port from, when the kind can be a member ([`Property::MemberOf`]): a
    /// cache cluster's replication group, an RDS instance's cluster.
    #[must_use]
    pub fn group_kind(self) -> Option<ResourceKind> {
        match self {
            ResourceKind::ElastiCacheCluster => Some(ResourceKind::ElastiCacheReplicationGroup),
            ResourceKind::RdsInstance => Some(ResourceKind::RdsCluster),
            _ => None,
        }
    }

    /// Every type name a source gives this kind: its own, then the other
    /// types the source has for it (`aws_vpc_security_group_ingress_rule`,
    /// `aws_security_group_rule`).
    pub fn type_names(self, source: SourceKind) -> impl Iterator<Item = &'static str> {
        self.spelling(source)
            .into_iter()
            .flat_map(|s| std::iter::once(s.type_name).chain(s.type_aliases.iter().copied()))
    }

    /// The kind a source's type name stands for.
    #[must_use]
    pub fn from_type_name(source: SourceKind, type_name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|kind| {
            kind.spelling(source).is_some_and(|spelling| {
                spelling.type_name == type_name || spelling.type_aliases.contains(&type_name)
            })
        })
    }

    /// The AWS service a resource of this kind belongs to, as messages
    /// name it ("ElastiCache endpoints in a VPC ...").
    #[must_use]
    pub fn service(self) -> &'static str {
        match self {
            ResourceKind::ElastiCacheCluster | ResourceKind::ElastiCacheReplicationGroup => {
                "ElastiCache"
            }
            ResourceKind::RdsInstance | ResourceKind::RdsCluster => "RDS",
            ResourceKind::RedshiftCluster => "Redshift",
            ResourceKind::RedshiftServerlessWorkgroup => "Redshift Serverless",
            ResourceKind::DocDbCluster => "DocumentDB",
            ResourceKind::NeptuneCluster => "Neptune",
            ResourceKind::MemoryDbCluster => "MemoryDB",
            ResourceKind::SecurityGroup | ResourceKind::IngressRule => "EC2",
        }
    }

    /// Whether a resource of this kind listens on a port of its own (a
    /// cache or a database), as opposed to a security group or its rules.
    #[must_use]
    pub fn listens(self) -> bool {
        !matches!(
            self,
            ResourceKind::SecurityGroup | ResourceKind::IngressRule
        )
    }

    /// The short name a message starts with: "ReplicationGroup `Cache`
    /// listens on ...". CloudFormation's last type segment; the full type
    /// name elsewhere.
    #[must_use]
    pub fn short_name(self, source: SourceKind) -> &'static str {
        let full = self.type_name(source).unwrap_or("resource");
        match source {
            SourceKind::CloudFormation => full.rsplit("::").next().unwrap_or(full),
            _ => full,
        }
    }

    /// The sources that have this kind.
    pub fn sources(self) -> impl Iterator<Item = SourceKind> {
        SourceKind::ALL
            .iter()
            .copied()
            .filter(move |source| self.type_name(*source).is_some())
    }
}

/// A property under its neutral name. Each front-end maps its own names
/// to these; [`ResourceKind::property_name`] says which name a kind has
/// in a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Property {
    /// The engine (`redis`, `valkey`, `memcached`, `postgres`, ...).
    Engine,
    /// The port the resource listens on.
    Port,
    /// The group a member resource belongs to and takes its port from
    /// (a cache cluster's replication group, an RDS instance's cluster).
    MemberOf,
    /// The snapshot or database the resource is made from: an unset port
    /// is then that source's port, not the engine's default.
    RestoredFrom,
    /// The VPC security groups a cache or database is placed in: a list
    /// whose items are references to groups in view (an unknown value
    /// naming the resource, [`crate::eval::Unknown::resource`]), group ids
    /// written as text, or values not known before deployment.
    SecurityGroups,
    /// The security group an ingress rule belongs to, as one such item.
    Group,
    /// An ingress rule's IP protocol (`tcp`, `6`, `udp`, `17`, `-1` for all).
    Protocol,
    /// The first port of an ingress rule's range (`-1` for all ports).
    FromPort,
    /// The last port of an ingress rule's range (`-1` for all ports).
    ToPort,
    /// The IPv4 ranges an ingress rule admits: one CIDR, or a list of them.
    CidrIpv4,
    /// The IPv6 ranges an ingress rule admits: one CIDR, or a list of them.
    CidrIpv6,
    /// The managed prefix lists an ingress rule admits (their ranges are
    /// not in view): one id, or a list of them.
    PrefixList,
}

#[cfg(test)]
mod tests {
    use super::{Property, ResourceKind, SourceKind};

    /// The rows of names are indexed by the kind's position in `ALL`.
    #[test]
    fn all_lists_the_kinds_in_declaration_order() {
        for (i, kind) in ResourceKind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, i, "{kind:?}");
        }
    }

    #[test]
    fn every_kind_has_a_cloudformation_and_a_terraform_type_name() {
        for kind in ResourceKind::ALL {
            for source in [SourceKind::CloudFormation, SourceKind::Terraform] {
                let name = kind.type_name(source).expect("a type name");
                assert_eq!(ResourceKind::from_type_name(source, name), Some(*kind));
            }
        }
    }

    #[test]
    fn short_names_are_what_messages_start_with() {
        let group = ResourceKind::ElastiCacheReplicationGroup;
        assert_eq!(
            group.short_name(SourceKind::CloudFormation),
            "ReplicationGroup"
        );
        assert_eq!(
            group.short_name(SourceKind::Terraform),
            "aws_elasticache_replication_group"
        );
    }

    #[test]
    fn property_names_follow_the_kind_and_the_source() {
        let cache = ResourceKind::ElastiCacheCluster;
        let neptune = ResourceKind::NeptuneCluster;
        let instance = ResourceKind::RdsInstance;
        let cf = SourceKind::CloudFormation;
        let tf = SourceKind::Terraform;
        assert_eq!(cache.property_name(Property::Port, cf), Some("Port"));
        assert_eq!(cache.property_name(Property::Port, tf), Some("port"));
        assert_eq!(neptune.property_name(Property::Port, cf), Some("DBPort"));
        assert_eq!(neptune.property_name(Property::Engine, cf), None);
        assert_eq!(
            instance.property_name(Property::MemberOf, cf),
            Some("DBClusterIdentifier")
        );
        assert_eq!(
            instance.property_name(Property::MemberOf, tf),
            Some("cluster_identifier")
        );
        assert_eq!(cache.property_name(Property::MemberOf, cf), None);
        assert_eq!(
            cache.property_name(Property::MemberOf, SourceKind::AwsDescribe),
            Some("ReplicationGroupId")
        );
    }
}
