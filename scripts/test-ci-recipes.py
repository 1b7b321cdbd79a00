#!/usr/bin/env python3
"""Runs the README's CI recipes (docs/recipes/) as far as a machine without
GitHub or GitLab can.

- GitHub: the composite action in action.yml, with the inputs the workflow
  recipe gives it, the way a runner would: each `shell: bash` step runs
  with the runner's environment (GITHUB_ACTION_PATH, RUNNER_TEMP,
  GITHUB_OUTPUT), `${{ inputs.* }}` and `${{ steps.*.outputs.* }}` filled
  in, and `if:` conditions evaluated; the `uses:` step (the SARIF upload)
  is checked for the inputs it would get instead of run, and the SARIF log
  is read with sarif-tools.
- GitLab: the job's `script:` lines, run in order as GitLab runs them (the
  first failing line fails the job), with the `cargo install --git` line
  installing from this checkout instead; the code quality report is checked.

Usage: python3 scripts/test-ci-recipes.py   (needs PyYAML, which the CI venv
has through pre-commit). Builds the tool once in release mode, in
CARGO_TARGET_DIR (default: this repository's target/).
"""

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((REPO / "action.yml").read_text())
RECIPES = REPO / "docs" / "recipes"
GIT_URL = "https://github.com/cfn-port-lint/cfn-port-lint"

FINDING = """Resources:
  Cache:
    Type: AWS::ElastiCache::CacheCluster
    Properties:
      Engine: memcached
      CacheNodeType: cache.t3.micro
      NumCacheNodes: 1
      Port: 11211
"""
CLEAN = FINDING.replace("Port: 11211", "Port: 13611")


def fail(message):
    print(f"test-action: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def expression(text, inputs, outputs):
    """The value of a `${{ }}` expression or `if:` condition, for the
    shapes action.yml uses: inputs, step outputs, ==, != and &&."""

    def lookup(match):
        if match.group(1):
            return repr(inputs[match.group(1)])
        return repr(outputs.get(match.group(2), {}).get(match.group(3), ""))

    python = re.sub(
        r"inputs\.([\w-]+)|steps\.([\w-]+)\.outputs\.([\w-]+)", lookup, text
    ).replace("&&", " and ")
    return eval(python, {"__builtins__": {}})  # noqa: S307 - our own file


def substitute(text, inputs, outputs):
    return re.sub(
        r"\$\{\{\s*(.*?)\s*\}\}",
        lambda m: str(expression(m.group(1), inputs, outputs)),
        text,
    )


def run_action(workspace, given, temp):
    """Runs every step; returns (step outputs, the upload's inputs or None,
    the status of the job)."""
    inputs = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    inputs.update(given)
    outputs, upload = {}, None
    for step in ACTION["runs"]["steps"]:
        condition = step.get("if")
        if condition is not None and not expression(condition, inputs, outputs):
            continue
        if "uses" in step:
            if not step["uses"].startswith("github/codeql-action/upload-sarif@"):
                fail(f"unexpected action {step['uses']}")
            upload = {k: substitute(v, inputs, outputs) for k, v in step["with"].items()}
            continue
        output_file = temp / f"output-{step.get('id', 'step')}"
        output_file.write_text("")
        env = dict(os.environ)
        env.update(
            GITHUB_ACTION_PATH=str(REPO),
            RUNNER_TEMP=str(temp),
            GITHUB_OUTPUT=str(output_file),
        )
        for key, value in step.get("env", {}).items():
            env[key] = substitute(str(value), inputs, outputs)
        script = substitute(step["run"], inputs, outputs)
        done = subprocess.run(
            ["bash", "-e", "-c", script], cwd=workspace, env=env, capture_output=True, text=True
        )
        if done.returncode != 0:
            return outputs, upload, (step["name"], done.returncode, done.stdout + done.stderr)
        if "id" in step:
            pairs = [line.split("=", 1) for line in output_file.read_text().splitlines()]
            outputs[step["id"]] = dict(pairs)
            outputs[f"{step['id']}-log"] = done.stdout + done.stderr
    return outputs, upload, None


def workflow_inputs():
    """The `with:` the workflow recipe gives this action."""
    workflow = yaml.safe_load((RECIPES / "github-actions.yml").read_text())
    for step in workflow["jobs"]["lint"]["steps"]:
        if step.get("uses", "").startswith("cfn-port-lint/cfn-port-lint@"):
            return {k: str(v) for k, v in step.get("with", {}).items()}
    fail("the workflow recipe does not use the action")


def test_action(tmp):
    workspace, temp = tmp / "workspace", tmp / "runner-temp"
    (workspace / "stacks").mkdir(parents=True)
    temp.mkdir()
    (workspace / "stacks" / "cache.yaml").write_text(FINDING)
    (workspace / "docker-compose.yaml").write_text("services: {}\n")

    print("--- action: a finding is uploaded with its category, then the job fails")
    outputs, upload, failed = run_action(workspace, workflow_inputs(), temp)
    if failed is None or failed[0] != "Fail on findings" or failed[1] != 1:
        fail(f"expected the last step to fail with status 1, got {failed!r}")
    if "::error title=cfn-port-lint::" not in failed[2]:
        fail(f"the failing step gives no annotation: {failed[2]}")
    if "warning[EC-012]" not in outputs["lint-log"]:
        fail(f"the job log does not show the finding: {outputs['lint-log']}")
    lint = outputs["lint"]
    if lint["exit-code"] != "1":
        fail(f"exit-code output is {lint['exit-code']!r}")
    if upload != {"sarif_file": lint["sarif-file"], "category": "cfn-port-lint"}:
        fail(f"upload-sarif would get {upload!r}")
    sarif = json.loads(Path(lint["sarif-file"]).read_text())
    run = sarif["runs"][0]
    if run.get("automationDetails", {}).get("id") != "cfn-port-lint/":
        fail(f"automationDetails is {run.get('automationDetails')!r}")
    rules = [r["ruleId"] for r in run["results"]]
    if rules != ["EC-012"]:
        fail(f"results are {rules!r}")
    location = run["results"][0]["locations"][0]["physicalLocation"]
    if location["artifactLocation"]["uri"] != "stacks/cache.yaml":
        fail("the result's uri is not relative to the workspace")
    read_with_sarif_tools(lint["sarif-file"])

    print("--- action: clean templates, a glob and extra flags pass")
    (workspace / "stacks" / "cache.yaml").write_text(CLEAN)
    given = {"paths": "stacks/*.yaml", "args": "--fail-level note", "upload": "false"}
    outputs, upload, failed = run_action(workspace, given, temp)
    if failed is not None:
        fail(f"a clean run failed: {failed!r}")
    if upload is not None:
        fail("upload: false still uploaded")
    if outputs["lint"]["exit-code"] != "0":
        fail(f"exit-code output is {outputs['lint']['exit-code']!r}")


def read_with_sarif_tools(path):
    """A second SARIF consumer, Microsoft's sarif-tools (from the CI venv),
    must read the log and count the one warning."""
    tool = Path(sys.executable).parent / "sarif"
    if not tool.exists():
        print(f"--- skipped: sarif-tools is not installed beside {sys.executable}")
        return
    done = subprocess.run([tool, "summary", path], capture_output=True, text=True)
    if done.returncode != 0 or "warning: 1" not in done.stdout or "EC-012" not in done.stdout:
        fail(f"sarif-tools read the log as: {done.stdout}{done.stderr}")
    print("--- sarif-tools reads the log: 1 warning, EC-012")


def test_gitlab(tmp):
    job = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text())["cfn-port-lint"]
    report_name = job["artifacts"]["reports"]["codequality"]
    if job["artifacts"].get("when") != "always":
        fail("the GitLab job would not upload the report when findings fail it")
    root = tmp / "gitlab-tools"
    project = tmp / "gitlab-project"
    (project / "stacks").mkdir(parents=True)
    (project / "stacks" / "cache.yaml").write_text(FINDING)
    env = dict(os.environ, PATH=f"{root / 'bin'}{os.pathsep}{os.environ['PATH']}")
    install = f"cargo install --locked --git {GIT_URL} cfn-port-cli"

    print("--- GitLab: the job fails on a finding and its report names it")
    status = 0
    log = ""
    for line in job["script"]:
        if line == install:
            line = f"cargo install --locked --quiet --path '{REPO / 'cfn-port-cli'}' --root '{root}'"
        done = subprocess.run(["sh", "-c", line], cwd=project, env=env, capture_output=True, text=True)
        status, log = done.returncode, log + done.stdout + done.stderr
        if status != 0:
            break
    if "warning[EC-012]" not in log:
        fail(f"the job log does not show the finding: {log}")
    if status != 1:
        fail(f"the job's script ended with status {status}, not 1")
    issues = json.loads((project / report_name).read_text())
    expected = {
        "type": "issue",
        "check_name": "EC-012",
        "severity": "minor",
        "location": {"path": "stacks/cache.yaml", "lines": {"begin": 8}},
    }
    if len(issues) != 1 or any(issues[0].get(k) != v for k, v in expected.items()):
        fail(f"the code quality report is {issues!r}")
    if not issues[0]["description"] or not re.fullmatch(r"[0-9a-f]{16}", issues[0]["fingerprint"]):
        fail(f"the issue lacks a description or fingerprint: {issues[0]!r}")
    junit = (project / job["artifacts"]["reports"]["junit"]).read_text()
    if 'file="stacks/cache.yaml"' not in junit or "<failure" not in junit:
        fail(f"the JUnit report does not fail stacks/cache.yaml: {junit}")


def main():
    os.environ.setdefault("CARGO_TARGET_DIR", str(REPO / "target"))
    with tempfile.TemporaryDirectory() as tmp:
        test_action(Path(tmp))
        test_gitlab(Path(tmp))
    print("--- the action and the GitLab recipe install, lint, report and fail as documented")


if __name__ == "__main__":
    main()
