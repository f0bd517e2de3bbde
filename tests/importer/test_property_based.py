"""Generated swaggers (odd names, keywords, unicode, nested schemas, references, extensions) round-trip
through the written module: the writer's naming, quoting and layout never break the Python."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings, strategies as st

from connector.generate.swagger import to_swagger
from connector.importer import differences, import_connector, load_module_text

NAMES = st.one_of(
    st.sampled_from(["class", "connector", "Schema", "string", "path", "None", "id", "type", "__init__", "1st",
                     "a b", "ä/ö", "x~y", "Ref", "UNSET", "print", "ß", "\u2028", "quote\"d", "it's", "back\\slash"]),
    st.text(min_size=1, max_size=12),
)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False),
                    st.text(max_size=20))
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                     st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                    max_leaves=8)
TYPES = st.sampled_from(["string", "integer", "boolean", "number", "object", "array"])


def schema(defs: list[str]):
    leaf = st.builds(lambda t, d, extra: {"type": t, **({"description": d} if d else {}), **extra}, TYPES,
                     st.one_of(st.none(), st.text(max_size=30)),
                     st.dictionaries(st.sampled_from(["x-ms-summary", "example", "x-custom", "default", "enum"]),
                                     JSON, max_size=2))
    if defs:
        leaf = st.one_of(leaf, st.sampled_from(defs).map(lambda n: {"$ref": "#/definitions/" + n}))

    def extend(inner):
        return st.one_of(
            st.builds(lambda props, req: {"type": "object", "properties": props,
                                          **({"required": req} if req else {})},
                      st.dictionaries(NAMES, inner, max_size=4), st.lists(NAMES, max_size=2)),
            st.builds(lambda items: {"type": "array", "items": items}, inner),
        )

    return st.recursive(leaf, extend, max_leaves=10)


@st.composite
def swaggers(draw):
    def_names = draw(st.lists(NAMES.filter(lambda n: "/" not in n and "~" not in n), max_size=3, unique=True))
    definitions = {n: draw(schema(def_names)) for n in def_names}
    paths = {}
    op_ids = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    for i, op_id in enumerate(op_ids):
        params = draw(st.lists(st.builds(lambda n, loc, t, req, extra: {"name": n, "in": loc, "type": t,
                                                                        "required": req, **extra},
                                         NAMES, st.sampled_from(["query", "header"]), TYPES, st.booleans(),
                                         st.dictionaries(st.sampled_from(["x-ms-summary", "description",
                                                                          "x-odd"]), st.text(max_size=10),
                                                         max_size=2)),
                               max_size=3, unique_by=lambda p: (p["name"], p["in"])))
        if draw(st.booleans()):
            params.append({"name": "body", "in": "body", "required": True, "schema": draw(schema(def_names))})
        op = {"operationId": op_id, "summary": draw(st.text(max_size=15)), "parameters": params,
              "responses": {"200": {"description": "OK", "schema": draw(schema(def_names))}}}
        op.update(draw(st.dictionaries(st.sampled_from(["x-ms-visibility", "x-extension", "tags"]), JSON,
                                       max_size=2)))
        paths[f"/p{i}"] = {"post": op}
    return {"swagger": "2.0", "info": {"title": draw(NAMES), "version": "1"}, "host": "h.example",
            "schemes": ["https"], "paths": paths, "definitions": definitions,
            **draw(st.dictionaries(st.sampled_from(["x-top", "tags", "externalDocs"]), JSON, max_size=2))}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(swaggers())
def test_generated_swaggers_round_trip_through_the_module(doc):
    doc = json.loads(json.dumps(doc))
    source = import_connector(doc).source
    compile(source, "<module>", "exec")
    rebuilt = json.loads(json.dumps(to_swagger(load_module_text(source))))
    assert differences(doc, rebuilt) == []


def test_titles_with_control_characters_and_quotes_give_valid_modules():
    """Found by the property test above: a NUL in info.title made the module's docstring unparseable."""
    for title in ("\x00", 'a"""b', "c\\", "line\u2028sep\x1b"):
        doc = {"swagger": "2.0", "info": {"title": title, "version": "1"}, "host": "h.example", "schemes": ["https"],
               "paths": {"/p": {"post": {"operationId": "A", "responses": {"200": {"description": "OK"}}}}}}
        source = import_connector(doc).source
        compile(source, "<module>", "exec")
        assert load_module_text(source).title == title
