//! Template parameter values from `--parameter` and `--parameter-file`.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// Splits `Name=Value` at the first `=`.
///
/// # Errors
/// When there is no `=` or the name is empty.
pub fn parse_pair(pair: &str) -> Result<(String, String)> {
    match pair.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_string(), value.to_string()))
        }
        _ => bail!("--parameter `{pair}` must look like Name=Value"),
    }
}

/// Refuses a pseudo parameter (`AWS::…`) whose value cannot be given:
/// only those that are fixed for one deployment can be pinned.
///
/// # Errors
/// When `name` is a pseudo parameter other than `AWS::Region`,
/// `AWS::AccountId` and `AWS::Partition`.
pub fn check_pseudo(name: &str) -> Result<()> {
    use cfn_port_rules::given_parameters::PINNABLE_PSEUDO_PARAMETERS;
    if name.starts_with("AWS::") && !PINNABLE_PSEUDO_PARAMETERS.contains(&name) {
        bail!(
            "parameter `{name}`: only the pseudo parameters {} can be given a value",
            PINNABLE_PSEUDO_PARAMETERS.join(", ")
        );
    }
    Ok(())
}

/// Reads a parameter file in any of the three accepted formats.
///
/// # Errors
/// When the file cannot be read, is not JSON, or has none of the formats.
pub fn read_file(path: &Path) -> Result<BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("could not read parameter file `{}`", path.display()))?;
    parse(&text).with_context(|| format!("invalid parameter file `{}`", path.display()))
}

/// Parses the AWS CLI format (`[{"ParameterKey": …, "ParameterValue": …}]`),
/// the CodePipeline template configuration (`{"Parameters": {…}}`) or a
/// plain `{"Name": "Value"}` object. Numbers and booleans become their
/// text; a list becomes a comma-delimited string. AWS CLI entries with
/// `UsePreviousValue` and no value are skipped.
///
/// # Errors
/// When the JSON has none of these shapes.
pub fn parse(text: &str) -> Result<BTreeMap<String, String>> {
    let json: Value = serde_json::from_str(text).context("not JSON")?;
    let mut out = BTreeMap::new();
    match &json {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = item
                    .get("ParameterKey")
                    .and_then(Value::as_str)
                    .with_context(|| {
                        format!(
                            "item {i} has no string `ParameterKey` (expected the AWS CLI format)"
                        )
                    })?;
                match item.get("ParameterValue") {
                    Some(value) => {
                        out.insert(
                            key.to_string(),
                            scalar(value).with_context(|| format!("`{key}`"))?,
                        );
                    }
                    None if item.get("UsePreviousValue").is_some() => {}
                    None => bail!("`{key}` has no `ParameterValue`"),
                }
            }
        }
        Value::Object(map) => {
            let map = match map.get("Parameters") {
                Some(Value::Object(inner)) => inner,
                Some(_) => bail!("`Parameters` must be an object of names to values"),
                None => map,
            };
            for (key, value) in map {
                out.insert(
                    key.clone(),
                    scalar(value).with_context(|| format!("`{key}`"))?,
                );
            }
        }
        _ => bail!(
            "expected a list of {{\"ParameterKey\", \"ParameterValue\"}} objects or an object of names to values"
        ),
    }
    Ok(out)
}

fn scalar(value: &Value) -> Result<String> {
    Ok(match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Array(items) => items
            .iter()
            .map(scalar)
            .collect::<Result<Vec<_>>>()?
            .join(","),
        Value::Null | Value::Object(_) => {
            bail!("a parameter value must be a string, number, boolean or list")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_formats() {
        let aws = parse(r#"[{"ParameterKey":"Port","ParameterValue":"6380"},{"ParameterKey":"Old","UsePreviousValue":true}]"#).unwrap();
        assert_eq!(
            aws.into_iter().collect::<Vec<_>>(),
            [("Port".into(), "6380".into())]
        );
        let pipeline = parse(r#"{"Parameters":{"Port":"6380"},"Tags":{"a":"b"}}"#).unwrap();
        assert_eq!(pipeline["Port"], "6380");
        let plain = parse(r#"{"Port":6380,"Azs":["a","b"]}"#).unwrap();
        assert_eq!(plain["Port"], "6380");
        assert_eq!(plain["Azs"], "a,b");
    }

    #[test]
    fn bad_shapes_are_errors() {
        assert!(parse("42").is_err());
        assert!(parse(r#"[{"Key":"x"}]"#).is_err());
        assert!(parse_pair("novalue").is_err());
        assert_eq!(parse_pair("A=b=c").unwrap(), ("A".into(), "b=c".into()));
    }
}
