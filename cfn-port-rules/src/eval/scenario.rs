//! Scenarios: the assumptions under which a value arises.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A free input of the template that a value depends on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Assumption {
    /// The value chosen for a parameter.
    Parameter(Arc<str>),
    /// The deployment region (`AWS::Region`).
    Region,
    /// Whether a condition that cannot be evaluated holds.
    Condition(Arc<str>),
}

/// A set of assumptions, each input with one value; kept sorted so merging
/// two scenarios is a linear walk. Immutable and shared: a clone is a
/// reference-count increment, and merging with a subset allocates nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Scenario(Arc<[(Assumption, Arc<str>)]>);

impl Scenario {
    /// A scenario with one assumption.
    #[must_use]
    pub fn single(assumption: Assumption, value: Arc<str>) -> Self {
        Self(Arc::new([(assumption, value)]))
    }

    /// Whether nothing is assumed: the value arises in every scenario.
    #[must_use]
    pub fn is_unconditional(&self) -> bool {
        self.0.is_empty()
    }

    /// The assumptions, sorted.
    #[must_use]
    pub fn assumptions(&self) -> &[(Assumption, Arc<str>)] {
        &self.0
    }

    /// The value assumed for `input`, if any.
    #[must_use]
    pub fn get(&self, input: &Assumption) -> Option<&str> {
        self.0
            .binary_search_by(|(a, _)| a.cmp(input))
            .ok()
            .map(|i| &*self.0[i].1)
    }

    /// The scenario without any assumption about `input`.
    #[must_use]
    pub fn without(&self, input: &Assumption) -> Scenario {
        Scenario(self.0.iter().filter(|(a, _)| a != input).cloned().collect())
    }

    /// Whether the two scenarios assume the same, apart from `input`: what
    /// `self.without(input) == other.without(input)` says, without building
    /// either scenario.
    #[must_use]
    pub fn same_except(&self, other: &Scenario, input: &Assumption) -> bool {
        let mut a = self.0.iter().filter(|(x, _)| x != input);
        let mut b = other.0.iter().filter(|(x, _)| x != input);
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x == y => {}
                _ => return false,
            }
        }
    }

    /// Both sets of assumptions together, or `None` when they contradict
    /// (the same input with two different values).
    #[must_use]
    pub fn merge(&self, other: &Scenario) -> Option<Scenario> {
        if other.0.is_empty() || Arc::ptr_eq(&self.0, &other.0) {
            return Some(self.clone());
        }
        if self.0.is_empty() {
            return Some(other.clone());
        }
        let (a, b) = (&*self.0, &*other.0);
        // First pass: contradictions, and whether either side adds anything.
        let (mut i, mut j) = (0, 0);
        let (mut only_a, mut only_b) = (false, false);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => (only_a, i) = (true, i + 1),
                std::cmp::Ordering::Greater => (only_b, j) = (true, j + 1),
                std::cmp::Ordering::Equal if a[i].1 != b[j].1 => return None,
                std::cmp::Ordering::Equal => (i, j) = (i + 1, j + 1),
            }
        }
        only_a |= i < a.len();
        only_b |= j < b.len();
        // A subset of the other needs no new allocation.
        match (only_a, only_b) {
            (_, false) => Some(self.clone()),
            (false, true) => Some(other.clone()),
            (true, true) => {
                let mut merged: Vec<(Assumption, Arc<str>)> = a.iter().chain(b).cloned().collect();
                merged.sort_by(|x, y| x.0.cmp(&y.0));
                merged.dedup_by(|x, y| x.0 == y.0);
                Some(Scenario(merged.into()))
            }
        }
    }
}

impl fmt::Display for Scenario {
    /// `when Env = prod and in us-east-1`; empty when unconditional.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (assumption, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            match assumption {
                Assumption::Parameter(name) if &**value == super::OTHER_VALUE => {
                    write!(f, "when {name} has a value no condition mentions")?;
                }
                Assumption::Parameter(name) => write!(f, "when {name} = {value}")?,
                Assumption::Region => write!(f, "in {value}")?,
                Assumption::Condition(name) => {
                    let state = if &**value == "true" {
                        "holds"
                    } else {
                        "does not hold"
                    };
                    write!(f, "when condition {name} {state}")?;
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param(name: &str, value: &str) -> Scenario {
        Scenario::single(Assumption::Parameter(name.into()), value.into())
    }

    #[test]
    fn merge_keeps_agreeing_and_rejects_contradicting_assumptions() {
        let env_prod = param("Env", "prod");
        let size = param("Size", "large");
        let merged = env_prod.merge(&size).expect("independent inputs combine");
        assert_eq!(merged.to_string(), "when Env = prod and when Size = large");
        assert_eq!(merged.merge(&env_prod), Some(merged.clone()));
        assert_eq!(merged.merge(&param("Env", "dev")), None);
    }

    #[test]
    fn same_except_ignores_only_the_given_input() {
        let env_size = param("Env", "prod").merge(&param("Size", "large")).unwrap();
        let env_other = param("Env", "dev").merge(&param("Size", "large")).unwrap();
        let env = Assumption::Parameter("Env".into());
        let size = Assumption::Parameter("Size".into());
        assert!(env_size.same_except(&env_other, &env));
        assert!(!env_size.same_except(&env_other, &size));
        assert!(env_size.same_except(&param("Size", "large"), &env));
        assert!(!env_size.same_except(&param("Size", "small"), &env));
        for (a, b) in [(&env_size, &env_other), (&env_other, &param("Env", "dev"))] {
            for input in [&env, &size] {
                assert_eq!(
                    a.same_except(b, input),
                    a.without(input) == b.without(input)
                );
            }
        }
    }

    #[test]
    fn region_and_condition_read_naturally() {
        let region = Scenario::single(Assumption::Region, "us-east-1".into());
        let condition = Scenario::single(Assumption::Condition("IsProd".into()), "false".into());
        let both = region.merge(&condition).unwrap();
        assert_eq!(
            both.to_string(),
            "in us-east-1 and when condition IsProd does not hold"
        );
    }
}
