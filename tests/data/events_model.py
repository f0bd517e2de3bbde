"""Events: a list whose path ends in a parameter (``GET /events/{organisationId}``, as Certopus has) feeding an
``x-ms-dynamic-list`` dropdown through a body reference, for tests of the generic mock and contract."""

from connector.model import (Connector, Contact, Dropdown, Operation, Ref, Response, array, body, obj, object_schema,
                             operations_in, path, string)

ORGANISATION = object_schema(
    string("id", label="Id", description="Identifier of the organisation."),
    string("name", label="Name", description="What the organisation is called.", required=True),
)
EVENT = object_schema(
    string("id", label="Id", description="Identifier of the event."),
    string("title", label="Title", description="What the event is called.", required=True),
    string("organisationId", label="Organisation", description="The organisation holding it."),
)
ORGANISATION_ID = path("organisationId", label="Organisation", description="The organisation.")

CreateOrganisation = Operation(
    id="CreateOrganisation", method="POST", path="/organisations", summary="Create an organisation",
    description="Adds an organisation.",
    parameters=(body(ORGANISATION, label="Organisation", description="The organisation."),),
    responses=(Response(status="201", description="Created.", schema=ORGANISATION),))
ListOrganisations = Operation(
    id="ListOrganisations", method="GET", path="/organisations", summary="List organisations",
    description="Lists the organisations.", visibility="internal",
    responses=(Response(status="200", description="The organisations.", schema=object_schema(
        string("message", label="Message", description="What happened."),
        array("data", ORGANISATION, label="Organisations", description="The organisations."))),))
GetOrganisation = Operation(
    id="GetOrganisation", method="GET", path="/organisations/{id}", summary="Get an organisation",
    description="Reads one organisation.",
    parameters=(path("id", label="Organisation", description="The organisation."),),
    responses=(Response(status="200", description="The organisation.", schema=ORGANISATION),))
CreateEvent = Operation(
    id="CreateEvent", method="POST", path="/events/{organisationId}", summary="Create an event",
    description="Adds an event to an organisation.",
    parameters=(ORGANISATION_ID, body(EVENT, label="Event", description="The event.")),
    responses=(Response(status="201", description="Created.", schema=EVENT),))
AddEvent = Operation(
    id="AddEvent", method="POST", path="/events", summary="Add an event",
    description="Adds an event naming its organisation in the body.",
    parameters=(body(EVENT, label="Event", description="The event."),),
    responses=(Response(status="201", description="Created.", schema=EVENT),))
ListEvents = Operation(
    id="ListEvents", method="GET", path="/events/{organisationId}", summary="List events",
    description="Lists the events of one organisation.",
    parameters=(ORGANISATION_ID,),
    responses=(Response(status="200", description="The organisation's events.", schema=object_schema(
        string("message", label="Message", description="What happened."),
        array("data", EVENT, label="Events", description="The events."),
        obj("lastKey", string("id", label="Id", description="The last event."),
            string("organisationId", label="Organisation", description="Its organisation."),
            label="Last key", description="Where the next page starts."))),))
IssueCredential = Operation(
    id="IssueCredential", method="POST", path="/credentials", summary="Issue a credential",
    description="Issues a credential for an event of an organisation.",
    parameters=(body(object_schema(
        string("organisationId", label="Organisation", description="The organisation.", required=True,
               dropdown=Dropdown(operation=ListOrganisations, collection="data", value="id", title="name",
                                 emit="list")),
        string("eventId", label="Event", description="The event.", required=True,
               dropdown=Dropdown(operation=ListEvents, collection="data", value="id", title="title",
                                 args={"organisationId": Ref("body/organisationId")}, emit="list")),
        string("email", label="Recipient", description="Who receives it."),
    ), label="Credential", description="The credential."),),
    responses=(Response(status="201", description="Issued.", schema=object_schema(
        string("id", label="Id", description="The credential."),
        string("eventId", label="Event", description="The event."))),))

connector = Connector(
    title="Events", description="Events, for tests of lists whose path ends in a parameter.",
    contact=Contact(name="Events", email="events@example.com", url="https://events.example.com"),
    website="https://events.example.com", privacy_policy="https://events.example.com/privacy",
    categories=("Productivity",), host="api.events.example.com", base_path="/v1",
    publisher="Events Ltd", stack_owner="Events Ltd", operations=operations_in(globals()),
)
