#!/usr/bin/env python3
"""Checks panmun's JSON outputs against docs/schemas (python3-jsonschema, draft 2020-12).

Usage: check_json_outputs.py [--require-all] DIR
DIR holds the outputs the end-to-end tests captured (tests/helpers.hpp writes one file per run
of panmun-query or panmun-index with --json or --jsonl when PANMUN_JSON_CAPTURE names DIR): each
a JSON object {"command": ..., "stdout": ...}. Each output is checked against the schema of its
command; an output no schema covers is an error. With --require-all, a schema no output used is
an error too."""
import json
import os
import re
import sys

import jsonschema

SCHEMAS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "schemas")


def load_schemas():
    store, by_name = {}, {}
    for name in sorted(os.listdir(SCHEMAS)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(SCHEMAS, name), encoding="utf-8") as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        store[schema["$id"]] = schema
        by_name[name] = schema
    return store, by_name


def make_validator(schema, store):
    """A validator that resolves references among our schemas only, never on the network:
    through `referencing` (jsonschema 4.18 and later), else RefResolver (Debian 12's 4.10)."""
    try:
        import referencing
        import referencing.jsonschema
    except ImportError:
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return jsonschema.Draft202012Validator(schema, resolver=resolver)
    registry = referencing.Registry().with_resources(
        (uri, referencing.Resource.from_contents(contents, referencing.jsonschema.DRAFT202012))
        for uri, contents in store.items())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def schema_for(command):
    """The schema file of a command line's output, and whether it is JSON Lines."""
    m = re.search(r"panmun-(query|index)['\"]?\s+([a-z]+)", command)
    if not m:
        return None, False
    program, sub = m.groups()
    lines = re.search(r"\s--jsonl(\s|$)", command) is not None
    if program == "query":
        if sub in ("search", "like"):
            return ("search-line.json" if lines else "search.json"), lines
        if sub == "show":
            return "show.json", False
        if sub == "entities":
            if re.search(r"\s--with[\s=]", command):
                return "entities-with.json", False
            if re.search(r"\s--discover(\s|$)", command):
                return "entities-discover.json", False
            return "entities.json", False
    else:
        names = {"build": "update-report.json", "add": "update-report.json",
                 "sync": "update-report.json", "delete": "delete-report.json",
                 "retag": "retag-report.json", "stats": "stats.json", "verify": "verify.json"}
        if sub in names:
            return names[sub], False
    return None, False


def main(argv):
    require_all = "--require-all" in argv
    args = [a for a in argv if a != "--require-all"]
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    directory = args[0]
    store, by_name = load_schemas()
    resolver_store = dict(store)
    used = {name: 0 for name in by_name if name != "common.json"}
    problems = []
    files = sorted(os.listdir(directory)) if os.path.isdir(directory) else []
    for name in files:
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            captured = json.load(f)
        command, stdout = captured["command"], captured["stdout"]
        schema_name, lines = schema_for(command)
        if not schema_name:
            problems.append(f"{name}: no schema covers the output of: {command}")
            continue
        validator = make_validator(by_name[schema_name], resolver_store)
        documents = [l for l in stdout.splitlines() if l.strip()] if lines else [stdout]
        for number, text in enumerate(documents, 1):
            try:
                document = json.loads(text)
            except json.JSONDecodeError as e:
                problems.append(f"{name}: not JSON ({e}): {command}")
                continue
            errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
            for e in errors[:3]:
                where = "/".join(str(p) for p in e.absolute_path) or "(top)"
                line = f" line {number}" if lines else ""
                problems.append(f"{name}{line}: {schema_name}: at {where}: {e.message[:300]}"
                                f"\n    command: {command}")
        used[schema_name] += 1
    if require_all:
        for schema_name, count in used.items():
            if not count:
                problems.append(f"{schema_name}: no output checked against it")
    for p in problems:
        print(f"check_json_outputs: {p}", file=sys.stderr)
    summary = ", ".join(f"{n} {c}" for n, c in sorted(used.items()))
    print(f"check_json_outputs: {len(files)} outputs ({summary}): "
          f"{'ok' if not problems else str(len(problems)) + ' problem(s)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
