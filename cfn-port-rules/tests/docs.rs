//! The rule documentation in `docs/rules.md` is generated from the rule
//! metadata; this test fails when it is stale and rewrites it when
//! `UPDATE_DOCS=1` is set. Beside it, checks of the layout a reader of
//! the source relies on: rule files free of source spellings, modules free
//! of import circles.

use std::path::Path;

#[test]
fn docs_rules_md_is_current() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/rules.md");
    let expected = cfn_port_rules::rules::rules_markdown();
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &expected).expect("docs/rules.md is writable");
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/rules.md is stale: run `UPDATE_DOCS=1 cargo test -p cfn-port-rules --test docs`"
    );
}

#[test]
fn every_rule_has_documentation_and_fixtures() {
    let testdata = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata");
    for rule in cfn_port_rules::rules::all() {
        let meta = rule.meta();
        assert!(
            meta.documentation.len() > 200,
            "{} lacks documentation",
            meta.id
        );
        assert!(
            !meta.remediation.is_empty() && meta.help_uri.starts_with("https://"),
            "{}",
            meta.id
        );
        let folder = testdata.join(meta.id.replace('-', "").to_lowercase());
        for kind in ["pass", "fail"] {
            let count = std::fs::read_dir(folder.join(kind)).map_or(0, Iterator::count);
            assert!(
                count > 0,
                "{} has no {kind} fixtures in {}",
                meta.id,
                folder.display()
            );
        }
    }
}

/// Rules read only the neutral model: a rule file that names a
/// CloudFormation type (`AWS::...`) or a Terraform resource type
/// (`aws_...`) has let a source's spelling in. Those names live in
/// `src/kind.rs`, one row per kind.
#[test]
fn rule_files_name_no_source_types() {
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut checked = 0;
    for path in rust_files(&rules) {
        let text = std::fs::read_to_string(&path).expect("a rule file");
        for (number, line) in text.lines().enumerate() {
            let named = line.contains("AWS::")
                || line.match_indices("aws_").any(|(at, _)| {
                    !line[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_')
                });
            assert!(
                !named,
                "{}:{}: a rule names a source's type: {line}",
                path.display(),
                number + 1
            );
        }
        checked += 1;
    }
    assert!(checked >= 3, "expected the rule files, read {checked}");
}

/// The `.rs` files below `dir`, a rule's own folder of parts included.
fn rust_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// Every top-level module of `src/` may lean on the ones below it, never on
/// one that leans back: a circle (`lint -> rules -> suppress -> lint`) means
/// no module of it can be read, tested or moved alone. Non-test code only,
/// the way `crate::x` paths and `use crate::{x, y}` groups name modules.
#[test]
fn no_import_circle_between_top_level_modules() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = read_sources(&src, &src);
    assert!(
        files.len() > 10,
        "expected the library's files, read {}",
        files.len()
    );
    let circles = import_circles(&files);
    assert!(
        circles.is_empty(),
        "import circles between top-level modules of src/:\n{}",
        circles.join("\n")
    );
}

/// The check above would pass on a scan that saw nothing: it must find a
/// circle planted in a few lines, through a path and through a `use` group.
#[test]
fn import_circle_check_names_a_planted_circle() {
    let files = vec![
        (
            "lib.rs".to_owned(),
            "pub mod a;\npub mod b;\npub mod c;\npub use c::d;\n".to_owned(),
        ),
        ("a.rs".to_owned(), "use crate::b::Thing;\n".to_owned()),
        (
            "b/mod.rs".to_owned(),
            "// crate::a in a comment does not count\nuse crate::{\n    d::Other,\n    c,\n};\n"
                .to_owned(),
        ),
        (
            "c/d.rs".to_owned(),
            "fn f() { crate::a::g() }\n#[cfg(test)]\nuse crate::b;\n".to_owned(),
        ),
        ("c/tests.rs".to_owned(), "use crate::b;\n".to_owned()),
    ];
    let circles = import_circles(&files);
    assert_eq!(
        circles,
        vec![
            "a -> b (a.rs:1) -> c (b/mod.rs:3) -> a (c/d.rs:1)",
            "b -> c (b/mod.rs:3) -> a (c/d.rs:1) -> b (a.rs:1)",
            "c -> a (c/d.rs:1) -> b (a.rs:1) -> c (b/mod.rs:3)",
        ]
    );
}

/// Every `.rs` file under `dir` as (path relative to `root`, text).
fn read_sources(root: &Path, dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("a source folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files.extend(read_sources(root, &path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let relative = path.strip_prefix(root).expect("under src");
            let name = relative.to_string_lossy().replace('\\', "/");
            files.push((name, std::fs::read_to_string(&path).expect("a source file")));
        }
    }
    files.sort();
    files
}

/// One line per edge that lies on a circle, `a -> b (where) -> ... -> a (where)`,
/// the circle found from that edge. Empty when the modules form no circle.
fn import_circles(files: &[(String, String)]) -> Vec<String> {
    let edges = module_edges(files);
    let mut circles = Vec::new();
    for (from, targets) in &edges {
        for to in targets.keys() {
            if let Some(back) = shortest_path(&edges, to, from) {
                let mut line = format!("{from} -> {to} ({})", targets[to]);
                let mut at = to.as_str();
                for next in back {
                    line.push_str(&format!(" -> {next} ({})", edges[at][next]));
                    at = next;
                }
                circles.push(line);
            }
        }
    }
    circles
}

type Edges = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

/// For each top-level module, the modules it names and the first `file:line` naming each.
fn module_edges(files: &[(String, String)]) -> Edges {
    let modules: std::collections::BTreeSet<String> =
        files.iter().map(|(path, _)| top_module(path)).collect();
    let aliases = module_aliases(files, &modules);
    let mut edges = Edges::new();
    for (path, text) in files {
        let from = top_module(path);
        if from == "lib" || path.ends_with("/tests.rs") || path == "tests.rs" {
            continue;
        }
        // Test code sits after the first `#[cfg(test)]`.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for (line, name) in crate_paths(code) {
            let to = aliases.get(&name).unwrap_or(&name);
            if *to != from && modules.contains(to) {
                edges
                    .entry(from.clone())
                    .or_default()
                    .entry(to.clone())
                    .or_insert_with(|| format!("{path}:{line}"));
            }
        }
    }
    edges
}

/// `src/eval/value.rs` and `src/eval.rs` are both in `eval`.
fn top_module(path: &str) -> String {
    let first = path.split('/').next().unwrap_or(path);
    first.trim_end_matches(".rs").to_owned()
}

/// Names `lib.rs` re-exports a nested module under (`pub use cloudformation::template;`),
/// mapped to the top-level module that holds it.
fn module_aliases(
    files: &[(String, String)],
    modules: &std::collections::BTreeSet<String>,
) -> std::collections::BTreeMap<String, String> {
    let lib = files
        .iter()
        .find(|(path, _)| path == "lib.rs")
        .map_or("", |(_, text)| text);
    lib.lines()
        .filter_map(|line| line.trim().strip_prefix("pub use ")?.strip_suffix(';'))
        .filter_map(|path| {
            let (top, name) = path.split_once("::")?;
            let is_module_name = name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            (modules.contains(top) && is_module_name).then(|| (name.to_owned(), top.to_owned()))
        })
        .collect()
}

/// The first segment after each `crate::` outside comments, with its
/// 1-based line; each item of a `crate::{...}` group counts.
fn crate_paths(code: &str) -> Vec<(usize, String)> {
    // Blank out comment lines so they keep their line numbers.
    let code: String = code
        .lines()
        .map(|line| {
            if line.trim_start().starts_with("//") {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let line_of = |at: usize| code[..at].matches('\n').count() + 1;
    let mut found = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let start = at + "crate::{".len();
            for (offset, item) in group_items(group) {
                found.push((line_of(start + offset), item));
            }
        } else {
            found.push((line_of(at), leading_name(rest).to_owned()));
        }
    }
    found
}

/// The first name of each top-level item of a `{...}` group (the text after
/// its `{`), with its byte offset in `group`.
fn group_items(group: &str) -> Vec<(usize, String)> {
    let mut items = Vec::new();
    let mut depth = 0;
    let mut item_start = Some(0);
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => item_start = Some(i + 1),
            c if c.is_whitespace() => {}
            _ => {
                if let Some(start) = item_start.take() {
                    let name = leading_name(group[start..].trim_start());
                    let offset = start + (group[start..].len() - group[start..].trim_start().len());
                    items.push((offset, name.to_owned()));
                }
            }
        }
    }
    items
}

/// The identifier `text` starts with.
fn leading_name(text: &str) -> &str {
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    &text[..end]
}

/// The modules after `from` on a shortest path of edges from `from` to `to`.
fn shortest_path<'e>(edges: &'e Edges, from: &'e str, to: &str) -> Option<Vec<&'e str>> {
    let mut came_from = std::collections::BTreeMap::<&str, &str>::new();
    let mut queue = std::collections::VecDeque::from([from]);
    while let Some(at) = queue.pop_front() {
        for next in edges.get(at).into_iter().flat_map(|targets| targets.keys()) {
            if next == to {
                let mut path = vec![next.as_str()];
                let mut step = at;
                while step != from {
                    path.push(step);
                    step = came_from[step];
                }
                path.reverse();
                return Some(path);
            }
            if next != from && !came_from.contains_key(next.as_str()) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}
