#!/usr/bin/env bash
# Drives the real pre-commit against a temporary git repository that uses
# this repository's hook the way the README recipe says:
#
#   1. first use: pre-commit builds and installs the tool itself
#      (`language: rust`), with no cfn-port-lint on PATH;
#   2. a commit that adds a template with a default port is refused;
#   3. a clean commit passes, with a docker-compose file, a workflow, the
#      pre-commit config and an excluded template staged beside it, and the
#      hook says nothing about them;
#   4. a Terraform module with a default port is refused by the Terraform
#      hook, once although two of its files are staged, and passes once fixed.
#
# The hook is built from HEAD: commit before running this. Usage:
#   scripts/test-pre-commit.sh [PRE_COMMIT]   (default: pre-commit on PATH)
# CARGO_TARGET_DIR defaults to this repository's target/, so the hook's
# release build reuses what is already built.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
pre_commit=${1:-pre-commit}
# The test runs from a temporary directory: a path to the program must be
# absolute there.
case $pre_commit in
*/*) pre_commit=$(cd "$(dirname "$pre_commit")" && pwd)/$(basename "$pre_commit") ;;
esac
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$repo/target}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME=$work/cache # a fresh cache: the first install is tested
project=$work/project

fail() {
  printf 'test-pre-commit: FAILED: %s\n' "$*" >&2
  exit 1
}
step() { printf -- '--- %s\n' "$*"; }

rev=$(git -C "$repo" rev-parse HEAD)
if ! git -C "$repo" diff --quiet HEAD -- .pre-commit-hooks.yaml Cargo.toml hook cfn-port-cli cfn-port-rules; then
  printf 'test-pre-commit: note: uncommitted changes are not tested; the hook is built from %s\n' "$rev"
fi

mkdir -p "$project"
cd "$project"
git init -q
git config user.email ci@example.invalid
git config user.name CI
git config commit.gpgsign false

# The README recipe, pointed at this repository and commit.
recipe=$repo/docs/recipes/pre-commit-config.yaml
sed -e "s|repo: https://github.com/cfn-port-lint/cfn-port-lint|repo: $repo|" \
  -e "s|rev: main .*|rev: $rev|" "$recipe" >.pre-commit-config.yaml
grep -q "rev: $rev" .pre-commit-config.yaml || fail "the recipe's rev line was not found"

if command -v cfn-port-lint-hook >/dev/null 2>&1; then
  fail "cfn-port-lint-hook is already on PATH; the test must show pre-commit installs it"
fi
"$pre_commit" install >/dev/null

mkdir -p stacks legacy .github/workflows
cat >stacks/cache.yaml <<'YAML'
Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      Engine: redis
      CacheNodeType: cache.t3.micro
      NumCacheNodes: 1
      Port: 6379
YAML
step "a commit with a default port is refused (first use builds the hook: minutes)"
git add .pre-commit-config.yaml stacks/cache.yaml
if git commit -q -m "add a cache" >"$work/fail.log" 2>&1; then
  cat "$work/fail.log"
  fail "the commit of a template with port 6379 was accepted"
fi
grep -q 'EC-012' "$work/fail.log" || {
  cat "$work/fail.log"
  fail "the refused commit's output does not name EC-012"
}
grep -q 'stacks/cache.yaml:8:13' "$work/fail.log" || {
  cat "$work/fail.log"
  fail "the refused commit's output does not point at stacks/cache.yaml:8:13"
}
ls "$PRE_COMMIT_HOME"/repo*/rustenv-*/bin/cfn-port-lint-hook >/dev/null 2>&1 ||
  fail "pre-commit did not install cfn-port-lint-hook in its environment"

step "a clean commit passes, and non-templates and excluded files add nothing"
sed -i 's/Port: 6379/Port: 6380/' stacks/cache.yaml
cat >docker-compose.yaml <<'YAML'
services:
  cache:
    image: redis:7
    ports: ["6379:6379"]
YAML
cat >.github/workflows/ci.yml <<'YAML'
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
YAML
printf 'test:\n\techo ok\n' >Makefile
printf 'exclude = ["legacy/"]\n' >.cfn-port-lint.toml
cp stacks/cache.yaml legacy/old.yaml
sed -i 's/Port: 6380/Port: 6379/' legacy/old.yaml
git add -A
git commit -q -m "clean cache, and other files" >"$work/pass.log" 2>&1 || {
  cat "$work/pass.log"
  fail "the clean commit was refused"
}
"$pre_commit" run --all-files --verbose >"$work/verbose.log" 2>&1 || {
  cat "$work/verbose.log"
  fail "pre-commit run --all-files failed on the clean tree"
}
for noise in 'not-a-template' 'not linted' 'legacy/old.yaml' 'Makefile' 'error' 'warning'; do
  if grep -q -- "$noise" "$work/verbose.log"; then
    cat "$work/verbose.log"
    fail "the passing run mentions \`$noise\`"
  fi
done
# pre-commit may split the files between processes, each with its summary.
summaries=$(grep '^Checked ' "$work/verbose.log" || true)
templates=$(sed -n 's/^Checked [0-9]* files\{0,1\} (\([0-9]*\) templates\{0,1\}.*/\1/p' <<<"$summaries" | paste -sd+)
templates=$((templates))
if [ "$templates" != 1 ] || grep -v ': 0 findings in ' <<<"$summaries" | grep -q .; then
  cat "$work/verbose.log"
  fail "the passing run did not check exactly the one template, with no findings"
fi
step "a Terraform module with a default port is refused, linted once for its two staged files"
mkdir -p infra
cat >infra/variables.tf <<'HCL'
variable "port" {
  type    = number
  default = 6379
}
HCL
cat >infra/main.tf <<'HCL'
resource "aws_elasticache_replication_group" "sessions" {
  description = "sessions"
  port        = var.port
}
HCL
git add infra
if git commit -q -m "add a module" >"$work/tf-fail.log" 2>&1; then
  cat "$work/tf-fail.log"
  fail "the commit of a module with port 6379 was accepted"
fi
if [ "$(grep -c 'warning\[EC-012\]' "$work/tf-fail.log")" != 1 ]; then
  cat "$work/tf-fail.log"
  fail "the refused commit should have one EC-012 finding: the module is linted once"
fi
grep -q 'infra/main.tf:3:17' "$work/tf-fail.log" || {
  cat "$work/tf-fail.log"
  fail "the refused commit's output does not point at infra/main.tf:3:17"
}
grep -q 'infra/variables.tf' "$work/tf-fail.log" || {
  cat "$work/tf-fail.log"
  fail "the refused commit's output does not label the variable's default in infra/variables.tf"
}
sed -i 's/default = 6379/default = 6390/' infra/variables.tf
git add infra
git commit -q -m "module on a custom port" >"$work/tf-pass.log" 2>&1 || {
  cat "$work/tf-pass.log"
  fail "the module on a custom port was refused"
}
step "pre-commit: first install, a refused commit and a clean commit all behave"
