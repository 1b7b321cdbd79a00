//! Loading module directories: every block a rule or the evaluator needs,
//! with the file and span it came from.

use std::collections::BTreeMap;

use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Body, Structure};
use hcl_edit::visit_mut::VisitMut as _;

use super::files::{
    FileRole, auto_vars_rank, base_name, file_role, is_local_source, join_module_path,
};
use super::parse::{Pieces, parse_json, parse_native, parse_native_pieces};
use super::span_of;
use super::value::FileId;
use crate::diagnostic::{Diagnostic, DiagnosticKind, Label, Severity};
use crate::source::{SourceFile, Span};

/// Reads the files of a module directory. The library reads no files
/// itself: the command line reads from disk, tests from memory.
pub trait ModuleReader {
    /// The files of directory `dir` that [`file_role`] accepts, each named
    /// `dir/file`; `None` when the directory cannot be read.
    fn read_dir(&self, dir: &str) -> Option<Vec<SourceFile>>;
}

/// Which loaded module (an index into [`Workspace::modules`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ModuleId(pub u32);

/// An argument (`port = var.port`) with where it is written.
#[derive(Clone, Debug)]
pub struct Attr {
    /// The file it is in.
    pub file: FileId,
    /// The argument name.
    pub key_span: Span,
    /// The value expression, with spans into the file (boxed: a module
    /// holds many arguments in maps, whose nodes keep room for several).
    pub expr: Box<Expression>,
}

impl Attr {
    /// The span of the value expression (the key's when the parser gave none).
    #[must_use]
    pub fn value_span(&self) -> Span {
        span_of(&self.expr).unwrap_or(self.key_span)
    }
}

/// A block's arguments and nested blocks.
#[derive(Clone, Debug, Default)]
pub struct BlockInfo {
    /// The file it is in.
    pub file: FileId,
    /// The whole block (for JSON, the object that is its body).
    pub span: Span,
    /// The arguments by name.
    pub attributes: BTreeMap<String, Attr>,
    /// Nested blocks (`validation`, `lifecycle`) by type, in order.
    pub blocks: Vec<(String, BlockInfo)>,
    /// A nested block's labels (`"ingress"` of `dynamic "ingress"`).
    pub labels: Vec<String>,
    /// The comment lines written just above the block (native syntax only).
    pub leading_comments: String,
}

impl BlockInfo {
    /// An argument by name.
    #[must_use]
    pub fn attr(&self, name: &str) -> Option<&Attr> {
        self.attributes.get(name)
    }
}

/// A `resource` or `data` block.
#[derive(Clone, Debug)]
pub struct Resource {
    /// The resource type, e.g. `aws_elasticache_cluster`.
    pub kind: String,
    /// The block's name label.
    pub name: String,
    /// The body.
    pub block: BlockInfo,
}

/// A `variable` block.
#[derive(Clone, Debug)]
pub struct Variable {
    /// The body (`default`, `type`, `validation`).
    pub block: BlockInfo,
    /// The list of a `validation` whose condition is `contains([...], var.x)`:
    /// the values the variable can take, like CloudFormation's `AllowedValues`.
    pub allowed: Option<Attr>,
}

/// A `module` call.
#[derive(Clone, Debug)]
pub struct ModuleCall {
    /// The call's name (`module.<name>`).
    pub name: String,
    /// The body: `source`, meta-arguments and the module's arguments.
    pub block: BlockInfo,
    /// The literal `source`, if written as a plain string.
    pub source: Option<String>,
    /// The local module it loads, once loaded.
    pub target: Option<ModuleId>,
}

/// Arguments of a `module` block that are not the module's variables.
pub const MODULE_META_ARGUMENTS: &[&str] = &[
    "source",
    "version",
    "count",
    "for_each",
    "providers",
    "depends_on",
];

/// One module directory.
#[derive(Clone, Debug, Default)]
pub struct Module {
    /// The directory, as given to [`ModuleReader::read_dir`].
    pub dir: String,
    /// Its files.
    pub files: Vec<FileId>,
    /// `variable` blocks by name.
    pub variables: BTreeMap<String, Variable>,
    /// `locals` entries by name.
    pub locals: BTreeMap<String, Attr>,
    /// `resource` blocks in file order.
    pub resources: Vec<Resource>,
    /// `data` blocks in file order.
    pub data: Vec<Resource>,
    /// `module` calls in file order.
    pub module_calls: Vec<ModuleCall>,
    /// `output` blocks by name.
    pub outputs: BTreeMap<String, BlockInfo>,
    /// Values from auto-loaded variable files, later files winning.
    pub auto_vars: BTreeMap<String, Attr>,
}

/// A problem, with the file its spans point into (`None` for a problem of a
/// whole directory).
#[derive(Clone, Debug)]
pub struct FileDiagnostic {
    /// The file the labels point into.
    pub file: Option<FileId>,
    /// The problem.
    pub diagnostic: Diagnostic,
}

/// The most module directories one workspace loads; past it, calls are
/// left unloaded with a diagnostic (a generated tree cannot grow unbounded).
pub const MAX_MODULES: usize = 256;

/// A root module and every local module it calls, directly or not.
#[derive(Debug, Default)]
pub struct Workspace {
    /// Every file read, in load order.
    pub files: Vec<SourceFile>,
    /// Every module; the root is first.
    pub modules: Vec<Module>,
    /// Parse and load problems.
    pub diagnostics: Vec<FileDiagnostic>,
    /// Values from `--var-file` files, later files winning; they override
    /// the root module's auto-loaded variable files, as in Terraform.
    pub var_files: BTreeMap<String, Attr>,
    /// When set, `resource` and `data` blocks keep only these arguments
    /// (see [`Workspace::load_arguments`]).
    resource_arguments: Option<&'static [&'static str]>,
}

impl Workspace {
    /// Loads `root_dir` and, transitively, the local modules it calls.
    /// A file that does not parse is reported and left out; the rest is read.
    #[must_use]
    pub fn load(root_dir: &str, reader: &dyn ModuleReader) -> Self {
        Self::load_with(root_dir, reader, None)
    }

    /// Loads like [`Workspace::load`], but `resource` and `data` blocks keep
    /// only the arguments named in `arguments`, and of their nested blocks
    /// only the empty shells of those so named: what a linter reads of them. The syntax tree of a large module's other
    /// arguments (tags, policies, names) is most of its memory.
    #[must_use]
    pub fn load_arguments(
        root_dir: &str,
        reader: &dyn ModuleReader,
        arguments: &'static [&'static str],
    ) -> Self {
        Self::load_with(root_dir, reader, Some(arguments))
    }

    fn load_with(
        root_dir: &str,
        reader: &dyn ModuleReader,
        arguments: Option<&'static [&'static str]>,
    ) -> Self {
        let mut workspace = Workspace {
            resource_arguments: arguments,
            ..Workspace::default()
        };
        let files = reader.read_dir(root_dir).unwrap_or_default();
        workspace.add_module(root_dir, files);
        let mut next = 0;
        while next < workspace.modules.len() {
            workspace.load_calls_of(ModuleId(next as u32), reader);
            next += 1;
        }
        workspace
    }

    /// Reads a variable file given with `--var-file` (native or JSON syntax,
    /// by its name) for the root module; problems go to [`Workspace::diagnostics`].
    /// Returns the names of the variables it sets.
    pub fn add_var_file(&mut self, source: SourceFile) -> Vec<String> {
        let id = self.add_file(source);
        let mut sink = Vec::new();
        let file = &self.files[id.index()];
        let json = file.name().ends_with(".json");
        let mut read = BTreeMap::new();
        read_vars_text(file.text(), json, id, &mut read, &mut sink);
        let names = read.keys().cloned().collect();
        self.var_files.extend(read);
        self.diagnostics
            .extend(sink.into_iter().map(|diagnostic| FileDiagnostic {
                file: Some(id),
                diagnostic,
            }));
        names
    }

    /// Adds a file that belongs to no module (the text of `--var` values,
    /// so their steps have somewhere to point) and returns its id.
    pub fn add_file(&mut self, source: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(source);
        id
    }

    /// The root module.
    #[must_use]
    pub fn root(&self) -> &Module {
        &self.modules[0]
    }

    /// A module by id.
    #[must_use]
    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    /// A file by id.
    #[must_use]
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    fn load_calls_of(&mut self, id: ModuleId, reader: &dyn ModuleReader) {
        let dir = self.module(id).dir.clone();
        for index in 0..self.module(id).module_calls.len() {
            let call = &self.modules[id.0 as usize].module_calls[index];
            let Some(source) = call.source.clone() else {
                continue;
            };
            if !is_local_source(&source) {
                let note = remote_module_note(call, &source);
                self.diagnostics.push(note);
                continue;
            }
            let target = join_module_path(&dir, &source.replace('\\', "/"))
                .and_then(|path| self.module_for_dir(&path, reader, id, index));
            self.modules[id.0 as usize].module_calls[index].target = target;
        }
    }

    fn module_for_dir(
        &mut self,
        path: &str,
        reader: &dyn ModuleReader,
        caller: ModuleId,
        index: usize,
    ) -> Option<ModuleId> {
        if let Some(found) = self.modules.iter().position(|m| m.dir == path) {
            return Some(ModuleId(found as u32));
        }
        let call = &self.module(caller).module_calls[index];
        let span = call
            .block
            .attr("source")
            .map_or(call.block.span, Attr::value_span);
        let file = Some(call.block.file);
        if self.modules.len() >= MAX_MODULES {
            self.diagnostics.push(FileDiagnostic {
                file,
                diagnostic: Diagnostic::new(
                    DiagnosticKind::TemplateProblem,
                    format!("more than {MAX_MODULES} module directories; this one is not read"),
                    Label::primary(span, "not read"),
                ),
            });
            return None;
        }
        let Some(files) = reader.read_dir(path) else {
            self.diagnostics.push(FileDiagnostic {
                file,
                diagnostic: Diagnostic::new(
                    DiagnosticKind::TemplateProblem,
                    format!("the module directory `{}` cannot be read", escape(path)),
                    Label::primary(span, "no such module directory"),
                ),
            });
            return None;
        };
        Some(self.add_module(path, files))
    }

    fn add_module(&mut self, dir: &str, mut files: Vec<SourceFile>) -> ModuleId {
        // Configuration first (names sorted, as Terraform reads them), then
        // variable files in precedence order so later ones overwrite.
        files.sort_by(|a, b| {
            let key = |f: &SourceFile| {
                let name = base_name(f.name());
                let role = file_role(name);
                (
                    role == Some(FileRole::AutoVars),
                    auto_vars_rank(name).0,
                    name.to_owned(),
                )
            };
            key(a).cmp(&key(b))
        });
        let mut module = Module {
            dir: dir.to_owned(),
            ..Module::default()
        };
        for source in files {
            let id = FileId(self.files.len() as u32);
            let role = file_role(base_name(source.name()));
            self.files.push(source);
            module.files.push(id);
            let text = self.files[id.0 as usize].text();
            let mut sink = Vec::new();
            match role {
                Some(FileRole::Config) => {
                    read_native_file(text, id, &mut module, &mut sink, self.resource_arguments);
                }
                Some(FileRole::ConfigJson) => match parse_json(text) {
                    Ok((expr, warnings)) => {
                        sink.extend(warnings);
                        let read = (module.resources.len(), module.data.len());
                        read_config_json(&expr, id, &mut module);
                        keep_only(&mut module, read, self.resource_arguments);
                    }
                    Err(error) => sink.push(*error),
                },
                Some(FileRole::AutoVars) => {
                    read_vars_file(text, id, &mut module.auto_vars, &mut sink);
                }
                None => {}
            }
            self.diagnostics
                .extend(sink.into_iter().map(|diagnostic| FileDiagnostic {
                    file: Some(id),
                    diagnostic,
                }));
        }
        self.modules.push(module);
        ModuleId((self.modules.len() - 1) as u32)
    }
}

/// Reads a native-syntax configuration file into `module`, a large file
/// one piece at a time (each piece's syntax tree is moved into the module,
/// less what `arguments` leaves out, before the next is parsed). A file that
/// does not parse adds nothing but its error.
fn read_native_file(
    text: &str,
    file: FileId,
    module: &mut Module,
    sink: &mut Vec<Diagnostic>,
    arguments: Option<&'static [&'static str]>,
) {
    let mut part = Module::default();
    let mut piece_sink = Vec::new();
    let outcome = parse_native_pieces(text, |body| {
        let read = (part.resources.len(), part.data.len());
        read_config_body(body, file, &mut part, &mut piece_sink);
        keep_only(&mut part, read, arguments);
    });
    match outcome {
        Pieces::Read(warnings) => {
            sink.extend(warnings);
            sink.append(&mut piece_sink);
        }
        // A piece did not parse: the whole file is read as one.
        Pieces::Whole(Ok((body, warnings))) => {
            part = Module::default();
            sink.extend(warnings);
            read_config_body(body, file, &mut part, sink);
            keep_only(&mut part, (0, 0), arguments);
        }
        Pieces::Whole(Err(error)) => {
            sink.push(*error);
            return;
        }
    }
    module.absorb(part);
}

impl Module {
    /// Adds the blocks of `part` (read from one more file) to the module.
    fn absorb(&mut self, part: Module) {
        self.variables.extend(part.variables);
        self.locals.extend(part.locals);
        self.resources.extend(part.resources);
        self.data.extend(part.data);
        self.module_calls.extend(part.module_calls);
        self.outputs.extend(part.outputs);
    }
}

/// Drops what a linter does not read from the resources and data sources
/// after the first `read.0` and `read.1` (those read before).
fn keep_only(module: &mut Module, read: (usize, usize), arguments: Option<&[&str]>) {
    let Some(arguments) = arguments else { return };
    let new_resources = module.resources[read.0..].iter_mut();
    for resource in new_resources.chain(module.data[read.1..].iter_mut()) {
        keep_arguments(&mut resource.block, arguments);
    }
}

/// Keeps the arguments and nested blocks named in `arguments`, and of
/// those blocks what `arguments` names in turn: a `restore_to_point_in_time`
/// block's presence, an `ingress` block's ports and ranges, a `dynamic`
/// block's `for_each` and `content`.
fn keep_arguments(block: &mut BlockInfo, arguments: &[&str]) {
    block
        .attributes
        .retain(|name, _| arguments.contains(&name.as_str()));
    block
        .blocks
        .retain(|(kind, _)| arguments.contains(&kind.as_str()));
    for (_, nested) in &mut block.blocks {
        keep_arguments(nested, arguments);
    }
    for attr in block.attributes.values_mut() {
        ShrinkTraversals.visit_expr_mut(&mut attr.expr);
    }
}

/// Gives back the room the parser's traversal lists keep for more
/// operators (`var.port` holds one operator in room for four): what a
/// large module keeps of its syntax tree is mostly traversals.
struct ShrinkTraversals;

impl hcl_edit::visit_mut::VisitMut for ShrinkTraversals {
    fn visit_traversal_mut(&mut self, node: &mut hcl_edit::expr::Traversal) {
        node.operators.shrink_to_fit();
        hcl_edit::visit_mut::visit_traversal_mut(self, node);
    }
}

/// A note saying a remote module is not fetched, on its `source`.
fn remote_module_note(call: &ModuleCall, source: &str) -> FileDiagnostic {
    let span = call
        .block
        .attr("source")
        .map_or(call.block.span, Attr::value_span);
    let mut diagnostic = Diagnostic::new(
        DiagnosticKind::TemplateProblem,
        format!(
            "module `{}` comes from `{}`, which is not fetched; its resources are not checked",
            escape(&call.name),
            escape(source)
        ),
        Label::primary(span, "remote module"),
    );
    diagnostic.severity = Severity::Note;
    FileDiagnostic {
        file: Some(call.block.file),
        diagnostic,
    }
}

/// Reads a variable definitions file (`terraform.tfvars`, a `--var-file`)
/// into `into`, later values overwriting earlier ones.
pub fn read_vars_file(
    text: &str,
    file: FileId,
    into: &mut BTreeMap<String, Attr>,
    sink: &mut Vec<Diagnostic>,
) {
    read_vars_text(text, text.trim_start().starts_with('{'), file, into, sink);
}

fn read_vars_text(
    text: &str,
    json: bool,
    file: FileId,
    into: &mut BTreeMap<String, Attr>,
    sink: &mut Vec<Diagnostic>,
) {
    if json {
        match parse_json(text) {
            Ok((expr, warnings)) => {
                sink.extend(warnings);
                for (name, attr) in object_entries(&expr, file) {
                    into.insert(name, attr);
                }
            }
            Err(error) => sink.push(*error),
        }
        return;
    }
    match parse_native(text) {
        Ok((body, warnings)) => {
            sink.extend(warnings);
            for attr in body.attributes() {
                into.insert(attr.key.as_str().to_owned(), attr_of(attr, file));
            }
        }
        Err(error) => sink.push(*error),
    }
}

fn attr_of(attr: &hcl_edit::structure::Attribute, file: FileId) -> Attr {
    Attr {
        file,
        key_span: span_of(&attr.key).unwrap_or_default(),
        expr: Box::new(attr.value.clone()),
    }
}

/// The arguments and nested blocks of a body, moved out of the parsed
/// file (a large module is not held twice).
fn block_info(body: Body, file: FileId, span: Span, leading_comments: String) -> BlockInfo {
    let mut info = BlockInfo {
        file,
        span,
        leading_comments,
        ..BlockInfo::default()
    };
    for structure in body {
        match structure {
            Structure::Attribute(attr) => {
                // hcl-edit already rejects an argument written twice, as Terraform does.
                let key_span = span_of(&attr.key).unwrap_or_default();
                let name = attr.key.as_str().to_owned();
                info.attributes.insert(
                    name,
                    Attr {
                        file,
                        key_span,
                        expr: Box::new(attr.value),
                    },
                );
            }
            Structure::Block(block) => {
                let span = span_of(&block).unwrap_or(span);
                let comments = comments_above(&block);
                let ident = block.ident.as_str().to_owned();
                let labels = block
                    .labels
                    .iter()
                    .map(|label| label.as_str().to_owned())
                    .collect();
                let mut nested = block_info(block.body, file, span, comments);
                nested.labels = labels;
                info.blocks.push((ident, nested));
            }
        }
    }
    info
}

fn comments_above(block: &hcl_edit::structure::Block) -> String {
    use hcl_edit::Decorate;
    block
        .decor()
        .prefix()
        .map(|raw| {
            // A piece of a large file is parsed after blanks that stand for
            // the text before it; they are not part of any comment.
            let text: &str = raw;
            text.trim_start_matches(' ').to_owned()
        })
        .unwrap_or_default()
}

fn read_config_body(body: Body, file: FileId, module: &mut Module, sink: &mut Vec<Diagnostic>) {
    for attr in body.attributes() {
        sink.push(Diagnostic::new(
            DiagnosticKind::Syntax,
            format!(
                "unexpected argument `{}` outside any block",
                escape(attr.key.as_str())
            ),
            Label::primary(span_of(&attr.key).unwrap_or_default(), "not inside a block"),
        ));
    }
    for structure in body {
        let Structure::Block(block) = structure else {
            continue;
        };
        let span = span_of(&block).unwrap_or_default();
        let labels: Vec<String> = block
            .labels
            .iter()
            .map(|label| label.as_str().to_owned())
            .collect();
        let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
        let comments = comments_above(&block);
        let kind = block.ident.as_str().to_owned();
        let info = block_info(block.body, file, span, comments);
        add_block(module, &kind, &labels, info);
    }
}

/// Adds one top-level block, whichever syntax it was written in.
fn add_block(module: &mut Module, kind: &str, labels: &[&str], info: BlockInfo) {
    match (kind, labels) {
        ("resource" | "data", [resource_type, name]) => {
            let resource = Resource {
                kind: (*resource_type).to_owned(),
                name: (*name).to_owned(),
                block: info,
            };
            if kind == "data" {
                module.data.push(resource);
            } else {
                module.resources.push(resource);
            }
        }
        ("variable", [name]) => {
            let allowed = allowed_values(&info, name);
            module.variables.insert(
                (*name).to_owned(),
                Variable {
                    block: info,
                    allowed,
                },
            );
        }
        ("locals", []) => {
            module.locals.extend(info.attributes);
        }
        ("module", [name]) => {
            let source = info.attr("source").and_then(|a| literal_string(&a.expr));
            module.module_calls.push(ModuleCall {
                name: (*name).to_owned(),
                block: info,
                source,
                target: None,
            });
        }
        ("output", [name]) => {
            module.outputs.insert((*name).to_owned(), info);
        }
        _ => {}
    }
}

/// The string of a plain string literal (or a template with no interpolation).
#[must_use]
pub fn literal_string(expr: &Expression) -> Option<String> {
    match expr {
        Expression::String(text) => Some(text.value().clone()),
        Expression::StringTemplate(template) => {
            let mut out = String::new();
            for element in template {
                out.push_str(element.as_literal()?.value());
            }
            Some(out)
        }
        _ => None,
    }
}

/// The list `[...]` in a validation `condition = contains([...], var.<name>)`.
fn allowed_values(info: &BlockInfo, name: &str) -> Option<Attr> {
    info.blocks
        .iter()
        .filter(|(kind, _)| kind == "validation")
        .filter_map(|(_, validation)| validation.attr("condition"))
        .find_map(|condition| {
            let Expression::FuncCall(call) = unwrap_interpolation(&condition.expr) else {
                return None;
            };
            if call.name.name.as_str() != "contains" || call.args.len() != 2 {
                return None;
            }
            let list = call.args.get(0)?;
            let subject = call.args.get(1)?;
            (list.is_array() && is_var_reference(subject, name)).then(|| Attr {
                file: condition.file,
                key_span: condition.key_span,
                expr: Box::new(list.clone()),
            })
        })
}

fn is_var_reference(expr: &Expression, name: &str) -> bool {
    use hcl_edit::expr::TraversalOperator;
    let Expression::Traversal(traversal) = unwrap_interpolation(expr) else {
        return false;
    };
    matches!(&traversal.expr, Expression::Variable(root) if root.as_str() == "var")
        && traversal.operators.len() == 1
        && matches!(traversal.operators[0].value(), TraversalOperator::GetAttr(attr) if attr.as_str() == name)
}

/// `"${expr}"` is `expr`: JSON syntax writes every expression so.
#[must_use]
pub fn unwrap_interpolation(expr: &Expression) -> &Expression {
    match expr {
        Expression::StringTemplate(template) if template.len() == 1 => {
            match template.iter().next().and_then(|e| e.as_interpolation()) {
                Some(interpolation) => unwrap_interpolation(&interpolation.expr),
                None => expr,
            }
        }
        Expression::Parenthesis(inner) => unwrap_interpolation(inner.inner()),
        _ => expr,
    }
}

/// The entries of an object expression as arguments.
fn object_entries(expr: &Expression, file: FileId) -> Vec<(String, Attr)> {
    let Some(object) = expr.as_object() else {
        return Vec::new();
    };
    object
        .iter()
        .filter_map(|(key, value)| {
            let name = object_key_text(key)?;
            let key_span = match key {
                ObjectKey::Ident(ident) => span_of(ident),
                ObjectKey::Expression(expr) => span_of(expr),
            }
            .unwrap_or_default();
            Some((
                name,
                Attr {
                    file,
                    key_span,
                    expr: Box::new(value.expr().clone()),
                },
            ))
        })
        .collect()
}

/// The text of an object key (`port` or `"port"`).
#[must_use]
pub fn object_key_text(key: &ObjectKey) -> Option<String> {
    match key {
        ObjectKey::Ident(ident) => Some(ident.as_str().to_owned()),
        ObjectKey::Expression(expr) => literal_string(expr),
    }
}

/// A JSON object (or an array of them, which Terraform's JSON syntax also
/// allows for blocks) as a block; also an object written as an argument's
/// list item (`ingress = [{ from_port = 6379, ... }]`).
pub(crate) fn json_block(expr: &Expression, file: FileId) -> Vec<BlockInfo> {
    match expr {
        Expression::Array(items) => items
            .iter()
            .flat_map(|item| json_block(item, file))
            .collect(),
        Expression::Object(_) => {
            let mut info = BlockInfo {
                file,
                span: span_of(expr).unwrap_or_default(),
                ..BlockInfo::default()
            };
            for (name, attr) in object_entries(expr, file) {
                if name == "validation" || name == "lifecycle" {
                    for nested in json_block(&attr.expr, file) {
                        info.blocks.push((name.clone(), nested));
                    }
                }
                info.attributes.insert(name, attr);
            }
            vec![info]
        }
        _ => Vec::new(),
    }
}

fn read_config_json(root: &Expression, file: FileId, module: &mut Module) {
    for (kind, attr) in object_entries(root, file) {
        match kind.as_str() {
            "resource" | "data" => {
                for (resource_type, by_name) in object_entries(&attr.expr, file) {
                    for (name, body) in object_entries(&by_name.expr, file) {
                        for info in json_block(&body.expr, file) {
                            let resource = Resource {
                                kind: resource_type.clone(),
                                name: name.clone(),
                                block: info,
                            };
                            if kind == "data" {
                                module.data.push(resource);
                            } else {
                                module.resources.push(resource);
                            }
                        }
                    }
                }
            }
            "variable" | "module" | "output" => {
                for (name, body) in object_entries(&attr.expr, file) {
                    for info in json_block(&body.expr, file) {
                        add_block(module, &kind, &[name.as_str()], info);
                    }
                }
            }
            "locals" => {
                for info in json_block(&attr.expr, file) {
                    add_block(module, "locals", &[], info);
                }
            }
            _ => {}
        }
    }
}

/// Text from an input, made safe for a terminal: control characters escaped.
#[must_use]
pub fn escape(text: &str) -> String {
    text.chars()
        .flat_map(char::escape_debug)
        .collect::<String>()
        .replace("\\'", "'")
        .replace("\\\"", "\"")
}

/// A [`ModuleReader`] over files held in memory, keyed by directory: for
/// tests, fuzzing and callers that already have the text.
#[derive(Debug, Default)]
pub struct MemoryReader {
    dirs: BTreeMap<String, Vec<(String, String)>>,
}

impl MemoryReader {
    /// An empty reader.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a file `name` with `text` to directory `dir`.
    #[must_use]
    pub fn with_file(mut self, dir: &str, name: &str, text: &str) -> Self {
        self.dirs
            .entry(dir.to_owned())
            .or_default()
            .push((name.to_owned(), text.to_owned()));
        self
    }
}

impl ModuleReader for MemoryReader {
    fn read_dir(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let files = self.dirs.get(dir)?;
        Some(
            files
                .iter()
                .filter(|(name, _)| file_role(name).is_some())
                .map(|(name, text)| SourceFile::new(format!("{dir}/{name}"), text.clone()))
                .collect(),
        )
    }
}
