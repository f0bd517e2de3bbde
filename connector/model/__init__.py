"""The declarative model of a Power Platform custom connector: plain, typed, frozen dataclasses.

A declaration builds a ``Connector`` from ``Operation``s whose ``Parameter``s and ``Field``s carry labels,
descriptions, visibility and ``Dropdown``s. Things declared once (a dropdown, a body schema, a parameter)
are reused by reference: they are ordinary Python values.
"""

from .base import ModelError
from .checks import check, ensure_valid, path_variables
from .connector import (ApiKey, BasicAuth, Connector, Contact, Imported, OAuth2, Operation, Readme, Throttling,
                        TriggerMetadata, operations_in)
from .loader import load_model
from .schema import (
    UNSET,
    Definition,
    Dropdown,
    DynamicSchema,
    Field,
    Parameter,
    Ref,
    Response,
    Schema,
    array,
    array_of,
    body,
    boolean,
    header,
    integer,
    obj,
    object_schema,
    path,
    query,
    reusing,
    string,
)
from .transforms import (SUBSCRIPTION_ID, CorrelationIdHeader, WebhookLocation, Wiring, effective_transforms,
                         script_operation_ids, webhook_wiring)

__all__ = [
    "SUBSCRIPTION_ID", "CorrelationIdHeader", "Readme", "WebhookLocation", "Wiring", "effective_transforms",
    "script_operation_ids", "webhook_wiring",
    "ModelError", "Imported", "operations_in", "UNSET", "ApiKey", "BasicAuth", "Connector", "Contact", "Definition", "Dropdown", "DynamicSchema", "Field", "OAuth2",
    "Operation", "Parameter",
    "Ref", "Response", "Schema", "Throttling", "TriggerMetadata", "array", "array_of", "body", "boolean", "check", "ensure_valid",
    "header", "integer", "load_model", "obj", "object_schema", "path", "path_variables", "query", "reusing",
    "string",
]
