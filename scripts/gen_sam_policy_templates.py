#!/usr/bin/env python3
"""Generate crates/warden-cfn/data/sam_policy_templates.json from aws-sam-translator.

The SAM translator (Apache-2.0) ships the definition of every SAM policy template in
`samtranslator/policy_templates_data/policy_templates.json`. This script downloads a pinned
wheel from PyPI (checking its SHA-256), reads that file and writes the part Warden needs to
expand templates: each template's parameter names and its policy `Definition`, as in the
source. Descriptions are dropped. The output is compact JSON with sorted keys, so running the
script again with the same pin produces the same bytes.

Usage: python3 scripts/gen_sam_policy_templates.py
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "aws-sam-translator"
VERSION = "1.115.0"
WHEEL = f"aws_sam_translator-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "9be2d7b04041a64e89ed3fb1186f948377ecc118033a8a7538f271d4bcab0afa"
MEMBER = "samtranslator/policy_templates_data/policy_templates.json"

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "crates" / "warden-cfn" / "data" / "sam_policy_templates.json"


def download_wheel(directory: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "--quiet",
            "--dest",
            str(directory),
            f"{PACKAGE}=={VERSION}",
        ],
        check=True,
    )
    wheel = directory / WHEEL
    if not wheel.is_file():
        found = sorted(p.name for p in directory.iterdir())
        sys.exit(f"expected {WHEEL} after pip download, found {found}")
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{WHEEL}: SHA-256 {digest} does not match the pinned {WHEEL_SHA256}")
    return wheel


def convert(source: dict) -> dict:
    templates = source.get("Templates")
    if not isinstance(templates, dict) or not templates:
        sys.exit(f"{MEMBER}: no `Templates` object")
    out = {}
    for name, template in templates.items():
        parameters = template.get("Parameters", {})
        definition = template.get("Definition")
        if not isinstance(parameters, dict) or not isinstance(definition, dict):
            sys.exit(f"{MEMBER}: template {name} has no Parameters/Definition objects")
        out[name] = {
            # Declaration order, as documented by SAM; error messages name the first missing one.
            "parameters": list(parameters),
            "definition": definition,
        }
    return {
        "source": f"{PACKAGE} {VERSION} (PyPI), {MEMBER}",
        "licence": "Apache-2.0",
        "generated_by": "scripts/gen_sam_policy_templates.py",
        "templates": out,
    }


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="sam-translator-") as tmp:
        wheel = download_wheel(Path(tmp))
        with zipfile.ZipFile(wheel) as archive:
            source = json.loads(archive.read(MEMBER).decode("utf-8"))
    data = convert(source)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(data['templates'])} templates from {PACKAGE} {VERSION}")


if __name__ == "__main__":
    main()
