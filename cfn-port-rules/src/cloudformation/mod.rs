//! The CloudFormation front-end: everything that knows what a template is.
//!
//! - `template.rs`: the sections of a template, `Fn::ForEach` expanded;
//! - `evaluate/`: the intrinsic functions, parameters, mappings and
//!   conditions, evaluated into the neutral possibilities of [`crate::eval`],
//!   each step described in CloudFormation's words;
//! - `given_parameters.rs`: values given for parameters the template does
//!   not declare;
//! - `resources.rs`: the template's resources as the neutral
//!   [`crate::model::Resource`]s the rules read (CloudFormation type and
//!   property names mapped to neutral kinds and properties);
//! - `security_groups.rs`: the groups of a cache or database, security
//!   groups, and their ingress rules, inline or standalone, one model
//!   resource per rule.
//!
//! Suppressions in comments and `Metadata` are read by [`crate::suppress`].

pub mod evaluate;
pub mod given_parameters;
mod resources;
mod security_groups;
pub mod template;

pub(crate) use self::resources::model_resources;
