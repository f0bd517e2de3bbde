"""The module import writes reads like a hand-written one: names from what things are and where they are
first used, and one import line that already holds every constructor an edit may need."""

from __future__ import annotations

import ast

from connector.importer import import_connector, load_module_text, verify
from connector.importer.pywriter import MODEL_NAMES


STATUS = {"type": "string", "enum": ["planned", "confirmed", "cancelled"], "description": "Where the record stands.",
          "x-ms-summary": "Status"}

# Two definitions whose "sourceApp" properties differ (so they are two things) and are each used twice (so each
# becomes a variable); one long name that only its last word tells apart from another; a "status" that differs
# from another only in its visibility.
SWAGGER = {
    "swagger": "2.0",
    "info": {"title": "Names", "version": "1.0"},
    "host": "names.example.com",
    "basePath": "/",
    "schemes": ["https"],
    "paths": {
        "/a": {"post": {"operationId": "PostA", "parameters": [
            {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Appointment"}}],
            "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Resource"}}}}},
        "/b": {"post": {"operationId": "PostB", "parameters": [
            {"name": "body", "in": "body", "schema": {"$ref": "#/definitions/Resource"}}],
            "responses": {"200": {"description": "OK", "schema": {"$ref": "#/definitions/Appointment"}}}}},
    },
    "definitions": {
        "Appointment": {"type": "object", "properties": {
            "sourceApp": {"type": "string", "description": "The back-office system that owns this record."},
            "nested": {"type": "object", "properties": {
                "sourceApp": {"type": "string", "description": "The back-office system that owns this record."},
                "status": STATUS}},
            "status": STATUS,
            "countryIsoCodeOfLocationAlpha": {"type": "string", "description": "The country (two letters)."},
            "copy": {"type": "object", "properties": {
                "countryIsoCodeOfLocationAlpha": {"type": "string", "description": "The country (two letters)."}}},
        }},
        "Resource": {"type": "object", "properties": {
            "sourceApp": {"type": "string", "description": "The system the resource comes from.", "maxLength": 30},
            "nested": {"type": "object", "properties": {
                "sourceApp": {"type": "string", "description": "The system the resource comes from.",
                              "maxLength": 30}}},
            "status": dict(STATUS, **{"x-ms-visibility": "advanced"}),
            "countryIsoCodeOfLocationNumeric": {"type": "string", "description": "The country (three letters)."},
            "copy": {"type": "object", "properties": {
                "countryIsoCodeOfLocationNumeric": {"type": "string", "description": "The country (three letters)."}}},
        }},
    },
}


def _variables(source: str) -> list[str]:
    return [t.id for node in ast.parse(source).body if isinstance(node, ast.Assign) for t in node.targets
            if isinstance(t, ast.Name)]


def test_names_come_from_the_name_then_from_what_holds_it_never_a_number():
    source = import_connector(SWAGGER).source
    names = _variables(source)
    assert not [n for n in names if n[-1].isdigit() and n.rsplit("_", 1)[0] in names], names
    # the first use keeps the plain name; the other is named after the definition it is first used in
    assert "SOURCE_APP" in names and "RESOURCE_SOURCE_APP" in names
    # the whole name tells the two country codes apart, where its first four words do not
    assert {"COUNTRY_ISO_CODE_OF", "COUNTRY_ISO_CODE_OF_LOCATION_NUMERIC"} <= set(names), names
    # a variant is written as what differs from the declared one
    assert 'reusing(STATUS, visibility="advanced")' in source and source.count('"cancelled"') == 1
    assert verify(load_module_text(source), SWAGGER, None) == []


def test_the_import_line_holds_every_constructor_of_the_model_and_nothing_is_unused_but_those():
    import connector.model as model

    source = import_connector(SWAGGER).source
    imported = {a.name for node in ast.parse(source).body if isinstance(node, ast.ImportFrom)
                and node.module == "connector.model" for a in node.names}
    assert imported == set(MODEL_NAMES)
    # every type and short constructor an author declares with (query and header are not used by this swagger)
    for name in ("query", "header", "path", "body", "string", "integer", "boolean", "array", "obj", "object_schema",
                 "array_of", "reusing", "Operation", "Parameter", "Response", "Definition", "Field", "Schema",
                 "Dropdown", "Ref", "UNSET", "Connector", "DynamicSchema", "TriggerMetadata"):
        assert name in imported and hasattr(model, name), name
    assert "load_model" not in imported and "check" not in imported
    # filled lines, not one name per line
    block = source[source.index("from connector.model import"):]
    assert block.index(")") < 400 and block[: block.index(")")].count("\n") <= 6
