#!/usr/bin/env python3
"""Validate every example under schemas/examples/ against its JSON Schema.

    python3 schemas/check_examples.py            # verdicts, as one JSON object
    python3 schemas/check_examples.py --check    # assert valid-* valid, invalid-* invalid
    python3 schemas/check_examples.py --explain  # verdicts and every error, for people

An example's schema is named by its folder: examples/order.place/x.json is
checked against order.place.schema.json, examples/event/x.json against
event.schema.json. Examples are named valid-<what>.json or invalid-<what>.json;
invalid-semantic-<what>.json breaks a rule that no JSON Schema can state (the
Swift validator checks it), so --check skips it.

Default output: one JSON object on stdout, mapping each example's path relative
to schemas/ ("examples/order.place/valid-web.json") to true (valid) or false
(invalid), keys sorted; exit 0. A file that is not JSON counts as invalid.

The validator is jsonschema's Draft202012Validator with a FormatChecker, so
`format` is enforced: `date-time` (RFC 3339, needs the rfc3339-validator
package; the script stops with an error when it is missing) and `email`.
Two departures from stock jsonschema make it follow the JSON Schema spec where
Python's `re` does not:
  * `pattern` uses ECMA-262 semantics for `$` (end of the string only; Python's
    `$` also matches before a final newline, which would let "Ada\\n" through
    `^[^\\u0000-\\u001F\\u007F]*$`) and for `\\s`, `\\d`, `\\w`;
  * `date-time` refuses a trailing newline for the same reason.
Exit status: 0 done; 1 --check found a mismatch; 2 the set-up is broken (a
package or format checker missing, a schema invalid, an example without schema).
"""

import argparse
import json
import re
import sys
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPEC_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def die(message):
    print(f"check_examples: error: {message}", file=sys.stderr)
    sys.exit(2)


try:
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker, ValidationError, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as error:  # pragma: no cover - set-up problem
    die(f"{error}. Install the validator: python3 -m pip install jsonschema rfc3339-validator")


# --- ECMA-262 regular expressions on Python's re ---------------------------

# ECMA-262 WhiteSpace and LineTerminator: what \s matches there.
_ECMA_SPACE = r"\t\n\x0b\x0c\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_CLASS_ESCAPES = {"s": _ECMA_SPACE, "d": "0-9", "w": "A-Za-z0-9_"}


@lru_cache(maxsize=None)
def ecma_regex(pattern):
    """Compile a JSON Schema (ECMA-262) pattern for Python's re with the same
    meaning for the constructs these schemas use: `$` is the end of the input
    (Python's `\\Z`), and `\\s`, `\\d`, `\\w` match what ECMA-262 says."""
    out = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            if i + 1 >= len(pattern):
                raise re.error("pattern ends with a lone backslash", pattern)
            escaped = pattern[i + 1]
            if escaped in _CLASS_ESCAPES:
                body = _CLASS_ESCAPES[escaped]
                out.append(body if in_class else f"[{body}]")
            elif escaped.lower() in _CLASS_ESCAPES:
                if in_class:
                    raise re.error(f"\\{escaped} inside a character class is not supported here", pattern)
                out.append(f"[^{_CLASS_ESCAPES[escaped.lower()]}]")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            out.append(char)
            # A "]" right after "[" or "[^" is a literal in Python but closes an
            # empty class in ECMA-262; none of our patterns do that.
            if pattern[i + 1:i + 2] == "^":
                out.append("^")
                i += 1
        elif char == "$":
            out.append(r"\Z")
        else:
            out.append(char)
        i += 1
    return re.compile("".join(out))


def ecma_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = validators.extend(Draft202012Validator, {"pattern": ecma_pattern})


# --- formats -----------------------------------------------------------------

def format_checker():
    checker = FormatChecker()
    missing = [name for name in ("date-time", "email") if name not in checker.checkers]
    if missing:
        die(f"jsonschema cannot check format {', '.join(missing)} here, so those formats would pass "
            "unchecked. date-time needs the rfc3339-validator package: python3 -m pip install rfc3339-validator")
    rfc3339, raises = checker.checkers["date-time"]

    def date_time(instance):
        if isinstance(instance, str) and "\n" in instance:
            return False  # rfc3339-validator's `$` lets one trailing newline through
        return rfc3339(instance)

    checker.checkers["date-time"] = (date_time, raises)
    # Prove the formats are enforced, not merely annotated.
    for value, fmt, expected in [("2026-11-22T10:00:00Z", "date-time", True),
                                 ("2026-11-22T10:00:00", "date-time", False),
                                 ("2026-02-30T10:00:00Z", "date-time", False),
                                 ("2026-11-22T10:00:00Z\n", "date-time", False),
                                 ("ada@example.com", "email", True),
                                 ("ada.example.com", "email", False)]:
        if checker.conforms(value, fmt) is not expected:
            die(f"format {fmt} is not enforced as expected for {value!r}")
    return checker


# --- schemas and examples ----------------------------------------------------

def load_json(path):
    def no_constants(name):
        raise ValueError(f"{name} is not JSON")
    with open(path, encoding="utf-8") as handle:
        return json.load(handle, parse_constant=no_constants)


def load_schemas():
    """Every *.schema.json beside this script, checked, by file name, and a
    registry that resolves their relative $refs ("common.schema.json#/...")."""
    schemas = {}
    for path in sorted(HERE.glob("*.schema.json")):
        try:
            schema = load_json(path)
        except ValueError as error:
            die(f"{path.name} is not JSON: {error}")
        if schema.get("$schema") != SPEC_DIALECT:
            die(f"{path.name}: $schema must be {SPEC_DIALECT}")
        expected_id = f"https://oms.example/schemas/{path.name}"
        if schema.get("$id") != expected_id:
            die(f"{path.name}: $id must be {expected_id}")
        try:
            Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as error:
            die(f"{path.name} is not a valid JSON Schema: {error.message}")
        schemas[path.name] = schema
    if not schemas:
        die(f"no *.schema.json in {HERE}")
    registry = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT202012))
        for schema in schemas.values())
    return schemas, registry


def examples():
    root = HERE / "examples"
    found = sorted(root.glob("*/*.json"))
    if not found:
        die(f"no examples under {root}")
    return found


def errors_of(validator, path):
    try:
        document = load_json(path)
    except ValueError as error:
        return [f"not JSON: {error}"]
    return [f"{error.json_path}: {error.message}"
            for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help="assert that valid-* examples are valid and invalid-* ones invalid; exit 1 on a mismatch")
    mode.add_argument("--explain", action="store_true", help="print each example's verdict and errors")
    args = parser.parse_args()

    checker = format_checker()
    schemas, registry = load_schemas()
    validators_by_schema = {}
    verdicts, problems = {}, {}
    for path in examples():
        schema_name = f"{path.parent.name}.schema.json"
        if schema_name not in schemas:
            die(f"{path.relative_to(HERE)}: no schema {schema_name} for folder {path.parent.name}")
        if schema_name not in validators_by_schema:
            validators_by_schema[schema_name] = Validator(schemas[schema_name], registry=registry,
                                                          format_checker=checker)
        key = path.relative_to(HERE).as_posix()
        problems[key] = errors_of(validators_by_schema[schema_name], path)
        verdicts[key] = not problems[key]

    if args.explain:
        for key in sorted(verdicts):
            print(f"{'valid  ' if verdicts[key] else 'invalid'} {key}")
            for problem in problems[key]:
                print(f"          {problem}")
        return 0

    if not args.check:
        print(json.dumps(verdicts, indent=2, sort_keys=True))
        return 0

    passed = failed = skipped = 0
    for key in sorted(verdicts):
        name = key.rsplit("/", 1)[-1]
        if name.startswith("invalid-semantic-"):
            skipped += 1
            continue
        if name.startswith("valid-"):
            expected = True
        elif name.startswith("invalid-"):
            expected = False
        else:
            print(f"MISMATCH {key}: name must start with valid- or invalid-")
            failed += 1
            continue
        if verdicts[key] == expected:
            passed += 1
            continue
        failed += 1
        if expected:
            print(f"MISMATCH {key}: expected valid, but:")
            for problem in problems[key]:
                print(f"    {problem}")
        else:
            print(f"MISMATCH {key}: expected invalid, but the schema accepts it")
    summary = f"check_examples: {passed} passed, {failed} failed"
    print(summary + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
