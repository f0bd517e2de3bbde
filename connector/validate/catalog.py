"""Every rule the validator knows, in one table: id, slug, default severity, what it checks, how to fix it.
Ids are stable: PP0xxx files and JSON, PP1xxx apiDefinition.swagger.json, PP2xxx apiProperties.json, PP3xxx icon.png,
PP4xxx script.csx, PP5xxx settings.json. A retired rule keeps its id reserved; a new rule takes a new id."""

from .findings import RULES, rule, set_source

# --- files and JSON -------------------------------------------------------------------------------------------
rule("PP0001", "json-syntax", "error", "The file is not valid JSON (reported with line and column).",
     "Fix the JSON syntax at the given line and column (trailing commas and comments are not JSON).")
rule("PP0002", "json-bom", "warning", "The file starts with a UTF-8 byte-order mark; paconn create/update break on it.",
     "Save the file as UTF-8 without BOM.")
rule("PP0003", "json-duplicate-key", "warning", "An object has the same key twice; only the last value counts.",
     "Remove or rename the duplicate key.")
rule("PP0004", "json-encoding", "error", "The file is not UTF-8 text.", "Save the file as UTF-8.")
rule("PP0005", "connector-file-missing", "error",
     "A connector folder lacks apiDefinition.swagger.json or apiProperties.json.",
     "Add the missing file (paconn download writes both).")
rule("PP0006", "config-unknown-rule", "warning",
     "[tool.connector.validate] disable names a rule that does not exist.", "Use a rule id such as PP1043 or its slug.")

rule("PP0007", "json-not-strict", "warning",
     "The file uses trailing commas, comments or raw control characters in strings: the platform's parser "
     "(Newtonsoft Json.NET) accepts them, strict JSON tools (paconn's Python, most editors) do not.",
     "Remove the comments and trailing commas, and escape control characters (\\t, \\n) in strings.")

rule("PP0000", "internal-error", "error", "The validator itself failed on this file (a bug: please report it).",
     "Report the file to the connector toolkit maintainers.")

# --- apiDefinition.swagger.json: structure --------------------------------------------------------------------
rule("PP1001", "swagger-schema", "error", "The document breaks the Swagger 2.0 JSON schema.",
     "Make the value match the Swagger 2.0 specification at the given place.")
rule("PP1002", "swagger-version", "error", "`swagger` is not \"2.0\" (OpenAPI 3 is rejected).",
     "Convert the definition to Swagger 2.0 and set \"swagger\": \"2.0\".")
rule("PP1003", "ref-unresolved", "error", "A `$ref` does not resolve inside the document.",
     "Point the $ref at an existing #/definitions/, #/parameters/ or #/responses/ entry.")
rule("PP1004", "path-param-mismatch", "error",
     "A `{name}` in the path template has no path parameter, or a path parameter is not in the template.",
     "Declare one `in: path` parameter per template variable, with the same name.")
rule("PP1005", "operationid-duplicate", "error", "Two operations share an operationId.",
     "Give every operation a unique operationId.")
rule("PP1006", "parameter-duplicate", "error", "An operation declares the same (name, in) parameter twice.",
     "Remove the duplicate parameter.")
rule("PP1007", "default-mismatch", "error", "A `default` value does not match its type or enum.",
     "Write the default with the declared type (e.g. false, not \"false\") and as one of the enum values.")
rule("PP1008", "swagger-too-large", "error", "The definition is larger than 1 MB.", "Split or trim the definition.")
# --- connector level
rule("PP1009", "ref-cycle", "error", "A chain of `$ref`s loops (A -> B -> A) without reaching a definition.",
     "Point one of the references at the definition itself, or remove the loop.")
rule("PP1010", "title-missing", "error", "info.title is missing or empty.", "Add info.title.")
rule("PP1011", "title-too-long", "error", "info.title is longer than 30 characters.", "Shorten the title to 30 characters.")
rule("PP1012", "title-restricted-word", "error",
     "info.title contains API, Connector or a Power Platform product name.", "Remove the restricted word.")
rule("PP1013", "title-trailing-char", "error", "info.title does not end with a letter or digit.",
     "Remove the trailing space or punctuation.")
rule("PP1014", "description-length", "error", "info.description is missing or not 30-500 characters long.",
     "Write a 30-500 character description.")
rule("PP1015", "description-restricted-word", "warning",
     "info.description names a Power Platform product (Power Apps, Power Automate, Logic Apps).",
     "Describe the service, not the platform.")
rule("PP1016", "contact-missing", "error", "info.contact is missing (required for certification).",
     "Add info.contact with name, url and email.")
rule("PP1017", "contact-email-invalid", "error", "info.contact.email is not a valid ASCII e-mail address.",
     "Use an address like support@example.com.")
rule("PP1018", "metadata-missing", "error",
     "x-ms-connector-metadata is missing or lacks Website, Privacy policy or Categories.",
     "Add x-ms-connector-metadata entries {propertyName, propertyValue} for Website, Privacy policy and Categories.")
rule("PP1019", "metadata-url-invalid", "error", "A Website or Privacy policy metadata value is not an http(s) URL.",
     "Use an absolute https:// URL.")
rule("PP1020", "category-invalid", "error", "Categories has more than 2 entries or an entry not in the allowed list.",
     "Use one or two of the allowed categories, separated by ';'.")
rule("PP1021", "host-invalid", "error", "host is missing or not a bare host name (no scheme, path or braces).",
     "Set host to the production host name only, e.g. api.example.com.")
rule("PP1022", "host-not-production", "warning", "host looks like a staging, dev, test or local host.",
     "Point host at the production service.")
rule("PP1023", "basepath-invalid", "error", "basePath does not start with '/'.", "Start basePath with '/'.")
rule("PP1024", "schemes-invalid", "error", "schemes is missing, empty, or has a scheme other than http/https.",
     "Set schemes to [\"https\"].")
rule("PP1025", "security-undefined", "error", "A security requirement names a scheme not in securityDefinitions.",
     "Define the scheme in securityDefinitions or remove the requirement.")
# --- operations
rule("PP1030", "operationid-missing", "error", "An operation has no operationId.", "Add a PascalCase operationId.")
rule("PP1031", "operationid-style", "warning",
     "operationId is not PascalCase letters and digits (an optional _V<n> revision suffix is allowed).",
     "Rename it, e.g. GetMessages.")
rule("PP1032", "summary-missing", "error", "An operation has no summary.", "Add a sentence-case summary.")
rule("PP1033", "summary-too-long", "error", "The operation summary is longer than 80 characters.",
     "Shorten the summary to 80 characters.")
rule("PP1034", "summary-restricted-char", "error",
     "The operation summary contains one of / \\ < > * % & ? or ends with a non-alphanumeric character.",
     "Use only letters, digits, spaces and parentheses, ending with a letter, digit or ')'.")
rule("PP1035", "operation-description-missing", "error", "An operation has no description.",
     "Add a full-sentence description.")
rule("PP1036", "description-equals-summary", "warning", "The operation description repeats its summary.",
     "Write a description that says more than the summary.")
rule("PP1037", "no-response", "error", "An operation has no responses.", "Add a 200 response.")
rule("PP1038", "no-success-response", "warning", "An operation has no 2xx response.", "Add a 200 (or 201/202/204) response.")
rule("PP1039", "default-response-schema", "error", "The `default` response carries a schema.",
     "Move the schema to the 200/201 response; keep `default` schema-less.")
rule("PP1040", "many-response-schemas", "warning", "More than one response of an operation carries a schema.",
     "Keep the schema on one 2xx response only.")
rule("PP1041", "get-with-body", "error", "A GET or HEAD operation takes a body or formData parameter.",
     "Use query parameters, or change the method.")
rule("PP1042", "path-duplicate", "error", "Two paths differ only in letter case or parameter names.",
     "Merge the paths or make them distinct.")
rule("PP1043", "path-invalid-char", "error", "A path does not start with '/' or contains '?', '#' or '*'.",
     "Move query strings into query parameters.")
rule("PP1044", "consumes-unsupported", "warning",
     "consumes lists no supported MIME type (application/json, text/plain, multipart/form-data, "
     "application/x-www-form-urlencoded).", "Add a supported MIME type to consumes.")
# --- parameters
rule("PP1050", "param-summary-missing", "error",
     "A parameter users see has no x-ms-summary (its label). Not checked on what users never see: the body "
     "parameter itself (the designer shows its properties), internal parameters, parameters of internal operations.",
     "Add a Title Case x-ms-summary.")
rule("PP1051", "param-description-missing", "error",
     "A parameter users see has no description. Not checked on the body parameter itself, internal parameters or "
     "parameters of internal operations.", "Add a description sentence.")
rule("PP1052", "path-param-not-required", "error", "A path parameter is not `required: true`.", "Set required: true.")
rule("PP1053", "path-param-encoding-missing", "warning", "A path parameter has no x-ms-url-encoding.",
     "Add \"x-ms-url-encoding\": \"single\".")
rule("PP1054", "query-param-encoding", "warning", "x-ms-url-encoding is set on a non-path parameter.",
     "Remove x-ms-url-encoding; it applies to path parameters only.")
rule("PP1055", "connectionid-reserved", "error", "A parameter is named connectionId, which the platform reserves.",
     "Rename the parameter.")
rule("PP1056", "body-param-conflict", "error", "An operation has more than one body parameter, or body and formData together.",
     "Use one body parameter (or only formData).")
rule("PP1057", "visibility-invalid", "error", "x-ms-visibility is not important, advanced or internal.",
     "Use important, advanced or internal (or remove it).")
rule("PP1058", "internal-required-no-default", "error", "An internal, required parameter or property has no default.",
     "Give it a default (the user can never type it).")
rule("PP1059", "internal-optional-default", "warning", "An internal parameter with a default is not required.",
     "Make it required: true, since the user cannot see it.")
rule("PP1060", "format-unknown", "warning", "A `format` is not one the platform recognises.",
     "Use int32, int64, float, double, byte, binary, date, date-time, password, date-no-tz, email, html, uri or uuid.")
rule("PP1061", "enum-values-invalid", "error", "x-ms-enum-values is not [{value, displayName}] with values from enum.",
     "List {value, displayName} objects whose value appears in enum.")
# --- extensions
rule("PP1070", "xms-misspelt", "error", "An x-ms-* key is a misspelling of a known extension.",
     "Spell the extension correctly.")
rule("PP1071", "xms-unknown", "warning", "An x-ms-* key is not a known Power Platform extension; certification rejects it.",
     "Remove it, or use an x- key without the ms- prefix.")
rule("PP1072", "trigger-invalid", "error", "x-ms-trigger is not \"single\" or \"batch\".", "Use single or batch.")
rule("PP1073", "pageable-invalid", "warning", "x-ms-pageable.nextLinkName is not nextLink or @odata.nextLink.",
     "Set nextLinkName to nextLink or @odata.nextLink.")
rule("PP1074", "dynamic-shape", "error",
     "An x-ms-dynamic-* extension lacks its operationId (or builtInOperation/capability) or has the wrong shape.",
     "Give it an operationId of an operation in this file.")
rule("PP1075", "dynamic-operation-unknown", "error", "An x-ms-dynamic-*/x-ms-notification operationId names no operation.",
     "Use the operationId of an existing operation.")
rule("PP1076", "dynamic-parameter-unknown", "error",
     "A {parameter: X} / parameterReference in a dynamic extension names no parameter of the calling operation (a "
     "parameterReference: no parameter, or no property at its slash-separated path inside one).",
     "Reference a parameter that the operation declares.")
rule("PP1078", "dynamic-list-missing", "warning",
     "An x-ms-dynamic-values argument {parameter: X} names a body property, and no x-ms-dynamic-list beside it says "
     "where in the body X is.",
     "Add x-ms-dynamic-list with a parameterReference path (body/.../X); in the model: Ref(\"X\", \"body/.../X\").")
rule("PP1079", "dynamic-list-mismatch", "warning",
     "x-ms-dynamic-values and the x-ms-dynamic-list beside it call different operations or read different paths of "
     "the answer, so the designer and the platform fill the dropdown differently.",
     "Make them agree; in the model, declare the dropdown once (one Dropdown writes both).")
rule("PP1077", "dynamic-schema-on-body", "error", "x-ms-dynamic-schema sits on a body parameter instead of its schema.",
     "Move x-ms-dynamic-schema into the parameter's schema.")
# --- webhooks
rule("PP1080", "webhook-notification-url-missing", "error",
     "A webhook trigger has no body property with x-ms-notification-url: true.",
     "Add a string body property (e.g. endpointUrl) with x-ms-notification-url: true, internal and required.")
rule("PP1081", "webhook-notification-url-chain", "error",
     "The x-ms-notification-url property is not internal and required along its whole chain.",
     "Make the property and each parent required, and mark it (or a parent) x-ms-visibility: internal.")
rule("PP1082", "webhook-delete-missing", "error", "A connector with webhook triggers has no DELETE operation.",
     "Add a DELETE operation (internal) that removes the webhook; the trigger's Location header points at it.")
rule("PP1083", "webhook-notification-content", "warning",
     "A webhook trigger's path item has no x-ms-notification-content with a schema.",
     "Describe the payload in x-ms-notification-content {schema} on the path item.")
rule("PP1084", "webhook-location-missing", "error",
     "A webhook trigger declared with webhook_delete= gets no Location header on its registration answer (the "
     "build could not generate one), so the platform cannot delete the subscription when the flow is turned off.",
     "Name the delete operation's path variables like the trigger's path or header parameters (one other variable "
     "is the subscription id), or add WebhookLocation(trigger=..., args={...}) to the connector's transforms, or, "
     "when the service sends the header itself, declare it on the registration response "
     "(Response(..., extra={\"headers\": {\"Location\": {\"type\": \"string\"}}})).")
# --- deprecation and annotations
rule("PP1090", "replacement-not-deprecated", "error", "x-ms-api-annotation.replacement on an operation that is not deprecated.",
     "Set deprecated: true, or remove replacement.")
rule("PP1091", "replacement-incomplete", "error", "x-ms-api-annotation.replacement lacks api or operationId.",
     "Give replacement both api and operationId.")
rule("PP1092", "annotation-status", "error",
     "An operation is Production while the connector is Preview, or status is not Production/Preview.",
     "Use status Preview or Production, never Production under a Preview connector.")
rule("PP1093", "family-rules", "error",
     "An API family breaks a revision rule (duplicate revisions, >2 live or >1 Production ops, revision suffix).",
     "Deprecate older revisions and name revision n operations with the _V<n> suffix.")

# --- apiProperties.json -----------------------------------------------------------------------------------------
rule("PP2001", "properties-schema", "error", "apiProperties.json breaks the connector properties schema.",
     "Make the value match the apiProperties.json schema at the given place.")
rule("PP2002", "brand-color-invalid", "error", "iconBrandColor is not a #rrggbb hex colour.", "Use a colour like #da3b01.")
rule("PP2003", "brand-color-forbidden", "error", "iconBrandColor is #007ee5 or #ffffff, which certification rejects.",
     "Use your brand's colour (independent publishers: #da3b01).")
rule("PP2004", "script-operation-unknown", "error", "scriptOperations names an operation not in the swagger.",
     "Use operationIds of apiDefinition.swagger.json.")
rule("PP2005", "client-secret-real", "error", "A client secret looks real rather than a placeholder.",
     "Replace it with a placeholder such as [[DUMMY]]; pass the real one at deploy time.")
rule("PP2006", "oauth-custom-parameter-missing", "error",
     "An identity provider lacks a customParameters entry it needs (e.g. oauth2 authorizationUrl/tokenUrl/refreshUrl).",
     "Add the missing customParameters entry.")
rule("PP2007", "redirect-mode", "warning", "OAuth redirectMode is not GlobalPerConnector, or a redirectUrl is set.",
     "Use \"redirectMode\": \"GlobalPerConnector\" and drop redirectUrl.")
rule("PP2008", "policy-parameter-missing", "error", "A policy template instance lacks a required parameter.",
     "Add the x-ms-apimTemplateParameter.<name> entry.")
rule("PP2009", "policy-template-unknown", "warning", "policyTemplateInstances uses an unknown templateId.",
     "Use a documented policy template id.")
rule("PP2010", "policy-operation-unknown", "error", "A policy template names an operation not in the swagger.",
     "Use operationIds of apiDefinition.swagger.json.")
rule("PP2011", "publisher-missing", "info", "publisher or stackOwner is missing (required for certification).",
     "Add publisher and stackOwner.")

# --- icon.png ---------------------------------------------------------------------------------------------------
rule("PP3001", "icon-not-png", "error", "icon.png is not a readable PNG image.", "Save the icon as PNG.")
rule("PP3002", "icon-size", "error", "The icon is not square, or not between 100 and 230 pixels.",
     "Use a square PNG, ideally 230x230.")
rule("PP3003", "icon-too-large", "error", "icon.png is larger than 1 MB.", "Compress the PNG.")
rule("PP3004", "icon-transparent", "error", "The icon background (corners) is transparent.",
     "Fill the background with iconBrandColor.")
rule("PP3005", "icon-background-mismatch", "error", "The icon background differs from iconBrandColor.",
     "Make the background and iconBrandColor the same colour.")

# --- script.csx -------------------------------------------------------------------------------------------------
rule("PP4001", "script-syntax", "error", "script.csx has a C# syntax error.", "Fix the C# syntax at the given line and column.")
rule("PP4002", "script-class-missing", "error", "script.csx has no `class Script : ScriptBase`.",
     "Declare public class Script : ScriptBase.")
rule("PP4003", "script-execute-missing", "error", "class Script does not override ExecuteAsync.",
     "Add public override async Task<HttpResponseMessage> ExecuteAsync().")
rule("PP4004", "script-using-not-allowed", "error", "A `using` names a namespace the platform does not allow.",
     "Remove the using; only the documented namespaces are available.")
rule("PP4005", "script-too-large", "error", "script.csx is larger than 1 MB.", "Shrink the script.")
rule("PP4006", "script-httpclient", "warning", "The script creates its own HttpClient.",
     "Send requests with Context.SendAsync.")

# --- settings.json ----------------------------------------------------------------------------------------------
rule("PP5001", "settings-file-missing", "error", "A file named in settings.json does not exist.",
     "Fix the path (relative to settings.json's folder) or add the file.")
rule("PP5002", "settings-schema", "warning", "settings.json has an unknown key or a value of the wrong type.",
     "Use the keys paconn reads, with string values.")

# --- where each rule comes from, so a user can judge a finding ----------------------------------------------------
# schema: the JSON schema the platform validates against (Swagger 2.0 as vendored from openapi-spec-validator, or
#   Microsoft's apiProperties schema); platform: documented platform behaviour (Microsoft Docs, paconn);
# pipeline: a message of Microsoft's certification validator (its error name); reviewers: Microsoft reviewers'
# comments on certification pull requests and the certification checklist; docs: Microsoft Docs' certification
# requirements; certification policy: the numbered certification policies; toolkit: this validator itself.
SCHEMA = "schema: Swagger 2.0 JSON schema (openapi-spec-validator's; the platform rejects what it rejects)"
SOURCES = {
    "PP0000": "toolkit: a failure of the validator itself",
    "PP0001": "platform: the platform's parser (Newtonsoft Json.NET) refuses the file at upload",
    "PP0002": "platform: paconn create/update read the files with Python's json, which refuses a BOM",
    "PP0003": "platform: JSON objects keep the last of duplicate keys (RFC 8259 leaves it undefined)",
    "PP0004": "platform: connector files are read as UTF-8",
    "PP0005": "platform: paconn create needs apiDefinition.swagger.json and apiProperties.json",
    "PP0006": "toolkit: [tool.connector.validate] configuration",
    "PP0007": "platform: Newtonsoft Json.NET accepts trailing commas, comments and raw control characters; "
              "paconn (Python json) and strict tools do not",
    "PP1001": SCHEMA,
    "PP1002": "pipeline: SpecificationVersionIncorrect (OpenAPI 3 is rejected)",
    "PP1003": "pipeline: references must start #/parameters/, #/responses/ or #/definitions/ and resolve",
    "PP1004": SCHEMA + "; openapi-spec-validator's path-parameter check",
    "PP1005": "pipeline: OperationIdNotUnique",
    "PP1006": SCHEMA + "; openapi-spec-validator's duplicate-parameter check",
    "PP1007": "pipeline: the default must match the type (keyword checks of the validator)",
    "PP1008": "platform: a definition is limited to 1 MB (Microsoft Docs)",
    "PP1009": "pipeline: no $ref loops (the validator's Not supported group)",
    "PP1010": "pipeline: info.title is required",
    "PP1011": "pipeline: FieldLengthExceeded (30 characters)",
    "PP1012": "pipeline: ValueContainsRestrictedWords",
    "PP1013": "pipeline: ValueMustEndWithAlphanumeric",
    "PP1014": "pipeline: \"must be between '30' and '500' characters\"",
    "PP1015": "reviewers: descriptions name the service, not Power Platform products",
    "PP1016": "pipeline: \"The 'contact' property is required. ValuePath: /info\"",
    "PP1017": "pipeline: ContactEmailNotValid",
    "PP1018": "pipeline: ConnectorMetadataPropertiesMissing / \"The 'x-ms-connector-metadata' property is required\"",
    "PP1019": "pipeline: UrlNotValid",
    "PP1020": "pipeline: TooManyConnectorCategories / InvalidConnectorCategory",
    "PP1021": "pipeline: HostNameNotValid (and the schema's host pattern)",
    "PP1022": "reviewers: certified connectors point at the production service",
    "PP1023": "pipeline: BasePathNotValid",
    "PP1024": "pipeline: SchemeNotSupported",
    "PP1025": SCHEMA + "; security requirements must name a defined scheme",
    "PP1030": "pipeline: OperationIdRequired",
    "PP1031": "reviewers and Microsoft Docs: PascalCase operationIds (the validator's OperationIdSanitized)",
    "PP1032": "pipeline: the summary is required",
    "PP1033": "docs: Microsoft Docs require summaries of at most 80 characters for certification (the validator's own warning starts near 120)",
    "PP1034": "pipeline: RestrictedCharactersInSummary",
    "PP1035": "pipeline: \"The 'description' property is required\"",
    "PP1036": "reviewers: the description must say more than the summary",
    "PP1037": "pipeline: OperationMustHaveResponse",
    "PP1038": "pipeline: OperationShouldHaveSuccessfulResponse (a warning)",
    "PP1039": "pipeline: DefaultResponseHasSchema",
    "PP1040": "pipeline: OperationHasManyResponsesWithSchema (a warning)",
    "PP1041": "pipeline: BodyOrFormDataParameterInFetchOperationNotAllowed",
    "PP1042": "pipeline: PathRedefined",
    "PP1043": "pipeline: paths start with '/' and have no '?', '#' or '*'",
    "PP1044": "pipeline: ConsumesMissing (a warning)",
    "PP1050": "pipeline: \"The 'x-ms-summary' property is required. ValuePath: .../parameters/N\", on parameters "
              "users fill in",
    "PP1051": "pipeline: \"The 'description' property is required\", on parameters users fill in",
    "PP1052": "pipeline: PathParameterMustBeRequired (and the schema's enum [true])",
    "PP1053": "pipeline: PathParameterMissingEncoding (a warning)",
    "PP1054": "pipeline: QueryParameterEncodingNotSupported (a warning)",
    "PP1055": "pipeline: ConnectionIdParameterNotAllowed",
    "PP1056": "pipeline: at most one body parameter, no body with formData",
    "PP1057": "platform: x-ms-visibility is important, advanced or internal (Microsoft Docs)",
    "PP1058": "pipeline: internal and required parameters must have a default",
    "PP1059": "pipeline: InternalPropertyWithDefaultOptional (a warning)",
    "PP1060": "pipeline: UnrecognizedTypeFormat (a warning)",
    "PP1061": "platform: x-ms-enum-values is [{value, displayName}] with values from enum (Microsoft's schema)",
    "PP1070": "schema: Microsoft's apiDefinition schema lists the x-ms extensions; a misspelt one is refused",
    "PP1071": "schema: Microsoft's apiDefinition schema allows no unlisted x-ms-* key (a warning: the platform "
              "accepts some, e.g. x-ms-openai-data)",
    "PP1072": "schema: Microsoft's apiDefinition schema, x-ms-trigger is single or batch",
    "PP1073": "platform: x-ms-pageable.nextLinkName is nextLink or @odata.nextLink (Microsoft Docs)",
    "PP1074": "platform: the shapes of x-ms-dynamic-* (Microsoft Docs and schema)",
    "PP1075": "platform: a dynamic extension calls an operation of the same connector",
    "PP1076": "platform: a {parameter: X} reference resolves among the calling operation's parameters",
    "PP1077": "pipeline: DynamicExtensionDefinitionNotAllowedInParameter",
    "PP1078": "Microsoft Docs: x-ms-dynamic-list is needed beside x-ms-dynamic-values when an argument points inside a "
              "parameter",
    "PP1079": "Microsoft Docs: x-ms-dynamic-list is the same dropdown as x-ms-dynamic-values, in the newer spelling",
    "PP1080": "pipeline: WebhookOperationsMissingNotificationUrlProperty",
    "PP1081": "platform: the notification URL property is internal and required along its chain (Microsoft Docs)",
    "PP1082": "platform: webhook triggers need a DELETE operation the Location header points at (Microsoft Docs)",
    "PP1083": "reviewers: describe the webhook payload in x-ms-notification-content",
    "PP1084": "platform: a webhook is deleted through the Location header of its registration answer (Microsoft Docs)",
    "PP1090": "pipeline: replacement only on deprecated operations",
    "PP1091": "pipeline: replacement needs api and operationId",
    "PP1092": "pipeline: no Production operation under a Preview connector",
    "PP1093": "pipeline: API family revision rules",
    "PP2001": "schema: Microsoft's apiProperties schema (plus scriptOperations and connectionParameterSets, which "
              "paconn keeps)",
    "PP2002": "schema: iconBrandColor is a #rrggbb colour",
    "PP2003": "docs: Microsoft Docs and the connectors repository call #007ee5 and #ffffff invalid",
    "PP2004": "platform: scriptOperations name operations of the swagger",
    "PP2005": "toolkit: a real secret in a committed or submitted file is leaked (reviewers refuse it too)",
    "PP2006": "platform: an identity provider's customParameters (Microsoft Docs)",
    "PP2007": "reviewers: redirectMode GlobalPerConnector",
    "PP2008": "platform: a policy template's required parameters (Microsoft Docs)",
    "PP2009": "platform: the documented policy templates",
    "PP2010": "platform: policies apply to operations of the swagger",
    "PP2011": "reviewers: publisher and stackOwner are required for certification",
    "PP3001": "certification policy 5000.2.1.3: the icon is a PNG (Microsoft Docs)",
    "PP3002": "certification policy 5000.2.1.4: a square icon of 100-230 px (Microsoft Docs)",
    "PP3003": "certification policy 5000.2.1.2: the icon is at most 1 MB",
    "PP3004": "docs: Microsoft Docs require a non-transparent background (a reviewer restated it)",
    "PP3005": "certification policy 5000.2.1.1: the icon background equals iconBrandColor (Microsoft Docs)",
    "PP4001": "platform: the script is compiled by the platform; a syntax error fails the upload",
    "PP4002": "platform: the script declares class Script : ScriptBase (Microsoft Docs)",
    "PP4003": "platform: the script overrides ExecuteAsync (Microsoft Docs)",
    "PP4004": "platform: only the documented namespaces are available to scripts",
    "PP4005": "platform: the script is at most 1 MB",
    "PP4006": "platform: scripts send requests with Context.SendAsync (Microsoft Docs)",
    "PP5001": "platform: paconn reads the files settings.json names",
    "PP5002": "platform: the keys paconn's settings.json knows",
}
for _id, _source in SOURCES.items():
    set_source(_id, _source)

_unsourced = sorted(set(RULES) - set(SOURCES))
if _unsourced:  # every rule names its source
    raise ValueError(f"rules without a source: {_unsourced}")
