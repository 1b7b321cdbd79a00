//! Scenarios: the assumptions under which a value arises.
//!
//! A scenario assigns values to free inputs: parameters, pseudo parameters
//! (`AWS::Region`, `AWS::AccountId`, ...) and opaque conditions. An input's
//! value is either one value (`Env = prod`) or "any value but these"
//! (`Env` is none of `prod`, `dev`), which stands for the values the template
//! never mentions. Two scenarios combine when each input's values meet:
//! `us-west-2` meets "none of `us-east-1`", two exclusions meet in their union.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// A free input of the template that a value depends on.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Assumption {
    /// The value chosen for a parameter or a pseudo parameter
    /// (`AWS::Region`, `AWS::AccountId`, ...).
    Parameter(Arc<str>),
    /// Whether a condition that cannot be evaluated holds.
    Condition(Arc<str>),
}

/// The first characters of a value that stands for "any value but these":
/// NUL cannot occur in a template, so it names no real value.
const EXCLUDING: &str = "\0not";

/// The scenario value of an input that has none of `values`: each distinct
/// value once, sorted, so equal sets are equal texts.
#[must_use]
pub(crate) fn excluding<'a>(values: impl IntoIterator<Item = &'a str>) -> Arc<str> {
    let mut values: Vec<&str> = values.into_iter().collect();
    values.sort_unstable();
    values.dedup();
    let mut text = String::from(EXCLUDING);
    for value in values {
        text.push('\0');
        text.push_str(value);
    }
    text.into()
}

/// The values an "any value but these" scenario value excludes, or `None`
/// for a plain value.
pub(crate) fn excluded(value: &str) -> Option<impl Iterator<Item = &str>> {
    value
        .strip_prefix(EXCLUDING)
        .map(|rest| rest.split('\0').skip(1))
}

/// The value two assumptions about one input agree on, if any: a value
/// meets an exclusion that does not name it, two exclusions meet in their
/// union (an input has more values than any template names).
fn meet(a: &Arc<str>, b: &Arc<str>) -> Option<Arc<str>> {
    if a == b {
        return Some(a.clone());
    }
    match (excluded(a), excluded(b)) {
        (None, None) => None,
        (Some(mut not_b), None) => (!not_b.any(|x| x == &**b)).then(|| b.clone()),
        (None, Some(mut not_a)) => (!not_a.any(|x| x == &**a)).then(|| a.clone()),
        (Some(x), Some(y)) => Some(excluding(x.chain(y))),
    }
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
    /// (an input with two values that do not meet).
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
        let (mut only_a, mut only_b, mut refined) = (false, false, false);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => (only_a, i) = (true, i + 1),
                std::cmp::Ordering::Greater => (only_b, j) = (true, j + 1),
                std::cmp::Ordering::Equal if a[i].1 != b[j].1 => {
                    meet(&a[i].1, &b[j].1)?;
                    refined = true;
                    (i, j) = (i + 1, j + 1);
                }
                std::cmp::Ordering::Equal => (i, j) = (i + 1, j + 1),
            }
        }
        only_a |= i < a.len();
        only_b |= j < b.len();
        // A subset of the other needs no new allocation.
        match (only_a, only_b, refined) {
            (_, false, false) => Some(self.clone()),
            (false, true, false) => Some(other.clone()),
            _ => Some(Scenario(merge_sorted(a, b).into())),
        }
    }
}

/// Two sorted assumption lists as one, values of a shared input met (the
/// caller has checked that they meet).
fn merge_sorted(
    a: &[(Assumption, Arc<str>)],
    b: &[(Assumption, Arc<str>)],
) -> Vec<(Assumption, Arc<str>)> {
    let mut merged = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => {
                merged.push(a[i].clone());
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                merged.push(b[j].clone());
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let value = meet(&a[i].1, &b[j].1).unwrap_or_else(|| a[i].1.clone());
                merged.push((a[i].0.clone(), value));
                (i, j) = (i + 1, j + 1);
            }
        }
    }
    merged.extend_from_slice(&a[i..]);
    merged.extend_from_slice(&b[j..]);
    merged
}

/// Most excluded values a note names; the rest are counted.
const MAX_EXCLUDED_SHOWN: usize = 4;

/// "us-east-1 and eu-west-1", "a, b, c, d and 3 more".
struct ValueList<'a>(&'a str);

impl fmt::Display for ValueList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let values: Vec<&str> = excluded(self.0).into_iter().flatten().collect();
        let shown = values.len().min(MAX_EXCLUDED_SHOWN);
        for (i, value) in values[..shown].iter().enumerate() {
            if i > 0 {
                f.write_str(if i + 1 == shown && shown == values.len() {
                    " and "
                } else {
                    ", "
                })?;
            }
            write!(f, "{value}")?;
        }
        if values.len() > shown {
            write!(f, " and {} more", values.len() - shown)?;
        }
        Ok(())
    }
}

impl fmt::Display for Scenario {
    /// `when Env = prod and in us-east-1`; empty when unconditional.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, (assumption, value)) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(" and ")?;
            }
            let other = excluded(value).is_some();
            match assumption {
                Assumption::Parameter(name)
                    if &**name == "AWS::Region" && other && value.len() == EXCLUDING.len() =>
                {
                    f.write_str("in any region")?;
                }
                Assumption::Parameter(name) if &**name == "AWS::Region" && other => {
                    write!(f, "in a region other than {}", ValueList(value))?;
                }
                Assumption::Parameter(name) if &**name == "AWS::Region" => {
                    write!(f, "in {value}")?;
                }
                Assumption::Parameter(name) if other && value.len() == EXCLUDING.len() => {
                    write!(f, "when {name} has any value")?;
                }
                Assumption::Parameter(name)
                    if other && !value[EXCLUDING.len() + 1..].contains('\0') =>
                {
                    write!(f, "when {name} is not {}", ValueList(value))?;
                }
                Assumption::Parameter(name) if other => {
                    write!(f, "when {name} is none of {}", ValueList(value))?;
                }
                Assumption::Parameter(name) => write!(f, "when {name} = {value}")?,
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
        let region = Scenario::single(
            Assumption::Parameter("AWS::Region".into()),
            "us-east-1".into(),
        );
        let condition = Scenario::single(Assumption::Condition("IsProd".into()), "false".into());
        let both = region.merge(&condition).unwrap();
        assert_eq!(
            both.to_string(),
            "in us-east-1 and when condition IsProd does not hold"
        );
    }

    #[test]
    fn a_value_meets_an_exclusion_that_does_not_name_it() {
        let region =
            |value: Arc<str>| Scenario::single(Assumption::Parameter("AWS::Region".into()), value);
        let not_virginia = region(excluding(["us-east-1"]));
        assert_eq!(not_virginia.merge(&region("us-east-1".into())), None);
        assert_eq!(
            not_virginia.merge(&region("eu-west-1".into())),
            Some(region("eu-west-1".into()))
        );
        let neither = not_virginia
            .merge(&region(excluding(["eu-west-1"])))
            .expect("two exclusions meet");
        assert_eq!(neither, region(excluding(["eu-west-1", "us-east-1"])));
        assert_eq!(
            neither.to_string(),
            "in a region other than eu-west-1 and us-east-1"
        );
        assert_eq!(
            param("Env", &excluding(["dev", "prod"])).to_string(),
            "when Env is none of dev and prod"
        );
        assert_eq!(
            param("Env", &excluding(["prod"])).to_string(),
            "when Env is not prod"
        );
    }
}
