"""Projects: a webhook trigger whose callback URL is found by its name and whose delete takes the id in its query,
and reference data (labels) feeding a dropdown, for tests of the generic mock."""

from connector.model import (Connector, Contact, Dropdown, Operation, Response, array_of, body, object_schema,
                             operations_in, path, query, string)

PROJECT = object_schema(
    string("id", label="Id", description="Identifier of the project."),
    string("name", label="Name", description="What the project is called.", required=True),
)
CreateProject = Operation(id="CreateProject", method="POST", path="/projects", summary="Create a project",
                          description="Adds a project.",
                          parameters=(body(PROJECT, label="Project", description="The project."),),
                          responses=(Response(status="201", description="Created.", schema=PROJECT),))
ListLabels = Operation(id="ListLabels", method="GET", path="/labels", summary="List labels",
                       description="Lists the labels (reference data: no action adds one).", visibility="internal",
                       responses=(Response(status="200", description="The labels.", schema=array_of(object_schema(
                           string("name", label="Name", description="The label.", extra={"example": "urgent"})))),))
ListProjectTasks = Operation(
    id="ListProjectTasks", method="GET", path="/projects/{project}/tasks", summary="List a project's tasks",
    description="Lists the tasks of one project.",
    parameters=(path("project", label="Project", description="The project."),
                query("label", label="Label", description="Only tasks with this label.",
                      dropdown=Dropdown(operation=ListLabels, value="name", title="name"))),
    responses=(Response(status="200", description="The tasks.", schema=array_of(object_schema(
        string("title", label="Title", description="The task.")))),))
DeleteProjectHook = Operation(
    id="DeleteProjectHook", method="DELETE", path="/project-hooks/remove", summary="Delete a project subscription",
    description="Stops project notifications.", visibility="internal",
    parameters=(query("id", label="Subscription", description="The subscription.", required=True),
                query("owner", label="Owner", description="Who subscribed.", required=True)),
    responses=(Response(status="200", description="Deleted."),))
OnNewProject = Operation(
    id="OnNewProject", method="POST", path="/project-hooks", trigger="single", summary="When a project is created",
    description="Fires when a project is created.",
    parameters=(body(object_schema(
        # no x-ms-notification-url (validate's PP1080), as some real connectors: found by its name
        string("url", label="Callback", description="Where to notify.", required=True),
        string("owner", label="Owner", description="Who subscribes.", default="me"),
    ), label="Subscription", description="The subscription."),),
    responses=(Response(status="200", description="Subscribed.", schema=object_schema(
        string("subscriptionId", label="Id", description="The subscription id."))),),
    notification=PROJECT,
)

connector = Connector(
    title="Projects", description="Projects, for tests of the generic mock's webhooks and reference data.",
    contact=Contact(name="Projects", email="projects@example.com", url="https://projects.example.com"),
    website="https://projects.example.com", privacy_policy="https://projects.example.com/privacy",
    categories=("Productivity",), host="api.projects.example.com", base_path="/v1",
    publisher="Projects Ltd", stack_owner="Projects Ltd", operations=operations_in(globals()),
)
