"""The shared JSON reader: every unusable file becomes a problem with a line and column, never an exception."""

from connector.jsonio import dumps, load_json_text
from connector.swaggerdoc import pointer, resolve_ref


def test_syntax_error_has_line_and_column():
    doc = load_json_text(b'{\n  "a": 1,\n  "b": }')
    assert not doc.ok and (doc.problem.line, doc.problem.column) == (3, 8)


def test_bytes_that_are_not_utf8_have_line_and_column():
    doc = load_json_text(b'{"a":\n  "x\xff"}')
    assert doc.problem.code == "json-encoding" and (doc.problem.line, doc.problem.column) == (2, 5)


def test_bom_and_duplicate_keys_are_recorded_not_fatal():
    doc = load_json_text(b'\xef\xbb\xbf{"a": 1, "a": 2}')
    assert doc.ok and doc.had_bom and doc.data == {"a": 2} and doc.duplicate_keys == [("", "a")]


def test_canonical_text_and_pointers():
    assert dumps({"b": "ä", "a": [1]}) == '{\n  "b": "ä",\n  "a": [\n    1\n  ]\n}\n'
    assert pointer("paths", "/a/{b}", "get") == "/paths/~1a~1{b}/get"
    doc = {"definitions": {"x/y": {"type": "string"}}, "list": [0, {"k": 1}]}
    assert resolve_ref(doc, "#/definitions/x~1y") == {"type": "string"}
    assert resolve_ref(doc, "#/list/1/k") == 1
    assert resolve_ref(doc, "#/definitions/missing") is None and resolve_ref(doc, "other.json#/x") is None
    assert resolve_ref(doc, "#") is doc
