#!/usr/bin/env python3
"""Writes a JSON twin of each YAML fixture of the rules under testdata/
(ec012/, rds011/, cpl001/ ...), using
cfn-lint's template decoder (an independent YAML reader that turns short tags
into long forms), so every case is checked in both formats.

Run by hand after adding a YAML fixture: `pip install cfn-lint` first.
The JSON twins are committed; CI does not need cfn-lint.
"""
import json
import pathlib
import sys

from cfnlint.decode import decode_str

testdata = pathlib.Path(__file__).resolve().parent.parent / "testdata"
RULE_FOLDERS = ["ec012", "rds011", "cpl001", "cpl002", "cpl003", "cpl004"]
# `scripts/yaml-fixtures-to-json.py rds011` writes the twins of one folder.
folders = sys.argv[1:] or RULE_FOLDERS
paths = [p for folder in folders for p in sorted((testdata / folder).glob("*/*.yaml"))]
root = testdata / "ec012"
for path in paths:
    if "positions" in path.name:
        continue  # pinned byte-for-byte as written; has its own JSON fixture
    template, matches = decode_str(path.read_text(encoding="utf-8-sig"))
    if matches:
        sys.exit(f"{path}: {matches}")
    target = path.with_suffix(".json")
    target.write_text(json.dumps(template, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target.relative_to(root.parent.parent)}")
