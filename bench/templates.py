#!/usr/bin/env python3
"""List the CloudFormation / SAM templates under a directory, one path a line.

Used by corpus.sh to give cfn-lint the same templates warden and Checkov look at. Mirrors how
`warden scan` picks files: extensions .yaml .yml .json .template, hidden files and directories
skipped, and the content decides: a root `AWSTemplateFormatVersion` key, or a root `Resources`
key with at least one `Type: Vendor::Service::Thing`. It reads text only (no YAML parser), so a
file that fails to parse is still listed when it looks like a template, as warden reports it.
"""

import os
import re
import sys

EXTENSIONS = (".yaml", ".yml", ".json", ".template")
# YAML: the key at column 0; JSON: the quoted key anywhere.
VERSION = re.compile(r'^(?:AWSTemplateFormatVersion\s*:|.*"AWSTemplateFormatVersion"\s*:)', re.M)
RESOURCES = re.compile(r'^(?:Resources\s*:|.*"Resources"\s*:)', re.M)
TYPE = re.compile(r'(?:^\s*-?\s*Type\s*:\s*["\']?|"Type"\s*:\s*")[A-Za-z0-9]+::[A-Za-z0-9]+', re.M)


def is_template(text: str) -> bool:
    return bool(VERSION.search(text)) or (bool(RESOURCES.search(text)) and bool(TYPE.search(text)))


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: templates.py DIR", file=sys.stderr)
        return 2
    found = []
    for dirpath, dirnames, filenames in os.walk(sys.argv[1]):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(EXTENSIONS):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read(16 * 1024 * 1024)
            except OSError:
                continue
            if is_template(text):
                found.append(path)
    for path in found:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
