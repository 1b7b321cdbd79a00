//! The neutral machinery of static evaluation, shared by every front-end:
//! what a value can be ([`Value`]), in which scenario ([`Scenario`]), and
//! where it came from ([`Step`]s described by the front-end that read the
//! source), as a list of [`Possibility`]s.
//!
//! - `value.rs`: [`Value`] and [`Unknown`] (why a value cannot be known);
//! - `scenario.rs`: [`Scenario`]s, the assumptions about free inputs under
//!   which a value arises, and how two of them combine;
//! - `possibility.rs`: [`Possibility`], [`Truth`] and their traces.
//!
//! How a language computes possibilities lives with its front-end:
//! CloudFormation's intrinsic functions, parameters and conditions in
//! [`crate::cloudformation::evaluate`].

mod possibility;
mod scenario;
mod value;

pub use self::possibility::{Origin, Possibility, Step, Truth};
pub(crate) use self::scenario::excluding;
pub use self::scenario::{Assumption, Scenario};
pub(crate) use self::value::UnknownSource;
pub use self::value::{Unknown, Value, parse_int};
