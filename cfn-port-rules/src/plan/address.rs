//! Terraform module instance addresses (`module.a[0].module.b["k"]`).

/// The module call names along a module instance address, instance keys
/// dropped: `module.a[0].module.b["x.y"]` is `["a", "b"]`, the root (an empty
/// address) is `[]`. `None` when the text is not a module address.
#[must_use]
pub fn module_call_names(address: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = address;
    while !rest.is_empty() {
        rest = rest.strip_prefix("module.")?;
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        if end == 0 {
            return None;
        }
        names.push(rest[..end].to_owned());
        rest = &rest[end..];
        if rest.starts_with('[') {
            rest = skip_instance_key(rest)?;
        }
        if !rest.is_empty() {
            rest = rest.strip_prefix('.')?;
        }
    }
    Some(names)
}

/// The text after an instance key: `[0]` or `["key"]`, whose string may hold
/// `.`, `]` and escaped quotes.
fn skip_instance_key(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('[')?;
    if let Some(string) = inner.strip_prefix('"') {
        let mut escaped = false;
        for (index, character) in string.char_indices() {
            match character {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => return string[index + 1..].strip_prefix(']'),
                _ => {}
            }
        }
        return None;
    }
    let close = inner.find(']')?;
    inner[..close]
        .bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| &inner[close + 1..])
}

#[cfg(test)]
mod tests {
    use super::module_call_names;

    #[test]
    fn root_has_no_module_calls() {
        assert_eq!(module_call_names(""), Some(vec![]));
    }

    #[test]
    fn nested_calls_drop_count_and_for_each_keys() {
        assert_eq!(
            module_call_names("module.a[0].module.b[\"x.y]\\\"z\"].module.c"),
            Some(vec!["a".to_owned(), "b".to_owned(), "c".to_owned()])
        );
    }

    #[test]
    fn what_is_not_a_module_address_is_none() {
        for text in [
            "aws_elasticache_cluster.x",
            "module.",
            "module.a[",
            "module.a[x]",
            "module.a..b",
        ] {
            assert_eq!(module_call_names(text), None, "{text}");
        }
    }
}
