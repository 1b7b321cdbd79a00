//! Which files make up a Terraform module directory.

/// What role a file plays in a module directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileRole {
    /// Configuration in native syntax (`.tf`).
    Config,
    /// Configuration in JSON syntax (`.tf.json`).
    ConfigJson,
    /// Variable values Terraform loads by itself: `terraform.tfvars`,
    /// `terraform.tfvars.json`, `*.auto.tfvars`, `*.auto.tfvars.json`.
    AutoVars,
}

/// The role of a file by its name (the last path component), or `None` for
/// a file Terraform does not read on its own (`prod.tfvars` needs `-var-file`).
#[must_use]
pub fn file_role(file_name: &str) -> Option<FileRole> {
    // Terraform ignores editor backups and hidden files (`.#main.tf`, `~main.tf`).
    if file_name.starts_with('.') || file_name.starts_with('~') || file_name.ends_with('~') {
        return None;
    }
    if file_name.ends_with(".tf.json") {
        Some(FileRole::ConfigJson)
    } else if file_name.ends_with(".tf") {
        Some(FileRole::Config)
    } else if file_name == "terraform.tfvars"
        || file_name == "terraform.tfvars.json"
        || file_name.ends_with(".auto.tfvars")
        || file_name.ends_with(".auto.tfvars.json")
    {
        Some(FileRole::AutoVars)
    } else {
        None
    }
}

/// The order in which Terraform applies auto-loaded variable files, later
/// ones winning: `terraform.tfvars`, `terraform.tfvars.json`, then the
/// `*.auto.tfvars[.json]` files in lexical order.
#[must_use]
pub fn auto_vars_rank(file_name: &str) -> (u8, &str) {
    match file_name {
        "terraform.tfvars" => (0, file_name),
        "terraform.tfvars.json" => (1, file_name),
        _ => (2, file_name),
    }
}

/// The last component of a `/`- or `\`-separated path.
#[must_use]
pub fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

/// `dir` joined with a relative module `source` (`./modules/cache`,
/// `../..`), normalised so the same directory always has the same name.
/// `None` when the path climbs above the start of `dir`'s own path.
#[must_use]
pub fn join_module_path(dir: &str, source: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    let absolute = dir.starts_with('/');
    for part in source.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|last| *last != "..") {
                    parts.pop();
                } else if absolute {
                    return None;
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let joined = parts.join("/");
    Some(match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_owned(),
        (false, false) => joined,
    })
}

/// Whether a module `source` is a local path (`./x`, `../x`), which
/// Terraform reads from disk, rather than a registry or remote address.
#[must_use]
pub fn is_local_source(source: &str) -> bool {
    source == "."
        || source == ".."
        || source.starts_with("./")
        || source.starts_with("../")
        || source.starts_with(".\\")
        || source.starts_with("..\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_auto_loaded_variable_files_belong_to_a_module() {
        assert_eq!(file_role("main.tf"), Some(FileRole::Config));
        assert_eq!(file_role("main.tf.json"), Some(FileRole::ConfigJson));
        assert_eq!(file_role("terraform.tfvars"), Some(FileRole::AutoVars));
        assert_eq!(file_role("x.auto.tfvars.json"), Some(FileRole::AutoVars));
        assert_eq!(file_role("prod.tfvars"), None);
        assert_eq!(file_role(".#main.tf"), None);
        assert_eq!(file_role("README.md"), None);
    }

    #[test]
    fn module_paths_are_normalised() {
        assert_eq!(
            join_module_path("root", "./modules/cache").as_deref(),
            Some("root/modules/cache")
        );
        assert_eq!(
            join_module_path("a/examples/complete", "../..").as_deref(),
            Some("a")
        );
        assert_eq!(join_module_path("a", "../b").as_deref(), Some("b"));
        assert_eq!(join_module_path(".", "../b").as_deref(), Some("../b"));
        assert_eq!(join_module_path("/r", "../../x"), None);
        assert!(
            is_local_source("./m")
                && is_local_source("../m")
                && !is_local_source("hashicorp/x/aws")
        );
    }
}
