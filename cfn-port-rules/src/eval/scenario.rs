//! Scenarios: the assumptions under which a value arises.

use std::fmt;

use serde::Serialize;

/// A free input of the template that a value depends on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
pub enum Assumption {
    /// The value chosen for a parameter.
    Parameter(Box<str>),
    /// The deployment region (`AWS::Region`).
    Region,
    /// Whether a condition that cannot be evaluated holds.
    Condition(Box<str>),
}

/// A set of assumptions, each input with one value; kept sorted so merging
/// two scenarios is a linear walk.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Scenario(Vec<(Assumption, Box<str>)>);

impl Scenario {
    /// A scenario with one assumption.
    #[must_use]
    pub fn single(assumption: Assumption, value: Box<str>) -> Self {
        Self(vec![(assumption, value)])
    }

    /// Whether nothing is assumed: the value arises in every scenario.
    #[must_use]
    pub fn is_unconditional(&self) -> bool {
        self.0.is_empty()
    }

    /// The assumptions, sorted.
    #[must_use]
    pub fn assumptions(&self) -> &[(Assumption, Box<str>)] {
        &self.0
    }

    /// Both sets of assumptions together, or `None` when they contradict
    /// (the same input with two different values).
    #[must_use]
    pub fn merge(&self, other: &Scenario) -> Option<Scenario> {
        if other.0.is_empty() {
            return Some(self.clone());
        }
        if self.0.is_empty() {
            return Some(other.clone());
        }
        let mut merged = Vec::with_capacity(self.0.len() + other.0.len());
        let (mut a, mut b) = (self.0.iter().peekable(), other.0.iter().peekable());
        loop {
            match (a.peek(), b.peek()) {
                (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                    std::cmp::Ordering::Less => merged.push(a.next()?.clone()),
                    std::cmp::Ordering::Greater => merged.push(b.next()?.clone()),
                    std::cmp::Ordering::Equal => {
                        if x.1 != y.1 {
                            return None;
                        }
                        merged.push(a.next()?.clone());
                        b.next();
                    }
                },
                (Some(_), None) => merged.push(a.next()?.clone()),
                (None, Some(_)) => merged.push(b.next()?.clone()),
                (None, None) => break,
            }
        }
        Some(Scenario(merged))
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
