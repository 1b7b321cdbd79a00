//! What to lint: paths, directories, glob patterns and stdin, turned into a
//! list of files and Terraform module directories, and reading one file
//! within the size limit.
//!
//! A problem with one input (it does not exist, it is a FIFO, a symlink
//! loop) is an [`InputError`] for that input; the others are still linted.

use std::ffi::OsStr;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use cfn_port_rules::{Diagnostic, SourceFile};
use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

/// Extensions a directory walk picks (any case).
pub const TEMPLATE_EXTENSIONS: &[&str] = &["yaml", "yml", "json", "template"];

/// One command-line input.
#[derive(Debug)]
#[non_exhaustive]
pub enum InputSpec {
    /// A file or directory.
    Path(PathBuf),
    /// A glob pattern expanded by the tool, walked from `base`.
    Glob {
        /// The pattern as given (without a leading `./`).
        pattern: String,
        /// The longest leading part without glob characters.
        base: PathBuf,
        /// The compiled pattern.
        matcher: GlobMatcher,
    },
    /// `-`: a template on stdin.
    Stdin,
}

impl InputSpec {
    /// Reads one argument: `-`, an existing path, or a glob pattern when it
    /// has glob characters and no file of that name exists.
    ///
    /// # Errors
    /// When a glob pattern does not compile.
    pub fn parse(arg: &OsStr, cwd: &Path) -> Result<Self> {
        if arg == "-" {
            return Ok(InputSpec::Stdin);
        }
        let path = PathBuf::from(arg);
        let is_glob = arg
            .to_str()
            .is_some_and(|s| s.contains(['*', '?', '[', '{']));
        if !is_glob || fs::symlink_metadata(cwd.join(&path)).is_ok() {
            return Ok(InputSpec::Path(path));
        }
        let text = arg.to_str().unwrap_or_default();
        let pattern = text.strip_prefix("./").unwrap_or(text).to_string();
        let matcher = GlobBuilder::new(&pattern)
            .literal_separator(true)
            .backslash_escape(true)
            .build()
            .with_context(|| format!("invalid glob pattern `{text}`"))?
            .compile_matcher();
        let mut base = PathBuf::new();
        for component in Path::new(&pattern).components() {
            let literal = component
                .as_os_str()
                .to_str()
                .is_some_and(|c| !c.contains(['*', '?', '[', '{']));
            if !literal {
                break;
            }
            base.push(component);
        }
        if base.as_os_str().is_empty() {
            base.push(".");
        }
        Ok(InputSpec::Glob {
            pattern,
            base,
            matcher,
        })
    }
}

/// How directories are walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Do not honour `.gitignore` and friends.
    pub no_ignore: bool,
    /// Enter hidden files and directories.
    pub hidden: bool,
    /// Follow symbolic links that lead outside the walked directory.
    pub follow: bool,
    /// Skip named paths that the excludes match, as walked ones are
    /// (`--force-exclude`, for tools such as pre-commit that name every file).
    pub force_exclude: bool,
    /// Treat named files like walked ones: a file that is not a template is
    /// skipped quietly and counted (`--skip-non-templates`).
    pub skip_non_templates: bool,
}

/// Glob patterns that skip walked files and directories. A pattern without
/// a `/` matches a file or directory name anywhere (as in `.gitignore`); one
/// with a `/` matches the path relative to where it was written (the config
/// file's directory, or the working directory for `--exclude`).
#[derive(Clone, Debug, Default)]
pub struct Excludes {
    groups: Vec<(PathBuf, GlobSet)>,
}

impl Excludes {
    /// Adds a pattern relative to `base`.
    ///
    /// # Errors
    /// When the pattern does not compile.
    pub fn add(&mut self, pattern: &str, base: &Path) -> Result<()> {
        let trimmed = pattern.trim_end_matches('/');
        let trimmed = trimmed.strip_prefix("./").unwrap_or(trimmed);
        let anchored = trimmed.trim_start_matches('/');
        let rooted = if trimmed.contains('/') {
            anchored.to_string()
        } else {
            format!("**/{anchored}")
        };
        let mut set = GlobSetBuilder::new();
        for variant in [rooted.clone(), format!("{rooted}/**")] {
            let glob = GlobBuilder::new(&variant)
                .literal_separator(true)
                .build()
                .with_context(|| format!("invalid exclude pattern `{pattern}`"))?;
            set.add(glob);
        }
        let set = set
            .build()
            .with_context(|| format!("invalid exclude pattern `{pattern}`"))?;
        self.groups.push((lexically_normal(base), set));
        Ok(())
    }

    /// Whether `path` (absolute) is excluded.
    #[must_use]
    pub fn is_excluded(&self, path: &Path) -> bool {
        // A walk from `.` or `..` yields `/repo/stacks/./generated/a.yaml`;
        // without normalising, the relative part keeps the `./` and a
        // pattern anchored at the config file's directory never matches.
        let path = lexically_normal(path);
        self.groups.iter().any(|(base, set)| {
            let relative = path.strip_prefix(base).unwrap_or(&path);
            set.is_match(relative)
        })
    }

    fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }
}

/// How a file came to be linted, which decides how a non-template is treated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origin {
    /// Named on the command line: always linted, "not a template" said plainly.
    Explicit,
    /// Found by a directory walk or a glob: skipped quietly if not a template.
    Walked,
    /// Read from stdin.
    Stdin,
    /// A region of a live AWS audit: no file, its clusters are named by
    /// their ARNs.
    Deployed,
}

/// What a candidate is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CandidateKind {
    /// One file: a template, a Terraform plan, saved describe output.
    File,
    /// A Terraform module: a directory with `.tf` or `.tf.json` files,
    /// linted with its variable files and the local modules it calls.
    TerraformModule,
}

/// A file or Terraform module directory to lint.
#[derive(Debug)]
pub struct Candidate {
    /// Where to read it (absolute, or relative to the working directory).
    pub path: PathBuf,
    /// The name shown in output.
    pub display: String,
    /// How it was found.
    pub origin: Origin,
    /// A file, or a module directory.
    pub kind: CandidateKind,
}

impl Candidate {
    /// A file to lint.
    #[must_use]
    pub fn file(path: PathBuf, display: String, origin: Origin) -> Self {
        Self {
            path,
            display,
            origin,
            kind: CandidateKind::File,
        }
    }

    /// The Terraform module in directory `dir`.
    #[must_use]
    pub fn terraform_module(dir: PathBuf, origin: Origin) -> Self {
        Self {
            display: display_path(&dir),
            path: dir,
            origin,
            kind: CandidateKind::TerraformModule,
        }
    }
}

/// An input that could not be turned into files, or a file that could not be read.
#[derive(Debug)]
pub struct InputError {
    /// The name shown in output.
    pub display: String,
    /// What went wrong, one sentence.
    pub message: String,
}

/// The result of collecting inputs.
#[derive(Debug, Default)]
pub struct Collected {
    /// Files to lint, without duplicates.
    pub candidates: Vec<Candidate>,
    /// Inputs that could not be used.
    pub errors: Vec<InputError>,
    /// Walked symbolic links not followed because they lead outside the
    /// walked directory (without `--follow`), as shown paths.
    pub links_not_followed: Vec<String>,
    /// Things the user should know about how inputs were found (a CDK
    /// project whose templates were not synthesized), one sentence each.
    pub warnings: Vec<String>,
}

/// Expands every input into files.
#[must_use]
pub fn collect(
    specs: &[InputSpec],
    cwd: &Path,
    walk: WalkOptions,
    excludes: &Excludes,
    stdin_name: &str,
) -> Collected {
    let mut out = Collected::default();
    let excludes = Arc::new(excludes.clone());
    for spec in specs {
        match spec {
            InputSpec::Stdin => out.candidates.push(Candidate::file(
                PathBuf::from("-"),
                stdin_name.to_string(),
                Origin::Stdin,
            )),
            InputSpec::Path(path) => collect_path(path, cwd, walk, &excludes, &mut out),
            InputSpec::Glob {
                pattern,
                base,
                matcher,
            } => {
                let before = out.candidates.len();
                let errors_before = out.errors.len();
                if fs::metadata(cwd.join(base)).is_ok_and(|m| m.is_dir()) {
                    walk_dir(base, cwd, walk, &excludes, Some(matcher), &mut out);
                }
                if out.candidates.len() == before && out.errors.len() == errors_before {
                    out.errors.push(InputError {
                        display: pattern.clone(),
                        message: "the glob pattern matches no files".into(),
                    });
                }
            }
        }
    }
    // A file or module named twice (or named and walked) is linted once,
    // explicitly if it was named.
    out.candidates
        .sort_by(|a, b| (&a.display, a.kind, a.origin).cmp(&(&b.display, b.kind, b.origin)));
    out.candidates
        .dedup_by(|b, a| a.display == b.display && a.kind == b.kind);
    out
}

fn collect_path(
    path: &Path,
    cwd: &Path,
    walk: WalkOptions,
    excludes: &Arc<Excludes>,
    out: &mut Collected,
) {
    let display = display_path(path);
    let full = cwd.join(path);
    if walk.force_exclude && excludes.is_excluded(&full) {
        return;
    }
    let error = |message: String| InputError {
        display: display.clone(),
        message,
    };
    let link = match fs::symlink_metadata(&full) {
        Ok(link) => link,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            out.errors.push(error("no such file or directory".into()));
            return;
        }
        Err(e) => {
            out.errors.push(error(format!("cannot access it: {e}")));
            return;
        }
    };
    let meta = match fs::metadata(&full) {
        Ok(meta) => meta,
        Err(e) => {
            out.errors.push(error(describe_symlink_error(
                &full,
                link.file_type().is_symlink(),
                &e,
            )));
            return;
        }
    };
    if meta.is_dir() {
        walk_dir(path, cwd, walk, excludes, None, out);
    } else if meta.is_file() && terraform::is_config_file(path) {
        // A named `.tf` file stands for its module: Terraform reads every
        // file of the directory together.
        let dir = path.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        out.candidates.push(Candidate::terraform_module(
            dir.to_path_buf(),
            Origin::Explicit,
        ));
    } else if meta.is_file() {
        let origin = if walk.skip_non_templates {
            Origin::Walked
        } else {
            Origin::Explicit
        };
        out.candidates
            .push(Candidate::file(path.to_path_buf(), display, origin));
    } else {
        out.errors.push(error(not_regular(&meta)));
    }
}

fn describe_symlink_error(path: &Path, is_symlink: bool, error: &io::Error) -> String {
    if !is_symlink {
        return format!("cannot access it: {error}");
    }
    match (error.kind(), fs::read_link(path)) {
        (io::ErrorKind::NotFound, Ok(target)) => {
            format!(
                "it is a dangling symbolic link: its target `{}` does not exist",
                target.display()
            )
        }
        _ => format!("cannot follow the symbolic link: {error}"),
    }
}

/// Why a file that is not regular is not read.
fn not_regular(meta: &fs::Metadata) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let ty = meta.file_type();
        let what = if ty.is_fifo() {
            "a named pipe (FIFO)"
        } else if ty.is_socket() {
            "a socket"
        } else if ty.is_block_device() || ty.is_char_device() {
            "a device"
        } else {
            "not a regular file"
        };
        format!("it is {what}; only regular files are linted")
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        "it is not a regular file; only regular files are linted".to_string()
    }
}

fn walk_dir(
    root: &Path,
    cwd: &Path,
    options: WalkOptions,
    excludes: &Arc<Excludes>,
    glob: Option<&GlobMatcher>,
    out: &mut Collected,
) {
    let filters = !options.no_ignore;
    let full_root = cwd.join(root);
    let mut builder = ignore::WalkBuilder::new(&full_root);
    builder
        .hidden(!options.hidden)
        .ignore(filters)
        .git_ignore(filters)
        .git_global(filters)
        .git_exclude(filters)
        // The crate reads ignore files in every ancestor up to `/`; those
        // between the repository root and the walked root are added below.
        .parents(false)
        .require_git(false)
        .follow_links(true)
        .sort_by_file_path(Ord::cmp);
    let canonical_root = full_root.canonicalize().ok();
    let ancestors = match (&canonical_root, filters) {
        (Some(root), true) => ancestor_ignores(root),
        _ => Vec::new(),
    };
    let outside_links = Arc::new(std::sync::Mutex::new(Vec::new()));
    {
        let excludes = Arc::clone(excludes);
        let outside_links = Arc::clone(&outside_links);
        let cwd = cwd.to_path_buf();
        let full_root = full_root.clone();
        let follow = options.follow;
        builder.filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            if terraform::is_downloaded_modules(entry) {
                return false;
            }
            let Some(root) = &canonical_root else {
                return true;
            };
            // The entry's path as if the root were canonical, for matching.
            let in_root = root.join(
                entry
                    .path()
                    .strip_prefix(&full_root)
                    .unwrap_or(entry.path()),
            );
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if ancestors
                .iter()
                .rev()
                .find_map(|ignores| match ignores.matched(&in_root, is_dir) {
                    ignore::Match::None => None,
                    ignore::Match::Ignore(_) => Some(true),
                    ignore::Match::Whitelist(_) => Some(false),
                })
                == Some(true)
            {
                return false;
            }
            if !follow && entry.path_is_symlink() && leads_outside(entry.path(), root) {
                if let Ok(mut links) = outside_links.lock() {
                    links.push(entry.path().to_path_buf());
                }
                return false;
            }
            excludes.is_empty() || !excludes.is_excluded(&cwd.join(entry.path()))
        });
    }
    // Shown paths start with the argument as the user wrote it.
    let shown =
        |path: &Path| -> PathBuf { root.join(path.strip_prefix(&full_root).unwrap_or(path)) };
    let mut cdk_projects: Vec<PathBuf> = Vec::new();
    let mut module_dirs: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    for entry in builder.build() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let (path, message) = describe_walk_error(&error);
                out.errors.push(InputError {
                    display: display_path(&path.map_or_else(|| root.to_path_buf(), |p| shown(&p))),
                    message,
                });
                continue;
            }
        };
        // A directory named like a template (`x.yaml/`) is walked like any other.
        let Some(file_type) = entry.file_type().filter(|t| !t.is_dir()) else {
            continue;
        };
        if glob.is_none() && entry.file_name() == cdk::PROJECT_FILE {
            cdk_projects.extend(entry.path().parent().map(Path::to_path_buf));
        }
        let path = shown(entry.path());
        let display = display_path(&path);
        let terraform = terraform::role(entry.path());
        let wanted = match glob {
            Some(glob) => glob.is_match(&display) || glob.is_match(entry.path()),
            None => terraform.is_some() || has_template_extension(entry.path()),
        };
        if !wanted {
            continue;
        }
        if file_type.is_file() {
            match terraform {
                // A module is linted once, from its directory; its variable
                // files belong to it and are not inputs of their own.
                Some(terraform::FileRole::Config | terraform::FileRole::ConfigJson) => {
                    let dir = path
                        .parent()
                        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
                    module_dirs.insert(dir);
                }
                Some(_) => {}
                None => out
                    .candidates
                    .push(Candidate::file(path, display, Origin::Walked)),
            }
        } else if let Ok(meta) = fs::metadata(entry.path()) {
            out.errors.push(InputError {
                display,
                message: not_regular(&meta),
            });
        }
    }
    out.candidates.extend(
        module_dirs
            .into_iter()
            .map(|dir| Candidate::terraform_module(dir, Origin::Walked)),
    );
    let links = outside_links.lock().map(|mut l| std::mem::take(&mut *l));
    out.links_not_followed.extend(
        links
            .unwrap_or_default()
            .iter()
            .map(|l| display_path(&shown(l))),
    );
    for project in cdk_projects {
        cdk::add_synthesized(&project, excludes, &shown, out);
    }
}

/// Whether the symbolic link at `path` resolves to somewhere outside
/// `root` (canonical). A dangling link does not: the walk reports it.
fn leads_outside(path: &Path, root: &Path) -> bool {
    path.canonicalize()
        .is_ok_and(|target| !target.starts_with(root))
}

/// The `.gitignore`, `.ignore` and `.git/info/exclude` rules of the
/// directories from the repository root down to `root`'s parent, outermost
/// first: a walk honours the ignore files of its repository, never those of
/// a shared directory above it (the temporary directory, a home directory).
/// Outside a repository, only the walked tree's own files count.
fn ancestor_ignores(root: &Path) -> Vec<ignore::gitignore::Gitignore> {
    let Some(repository) = root.ancestors().find(|dir| dir.join(".git").exists()) else {
        return Vec::new();
    };
    let mut dirs: Vec<&Path> = root
        .ancestors()
        .skip(1)
        .take_while(|dir| dir.starts_with(repository))
        .collect();
    dirs.reverse();
    dirs.into_iter()
        .filter_map(|dir| {
            let mut builder = ignore::gitignore::GitignoreBuilder::new(dir);
            let mut any = false;
            for name in [".git/info/exclude", ".gitignore", ".ignore"] {
                let file = dir.join(name);
                if file.is_file() {
                    // A bad line is skipped, as the walk itself does.
                    let _ = builder.add(file);
                    any = true;
                }
            }
            any.then(|| builder.build().ok()).flatten()
        })
        .collect()
}

/// CDK projects: `cdk synth` writes templates to `cdk.out/`, which
/// `.gitignore` nearly always lists, so a walk that honours it would lint
/// nothing in a CDK repository and say "0 templates".
mod cdk {
    use super::{Candidate, Collected, Excludes, Origin, display_path};
    use std::fs;
    use std::path::{Path, PathBuf};

    /// The file that marks a CDK project.
    pub(super) const PROJECT_FILE: &str = "cdk.json";

    /// Adds the templates `cdk synth` wrote for the project in `project`
    /// (absolute), even when ignore files list them; or, when there are
    /// none, a warning saying to synthesize first. Excludes still apply.
    pub(super) fn add_synthesized(
        project: &Path,
        excludes: &Excludes,
        shown: &dyn Fn(&Path) -> PathBuf,
        out: &mut Collected,
    ) {
        let output = project.join(output_dir(project));
        if excludes.is_excluded(&output) {
            return;
        }
        let templates: Vec<PathBuf> = template_files(&output)
            .into_iter()
            .filter(|t| !excludes.is_excluded(t))
            .collect();
        if templates.is_empty() {
            let output_shown = display_path(&shown(&output));
            let what = if output.is_dir() {
                format!("`{output_shown}` holds no synthesized template (`*.template.json`)")
            } else {
                format!("there is no `{output_shown}`")
            };
            out.warnings.push(format!(
                "`{}` marks a CDK project, but {what}, so its stacks were not linted; \
                 run `cdk synth` first",
                display_path(&shown(&project.join(PROJECT_FILE))),
            ));
            return;
        }
        for template in templates {
            let path = shown(&template);
            let display = display_path(&path);
            out.candidates
                .push(Candidate::file(path, display, Origin::Walked));
        }
    }

    /// The project's output directory: `output` in `cdk.json`, else `cdk.out`.
    fn output_dir(project: &Path) -> String {
        fs::read_to_string(project.join(PROJECT_FILE))
            .ok()
            .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
            .and_then(|json| json.get("output")?.as_str().map(str::to_string))
            .unwrap_or_else(|| "cdk.out".to_string())
    }

    /// `*.template.json` in the cloud assembly and in the nested assemblies
    /// of CDK stages (`assembly-*/`), sorted. Assets (`asset.*/`) are not
    /// templates and are not entered.
    fn template_files(output: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        let mut dirs = vec![output.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let name = name.to_string_lossy();
                let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
                if is_dir && name.starts_with("assembly-") {
                    dirs.push(entry.path());
                } else if !is_dir && name.ends_with(".template.json") {
                    found.push(entry.path());
                }
            }
        }
        found.sort();
        found
    }
}

/// Which walked files are Terraform's.
mod terraform {
    use std::ffi::OsStr;
    use std::path::Path;

    pub(super) use cfn_port_rules::terraform::files::FileRole;

    /// The directory `terraform init` downloads modules and providers into.
    const DOWNLOADS: &str = ".terraform";

    /// The role of a file in a module directory (`.tf`, `.tf.json`, an
    /// auto-loaded variable file), or `None` for any other file.
    pub(super) fn role(path: &Path) -> Option<FileRole> {
        path.file_name()
            .and_then(OsStr::to_str)
            .and_then(cfn_port_rules::terraform::files::file_role)
    }

    /// Whether a named file is a module's configuration (`.tf`, `.tf.json`).
    pub(super) fn is_config_file(path: &Path) -> bool {
        matches!(role(path), Some(FileRole::Config | FileRole::ConfigJson))
    }

    /// Whether a walked entry is a `.terraform` directory: copies of remote
    /// modules, linted where they are maintained, not in every user's
    /// checkout. Skipped even with `--hidden`; naming it lints it.
    pub(super) fn is_downloaded_modules(entry: &ignore::DirEntry) -> bool {
        entry.file_name() == DOWNLOADS && entry.file_type().is_some_and(|t| t.is_dir())
    }
}

/// The path an `ignore` error is about, and what went wrong.
fn describe_walk_error(error: &ignore::Error) -> (Option<PathBuf>, String) {
    match error {
        ignore::Error::WithPath { path, err } => {
            let (_, message) = describe_walk_error(err);
            (Some(path.clone()), message)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            describe_walk_error(err)
        }
        ignore::Error::Loop { ancestor, child } => (
            Some(child.clone()),
            format!(
                "directory loop: this symbolic link points to its ancestor `{}`; it is not followed",
                ancestor.display()
            ),
        ),
        ignore::Error::Partial(errors) => errors
            .first()
            .map_or((None, error.to_string()), describe_walk_error),
        ignore::Error::Io(io) if io.kind() == io::ErrorKind::NotFound => (
            None,
            "cannot follow it: it is a dangling symbolic link or was removed".into(),
        ),
        other => (None, other.to_string()),
    }
}

/// Whether the file name ends in one of [`TEMPLATE_EXTENSIONS`].
#[must_use]
pub fn has_template_extension(path: &Path) -> bool {
    path.extension().and_then(OsStr::to_str).is_some_and(|ext| {
        TEMPLATE_EXTENSIONS
            .iter()
            .any(|t| t.eq_ignore_ascii_case(ext))
    })
}

/// `path` with `.` components dropped and each `..` taking out the
/// component before it, without asking the file system: the same spelling
/// for every way the working directory and the arguments reach a file.
#[must_use]
pub fn lexically_normal(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(normal.components().next_back(), Some(Component::Normal(_))) =>
            {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}

/// A path as shown in output: `./` removed, `/` as separator.
#[must_use]
pub fn display_path(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::RootDir => absolute = true,
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    let joined = parts.join("/");
    match (absolute, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Why a file could not be turned into a [`SourceFile`].
#[derive(Debug)]
#[non_exhaustive]
pub enum ReadError {
    /// It could not be read at all.
    Io(String),
    /// It was too large or not UTF-8 text.
    Diagnostic(Box<Diagnostic>),
}

/// Reads a candidate, never more than `max` bytes: the size is checked from
/// metadata before the file is opened, and reading stops after `max + 1` bytes.
///
/// # Errors
/// A [`ReadError`] saying what went wrong.
pub fn read(candidate: &Candidate, cwd: &Path, max: usize) -> Result<SourceFile, ReadError> {
    let bytes = if candidate.origin == Origin::Stdin {
        read_limited(io::stdin().lock(), max, 0)
            .map_err(|e| ReadError::Io(format!("could not read stdin: {e}")))?
    } else {
        let path = cwd.join(&candidate.path);
        let meta =
            fs::metadata(&path).map_err(|e| ReadError::Io(format!("could not read it: {e}")))?;
        if !meta.is_file() {
            return Err(ReadError::Io(not_regular(&meta)));
        }
        let len = usize::try_from(meta.len()).unwrap_or(usize::MAX);
        if len > max {
            return Err(ReadError::Diagnostic(Box::new(
                cfn_port_rules::limits::file_too_large(len, max),
            )));
        }
        let file = open_without_blocking(&path)
            .map_err(|e| ReadError::Io(format!("could not open it: {e}")))?;
        read_limited(file, max, len).map_err(|e| match e.kind() {
            io::ErrorKind::WouldBlock => ReadError::Io(
                "it has no data to read now (a pseudo-file such as /proc/kmsg); it is not waited for"
                    .into(),
            ),
            _ => ReadError::Io(format!("could not read it: {e}")),
        })?
    };
    if bytes.len() > max {
        return Err(ReadError::Diagnostic(Box::new(
            cfn_port_rules::limits::file_too_large(bytes.len(), max),
        )));
    }
    SourceFile::from_bytes(candidate.display.clone(), bytes).map_err(ReadError::Diagnostic)
}

/// Opens a file for reading in non-blocking mode. A regular file reads the
/// same either way; a pseudo-file that claims to be regular but waits for
/// data (`/proc/kmsg`, reached through a link) fails with `WouldBlock`
/// instead of holding up the run and every file after it.
fn open_without_blocking(path: &Path) -> io::Result<File> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Reads at most `max + 1` bytes, so the caller can tell "exactly at the
/// limit" from "over it" without reading an unbounded stream.
fn read_limited(reader: impl Read, max: usize, expected: usize) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(expected.min(max).saturating_add(1));
    reader
        .take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_paths_are_tidy() {
        assert_eq!(display_path(Path::new("./a/./b.yaml")), "a/b.yaml");
        assert_eq!(display_path(Path::new(".")), ".");
        assert_eq!(display_path(Path::new("/x/y")), "/x/y");
    }

    #[test]
    fn excludes_match_names_anywhere_and_anchored_paths() {
        let mut excludes = Excludes::default();
        excludes.add("cdk.out/", Path::new("/repo")).unwrap();
        excludes
            .add("stacks/generated/*.yaml", Path::new("/repo"))
            .unwrap();
        assert!(excludes.is_excluded(Path::new("/repo/app/cdk.out/x.json")));
        assert!(excludes.is_excluded(Path::new("/repo/stacks/generated/a.yaml")));
        assert!(!excludes.is_excluded(Path::new("/repo/other/stacks/generated/a.yaml")));
        assert!(!excludes.is_excluded(Path::new("/repo/stacks/a.yaml")));
    }

    #[test]
    fn excludes_match_paths_walked_from_dot_and_dotdot() {
        let mut excludes = Excludes::default();
        excludes
            .add("stacks/generated/", Path::new("/repo/./sub/.."))
            .unwrap();
        assert!(excludes.is_excluded(Path::new("/repo/stacks/./generated/a.yaml")));
        assert!(excludes.is_excluded(Path::new("/repo/stacks/ok/../generated/a.yaml")));
        assert!(!excludes.is_excluded(Path::new("/repo/stacks/./ok/a.yaml")));
    }

    #[test]
    fn lexical_normalisation_keeps_leading_parent_dirs() {
        assert_eq!(
            lexically_normal(Path::new("/a/./b/../c")),
            Path::new("/a/c")
        );
        assert_eq!(lexically_normal(Path::new("../x/./y")), Path::new("../x/y"));
        assert_eq!(lexically_normal(Path::new("a/../../b")), Path::new("../b"));
    }

    #[test]
    fn glob_base_is_the_literal_prefix() {
        let cwd = std::env::temp_dir();
        let InputSpec::Glob { base, pattern, .. } =
            InputSpec::parse(OsStr::new("./stacks/**/*.yaml"), &cwd).unwrap()
        else {
            panic!("expected a glob");
        };
        assert_eq!(base, Path::new("stacks"));
        assert_eq!(pattern, "stacks/**/*.yaml");
    }

    #[test]
    fn template_extensions() {
        assert!(has_template_extension(Path::new("a/b.YAML")));
        assert!(has_template_extension(Path::new("x.template")));
        assert!(!has_template_extension(Path::new("x.txt")));
    }
}
