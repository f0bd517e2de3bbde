"""Tasks: a connector with a webhook trigger and two polling triggers, for tests of the generic mock's triggers."""

from connector.model import (Connector, Contact, Dropdown, Operation, Response, array, array_of, body,
                             object_schema, operations_in, path, string)

PROJECT = object_schema(
    string("id", label="Id", description="Identifier of the project."),
    string("name", label="Name", description="What the project is called.", required=True),
)
CreateProject = Operation(id="CreateProject", method="POST", path="/projects", summary="Create a project",
                          description="Adds a project.",
                          parameters=(body(PROJECT, label="Project", description="The project."),),
                          responses=(Response(status="201", description="Created.", schema=PROJECT),))
ListProjects = Operation(id="ListProjects", method="GET", path="/projects", summary="List projects",
                         description="Lists projects.", visibility="internal",
                         responses=(Response(status="200", description="The projects.", schema=array_of(PROJECT)),))
PROJECTS = Dropdown(operation=ListProjects, value="id", title="name")

TASK = object_schema(
    string("id", label="Id", description="Identifier of the task."),
    string("title", label="Title", description="What is to be done.", required=True),
    string("state", label="State", description="Where it stands.", default="open"),
    string("project", label="Project", description="The project it belongs to.", dropdown=PROJECTS),
)
TASK_ID = path("id", label="Task", description="The task.")
HOOK_ID = path("hookId", label="Subscription", description="The webhook subscription.")

CreateTask = Operation(id="CreateTask", method="POST", path="/tasks", summary="Create a task",
                       description="Adds a task.", parameters=(body(TASK, label="Task", description="The task."),),
                       responses=(Response(status="201", description="Created.", schema=TASK),))
ListTasks = Operation(id="ListTasks", method="GET", path="/tasks", summary="List tasks", description="Lists tasks.",
                      responses=(Response(status="200", description="The tasks.", schema=array_of(TASK)),))
ListProjectTasks = Operation(
    id="ListProjectTasks", method="GET", path="/projects/{project}/tasks", summary="List a project's tasks",
    description="Lists the tasks of one project.",
    parameters=(path("project", label="Project", description="The project.", dropdown=PROJECTS),),
    responses=(Response(status="200", description="The tasks.", schema=array_of(TASK)),))
DeleteHook = Operation(id="DeleteHook", method="DELETE", path="/hooks/{hookId}", summary="Delete a subscription",
                       description="Stops notifications.", parameters=(HOOK_ID,), visibility="internal",
                       responses=(Response(status="204", description="Deleted."),))
OnNewTask = Operation(
    id="OnNewTask", method="POST", path="/hooks", trigger="single", summary="When a task is created",
    description="Fires when a task is created.", webhook_delete=DeleteHook,
    parameters=(body(object_schema(
        string("callbackUrl", label="Callback", description="Where to notify.", required=True, visibility="internal",
               notification_url=True),
        string("event", label="Event", description="What to notify of.", default="task.created"),
    ), label="Subscription", description="The subscription."),),
    responses=(Response(status="201", description="Subscribed.", schema=object_schema(
        string("id", label="Id", description="The subscription id."))),),
    notification=TASK,
)
WhenTasksAreCreated = Operation(
    id="WhenTasksAreCreated", method="GET", path="/trigger/tasks", trigger="batch", summary="When tasks are created",
    description="Polls for new tasks.",
    responses=(Response(status="200", description="New tasks.", schema=object_schema(
        array("value", TASK, label="Tasks", description="The tasks."))),))
NewestTask = Operation(
    id="NewestTask", method="GET", path="/trigger/newest-task", trigger="single", summary="When a task is added",
    description="Polls for one new task at a time.",
    responses=(Response(status="200", description="The new task.", schema=TASK),))

connector = Connector(
    title="Tasks", description="Tasks keeps a list of things to do, for tests of the generic mock's triggers.",
    contact=Contact(name="Tasks", email="tasks@example.com", url="https://tasks.example.com"),
    website="https://tasks.example.com", privacy_policy="https://tasks.example.com/privacy",
    categories=("Productivity",), host="api.tasks.example.com", base_path="/v1",
    publisher="Tasks Ltd", stack_owner="Tasks Ltd", operations=operations_in(globals()),
)
