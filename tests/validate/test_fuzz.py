"""Property-based: mutated copies of a valid connector and arbitrary JSON never make the validator raise, and
it always answers with findings in their data form."""

from __future__ import annotations

import copy
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from connector.validate.findings import RULES, Finding, Reporter, Severity
from connector.validate.properties import check_properties
from connector.validate.script import check_script
from connector.validate.settings import check_settings
from connector.validate.swagger import check_swagger
from connector.jsonio import load_json_text

from .conftest import FIXTURE

SWAGGER = json.loads((FIXTURE / "apiDefinition.swagger.json").read_text())
PROPS = json.loads((FIXTURE / "apiProperties.json").read_text())
SCRIPT = (FIXTURE / "script.csx").read_bytes()

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=25,
)
interesting_keys = st.sampled_from(["$ref", "type", "default", "enum", "required", "in", "name", "schema", "items",
                                    "properties", "parameters", "responses", "x-ms-visibility", "x-ms-trigger",
                                    "x-ms-dynamic-values", "x-ms-notification-url", "operationId", "format",
                                    "x-ms-api-annotation", "x-connector-suppress", "oAuthSettings", "templateId"])


def paths_of(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths_of(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths_of(v, prefix + (i,))


@st.composite
def mutated(draw, base):
    doc = copy.deepcopy(base)
    for _ in range(draw(st.integers(1, 6))):
        all_paths = list(paths_of(doc))
        path = draw(st.sampled_from(all_paths))
        parent = doc
        for p in path[:-1]:
            parent = parent[p]
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if not path:
            doc = draw(json_values)
            continue
        key = path[-1]
        if action == "replace":
            parent[key] = draw(json_values)
        elif action == "delete":
            del parent[key]
        elif isinstance(parent[key], dict):
            parent[key][draw(interesting_keys)] = draw(json_values)
        elif isinstance(parent[key], list):
            parent[key].append(draw(json_values))
    return doc


def assert_data_form(findings):
    for f in findings:
        assert isinstance(f, Finding)
        assert f.rule in RULES and f.rule != "PP0000"
        assert isinstance(f.severity, Severity)
        assert isinstance(f.message, str) and f.message
        assert f.pointer == "" or f.pointer.startswith("/")
        json.dumps(f.to_dict())


FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(mutated(SWAGGER))
def test_mutated_swagger_never_raises(doc):
    rep = Reporter("apiDefinition.swagger.json")
    check_swagger(rep, doc)
    assert_data_form(rep.findings)


@FAST
@given(mutated(PROPS), st.one_of(st.none(), mutated(SWAGGER)))
def test_mutated_properties_never_raise(doc, swagger):
    rep = Reporter("apiProperties.json")
    check_properties(rep, doc, swagger)
    assert_data_form(rep.findings)


@FAST
@given(json_values)
def test_random_json_never_raises(value):
    for check in (lambda r: check_swagger(r, value), lambda r: check_properties(r, value, value),
                  lambda r: check_settings(r, value, FIXTURE)):
        rep = Reporter("f.json")
        check(rep)
        assert_data_form(rep.findings)


@FAST
@given(st.binary(max_size=200))
def test_random_bytes_as_json_file(raw):
    doc = load_json_text(raw)
    assert doc.ok or (doc.problem.line >= 1 and doc.problem.column >= 1)


@FAST
@given(st.integers(0, len(SCRIPT)), st.integers(0, 40), st.text(max_size=10))
def test_mutated_script_never_raises(at, cut, insert):
    raw = SCRIPT[:at] + insert.encode() + SCRIPT[at + cut:]
    rep = Reporter("script.csx")
    check_script(rep, raw)
    assert_data_form(rep.findings)
    for f in rep.findings:
        assert f.line is None or f.line >= 1


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_read_leniently(raw):
    doc = load_json_text(raw, lenient=True)
    assert doc.ok or (doc.problem.line >= 1 and doc.problem.column >= 1)
    for w in doc.warnings:
        assert w.line >= 1 and w.column >= 1 and w.message


@FAST
@given(json_values, st.lists(st.lists(st.one_of(st.text(max_size=5), st.integers(0, 5).map(str)), max_size=4),
                             max_size=5), st.sampled_from([None, 2]), st.booleans())
def test_positions_of_any_pointer_in_any_json(value, paths, indent, mangle):
    from connector.swaggerdoc import pointer
    from connector.validate.jsonpos import positions

    text = json.dumps(value, indent=indent)
    if mangle:  # what is not JSON after all: positions stop quietly
        text = text[: len(text) // 2]
    ptrs = [pointer(*p) for p in paths] + [""]
    found = positions(text, ptrs)
    lines = text.split("\n")
    for ptr, (line, col) in found.items():
        assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1, (ptr, line, col)
    if mangle:
        return
    from connector.swaggerdoc import at_pointer, pointer_parts

    for ptr in ptrs:
        parts = pointer_parts(ptr)
        parent = at_pointer(value, pointer(*parts[:-1])) if parts else None
        exists = not parts or (isinstance(parent, dict) and parts[-1] in parent) or (
            isinstance(parent, list) and parts[-1].isdigit() and int(parts[-1]) < len(parent)
            and str(int(parts[-1])) == parts[-1])
        if not exists or ptr not in found:
            continue
        line, col = found[ptr]
        at = lines[line - 1][col - 1:]
        if parts and isinstance(parent, dict):  # an object member: placed at its key
            assert at.startswith(json.dumps(parts[-1])), (ptr, at[:20])
        else:  # the document or an array element: placed at the value
            node = at_pointer(value, ptr) if parts else value
            assert at[:1] == json.dumps(node, indent=indent)[:1], (ptr, at[:20])
