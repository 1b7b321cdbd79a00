#!/usr/bin/env bash
# Builds the Dockerfile and lints a template with the image, when a
# container engine is available; otherwise says plainly that it skipped.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
engine=${CONTAINER_ENGINE:-docker}

if ! command -v "$engine" >/dev/null 2>&1 || ! "$engine" info >/dev/null 2>&1; then
  echo "test-container: SKIPPED: no container engine answers (\`$engine info\` failed); the Dockerfile was not built"
  exit 0
fi

tag=cfn-port-lint-test:$$
trap '"$engine" rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
"$engine" build -q -t "$tag" "$repo" >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"; "$engine" rmi -f "$tag" >/dev/null 2>&1 || true' EXIT
cp "$repo/examples/cache-parameter-default.yaml" "$work/"
code=0
out=$("$engine" run --rm -v "$work:/src:ro" "$tag" --format compact .) || code=$?
if [ "$code" != 1 ] || ! grep -q 'cache-parameter-default.yaml:17:13: warning\[EC-012\]' <<<"$out"; then
  printf '%s\n' "$out"
  echo "test-container: FAILED: expected exit 1 and the EC-012 finding, got exit $code" >&2
  exit 1
fi
"$engine" run --rm --entrypoint sh "$tag" -c 'cfn-port-lint --version' | grep -q '^cfn-port-lint ' || {
  echo "test-container: FAILED: the image has no shell for CI scripts" >&2
  exit 1
}
echo "test-container: the image builds, lints and has a shell"
