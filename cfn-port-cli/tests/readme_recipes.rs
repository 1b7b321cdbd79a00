//! The README's CI recipes are the files under `docs/recipes/` that CI runs
//! (`scripts/test-pre-commit.sh`, `scripts/test-ci-recipes.py`), so each must
//! appear in the README verbatim, as a fenced `yaml` block.

use std::fs;
use std::path::Path;

#[test]
fn readme_recipes_are_the_files_ci_runs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let readme = fs::read_to_string(root.join("README.md")).expect("README.md is readable");
    let mut recipes: Vec<_> = fs::read_dir(root.join("docs/recipes"))
        .expect("docs/recipes exists")
        .map(|entry| entry.expect("docs/recipes is readable").path())
        .collect();
    recipes.sort();
    assert!(recipes.len() >= 3, "the recipes are missing: {recipes:?}");
    for path in recipes {
        let recipe = fs::read_to_string(&path).expect("a recipe is readable");
        let block = format!("```yaml\n{recipe}```\n");
        assert!(
            readme.contains(&block),
            "README.md does not hold {} verbatim in a ```yaml block",
            path.display()
        );
    }
}
