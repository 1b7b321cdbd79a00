//! Helpers shared by the integration tests that read Terraform modules.

use cfn_port_rules::SourceFile;
use cfn_port_rules::terraform::ModuleReader;
use cfn_port_rules::terraform::files::file_role;

/// Reads module directories from disk, as the command line does: the files
/// of a directory that belong to a module, each named by its path.
pub struct DiskReader;

impl ModuleReader for DiskReader {
    fn read_dir(&self, dir: &str) -> Option<Vec<SourceFile>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).ok()? {
            let path = entry.ok()?.path();
            let name = path.file_name()?.to_str()?;
            if path.is_file() && file_role(name).is_some() {
                let bytes = std::fs::read(&path).ok()?;
                files.extend(SourceFile::from_bytes(path.display().to_string(), bytes).ok());
            }
        }
        Some(files)
    }
}
