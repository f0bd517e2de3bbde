"""The SmartDialog connector by Arena Interactive, declared once.

Every generated file (swagger, apiProperties, icon, script, readme, settings), the mock server's routes and
checks, and the contract tests derive from this module. What users see (labels, keys, descriptions, types,
required flags) follows the connector's public reference page; how each action maps onto HTTP (paths,
headers, dropdown wiring, OAuth) follows Arena's integration facts.

Read it like the reference page: shared pieces first (dropdown helpers, the Customer pickers, the message
body), then the actions in the order users meet them, then the trigger.
"""

from __future__ import annotations

from connector.model import (SUBSCRIPTION_ID, Connector, Contact, CorrelationIdHeader, Definition, Dropdown, OAuth2,
                             Operation, Readme, Ref, Response, Schema, Throttling, WebhookLocation, array, array_of, body,
                             boolean, header, integer, obj, object_schema, operations_in, path, query, reusing, string)

SCOPE_PREFIX = "https://arenafi.onmicrosoft.com/smartdialog-integrations-api/"
B2C = "https://arenafi.b2clogin.com/arenafi.onmicrosoft.com/B2C_1A_SmartDialog_Integrations/oauth2/v2.0"

# Every operation can fail: a 4xx or 5xx answer (bad input, unknown customer, service or contact, missing
# scope, duplicate RequestId, throttling). Certification allows a `default` response only without a schema.
# The connector gives it to every operation (default_response below).
FAILED = Response(status="default", description="The request failed; the status code and message say why.")

# ---------------------------------------------------------------------------------------------------------
# Internal helper operations: they fill the dropdowns and delete webhooks, and are never shown to users.

DeleteTrigger = Operation(
    id="DeleteTrigger", scope="TwoWay.Management", method="DELETE", path="/pipelines/{Pipeline-Id}/actions/{Action-Id}",
    visibility="internal", summary="Delete webhook",
    description="Removes the webhook subscription of a New Message trigger.",
    parameters=(
        path("Pipeline-Id", label="Pipeline Id", description="Identifier of the pipeline that holds the webhook."),
        path("Action-Id", label="Action Id", description="Identifier of the webhook action to delete."),
    ),
    responses=(Response(status="204", description="The webhook was deleted."),),
)

GetUserCustomers = Operation(
    id="GetUserCustomers", scope="User.Customers", method="GET", path="/customers", visibility="internal",
    summary="Get user customers", description="Lists the customers the signed-in user can act for.",
    responses=(Response(status="200", description="The customers of the user.", schema=object_schema(
        array("customerUsers", object_schema(
            string("customerId", label="Customer Id", description="Identifier of the customer."),
            string("customerName", label="Customer Name", description="Name of the customer."),
        ), label="Customer Users", description="Customers the user can act for."),
    )),),
)

GetCustomerServices = Operation(
    id="GetCustomerServices", scope="Customer.Services", method="GET", path="/services/{Customer-Id}",
    visibility="internal", summary="Get customer services",
    description="Lists the services of a customer, filtered by service type.",
    parameters=(
        path("Customer-Id", label="Customer", description="The Customer to fetch Services for."),
        header("ServiceType", label="Service Type", description="The type of the services to list.", required=True,
               default="OneWay", enum=("OneWay", "TwoWay", "Group")),
        header("AllowReplyMessage", label="Allow Reply Message",
               description="List only services that allow reply messages.", type="boolean"),
    ),
    responses=(Response(status="200", description="The services of the customer.", schema=array_of(
        object_schema(
            string("id", label="Service Id", description="Identifier of the service."),
            string("name", label="Service Name", description="Name of the service."),
        ))),),
)

GetCustomerWhatsAppTemplates = Operation(
    id="GetCustomerWhatsAppTemplates", scope="WhatsApp", method="GET", path="/whatsapp/templates/{Customer-Id}",
    visibility="internal", summary="Get customer WhatsApp templates",
    description="Lists the WhatsApp templates of a customer.",
    parameters=(
        path("Customer-Id", label="Customer", description="The Customer to fetch Templates for."),
        query("TemplateId", label="Template Id", description="Return only the template with this identifier."),
    ),
    responses=(Response(status="200", description="The WhatsApp templates of the customer.", schema=array_of(
        object_schema(
            string("id", label="Template Id", description="Identifier of the template."),
            string("displayName", label="Display Name", description="Display name of the template."),
            obj("extensionParameters", string("rawContent", label="Raw Content", description="Template content."),
                label="Extension Parameters", description="WhatsApp specific template data."),
        ))),),
)

GetWhatsappTemplateCategories = Operation(
    id="GetWhatsappTemplateCategories", scope="WhatsApp", method="GET", path="/whatsapp/templates/categories",
    visibility="internal", summary="Get WhatsApp template categories",
    description="Lists the categories a WhatsApp template can have.",
    responses=(Response(status="200", description="The template categories.", schema=array_of(Schema(type="string"))),),
)

GetCustomerWhatsappIdentities = Operation(
    id="GetCustomerWhatsappIdentities", scope="WhatsApp", method="GET", path="/whatsapp/identities/{Customer-Id}",
    visibility="internal", summary="Get customer WhatsApp identities",
    description="Lists the WhatsApp identities (sender numbers) of a customer.",
    parameters=(path("Customer-Id", label="Customer", description="The Customer to fetch WhatsApp identities for."),),
    responses=(Response(status="200", description="The WhatsApp identities of the customer.", schema=array_of(
        object_schema(obj("inputSource",
                          string("address", label="Address", description="The WhatsApp identity number."),
                          label="Input Source", description="Where messages of this identity come from.")))),),
)

GetPhoneNumberRegions = Operation(
    id="GetPhoneNumberRegions", scope="Group.Management", method="GET", path="/phonenumberregions",
    visibility="internal", summary="Get phone number regions",
    description="Lists the regions that phone numbers can be parsed for.",
    responses=(Response(status="200", description="The phone number regions.", schema=array_of(object_schema(
        string("value", label="Region Code", description="Two-letter region code."),
        string("name", label="Region Name", description="Name of the region."),
    ))),),
)


# ---------------------------------------------------------------------------------------------------------
# Dropdowns, declared once and reused wherever a Customer or a Service is picked.

CUSTOMERS = Dropdown(operation=GetUserCustomers, collection="customerUsers", value="customerId", title="customerName")


def services(customer: str, service_type: str, allow_reply: bool | None = None) -> Dropdown:
    """The services of the customer chosen in parameter ``customer``, of one type."""
    args: dict = {"Customer-Id": Ref(customer), "ServiceType": service_type}
    if allow_reply is not None:
        args["AllowReplyMessage"] = allow_reply
    return Dropdown(operation=GetCustomerServices, value="id", title="name", args=args)


PHONE_REGIONS = Dropdown(operation=GetPhoneNumberRegions, value="value", title="name")

GROUP_CUSTOMER = path("Customer", label="Customer", description="The Customer to fetch Group Services for.",
                      dropdown=CUSTOMERS)
GROUP_SERVICE = path("Group Service", label="Group Service", description="The Group Service to use.",
                     dropdown=services("Customer", "Group"))

SEND_CUSTOMER = header("Customer-Id", label="Customer", description="The Customer to use for sending.", required=True,
                       dropdown=CUSTOMERS)


def send_service(allow_reply: bool) -> object:
    return header("Service-Id", label="Service", description="The Service to use for sending.", required=True,
                  dropdown=services("Customer-Id", "OneWay", allow_reply))


# ---------------------------------------------------------------------------------------------------------
# Fields shared by the send actions.

REQUEST_ID = string(
    "RequestId", label="Request Id",
    description="Optional unique request id that can be used to identify duplicate requests. If a duplicate request "
    "id is detected, sending is cancelled. There is no guarantee that requests with duplicate request ids will be "
    "blocked in high throughput/traffic situations. The given requestId will be \"remembered\" for 7 days.")
CUSTOMER_DATA = string("CustomerData", label="Customer Data",
                       description="Billing/grouping data for this message, optional.")
SEND_DATETIME = string("SendDateTime", label="Send Datetime",
                       description="The date and time to send the message. Leave empty to send instantly.",
                       format="date-time")

MESSAGE_BODY = object_schema(
    string("Sender", label="Message Sender",
           description="The sender of the message, can be alphanumeric, long code or short code "
           "(restrictions apply).", required=True),
    string("Content", label="Message Content", description="The content of the message.", required=True),
    string("Protocol", label="Message Protocol", description="The protocol to use for sending the message.",
           required=True, enum=("SMS",), default="SMS"),
    SEND_DATETIME,
    array("Recipients", object_schema(
        string("Address", label="Address", description="Message recipient address.", required=True),
        obj("Personalization", label="Personalization",
            description="Personalization values for this recipient, by placeholder name.",
            additional_properties=Schema(type="string")),
    ), label="Recipients", description="The recipients of the message.", required=True, min_items=1),
    string("AttachmentUri", label="Attachment Uri",
           description="Attachment Uri to be used when sending WhatsApp message that contains an attachment."),
    CUSTOMER_DATA,
    boolean("AdMessage", label="Ad Message",
            description="Optional overriding flag for marking the message as an ad message"),
    string("DlrUrl", label="Dlr Url",
           description="Url for Delivery status callback via http-get. You may add querystring values "
           "to url, they will be preserved."),
    REQUEST_ID,
)


def sent_message(*extra_fields, camel: bool = False) -> Schema:
    """The answer of the send actions: the message id, its part count and the recipients' ids."""
    k = (lambda s: s[0].lower() + s[1:]) if camel else (lambda s: s)
    return object_schema(
        string(k("MessageId"), label="Message Id", description="Newly created message's identifier."),
        integer(k("MessagePartCount"), label="Message Part Count",
                description="Approximated number of message parts for this message."),
        array(k("Recipients"), object_schema(
            string(k("Address"), label="Recipient Address",
                   description="Recipient address (phone number/email/user id etc.)."),
            string(k("Id"), label="Recipient Id",
                   description="Recipient identifier used for receiving delivery status information."),
        ), label=k("Recipients"), description=k("Recipients")),
        *extra_fields,
    )


# ---------------------------------------------------------------------------------------------------------
# Sending.

SendMessage = Operation(
    id="SendMessage", scope="Gateway.Send", method="POST", path="/messages", visibility="important",
    summary="Send Message", description="Send a Message to recipients.",
    parameters=(SEND_CUSTOMER, send_service(False),
                body(MESSAGE_BODY, label="Message", description="The message to send and its recipients.")),
    responses=(Response(status="200", description="The message was accepted.", schema=sent_message()),),
)

SendWhatsappTemplateMessage = Operation(
    id="SendWhatsappTemplateMessage", scope="WhatsApp", method="POST", path="/messages/templates/whatsapp",
    visibility="important",
    summary="Send WhatsApp Message", description="Send WhatsApp template message.",
    parameters=(
        SEND_CUSTOMER, send_service(False),
        body(object_schema(
            string("TemplateName", label="WhatsApp Template", description="The Template to use for sending.",
                   required=True,
                   dropdown=Dropdown(operation=GetCustomerWhatsAppTemplates, value="id",
                                     title="extensionParameters/rawContent",
                                     args={"Customer-Id": Ref("Customer-Id")})),
            array("Recipients", object_schema(
                string("Address", label="Address", description="Message recipient address.", required=True),
            ), label="Recipients", description="The recipients of the message.", required=True, min_items=1),
            array("BodyParameters", Schema(type="string"), label="BodyParameters", description="BodyParameters"),
            array("HeaderParameters", Schema(type="string"), label="HeaderParameters", description="HeaderParameters"),
            array("Buttons", object_schema(
                string("Type", label="Type",
                       description="The button type. Only one type per template, may contain multiple of the "
                       "same type.", enum=("Call", "QuickReply", "Url")),
                string("Data", label="Text", description="The text of the button."),
            ), label="Buttons", description="Values for the template's buttons."),
            string("SendDateTime", label="Send Datetime",
                   description="The date and time to send the message. Leave empty to send instantly."),
            string("AttachmentUri", label="Attachment Uri",
                   description="The Attachment Uri if the template contains an attachment."),
            boolean("UseSmsFallback", label="Use SMS Fallback", description="Should SMS be used as fallback."),
            string("DlrUrl", label="Dlr Url",
                   description="Delivery report Url that will recieve a callback when the sendprocess completes."),
            CUSTOMER_DATA,
            REQUEST_ID,
        ), label="WhatsApp Message", description="The template message to send and its recipients."),
    ),
    responses=(Response(status="200", description="The message was accepted.", schema=sent_message(camel=True)),),
)

SendDiscussionReplyMessage = Operation(
    id="SendDiscussionReplyMessage", scope="Discussion.Reply", method="POST", path="/messages/discussion/reply",
    visibility="important",
    summary="Send Discussion Reply Message", description="Send a Discussion Reply Message to recipients.",
    parameters=(
        header("CustomerId", label="Customer", description="The Customer to use for sending.", required=True,
               dropdown=CUSTOMERS),
        body(object_schema(
            string("ThreadId", label="Thread Id", description="Id of the existing Thread to reply to.", required=True),
            string("Content", label="Message Content", description="The content of the message.", required=True),
            CUSTOMER_DATA,
        ), label="Discussion Reply", description="The reply and the thread it belongs to."),
    ),
    responses=(Response(status="200", description="The reply was accepted.", schema=sent_message(
        string("ThreadId", label="ThreadId", description="Identifier of Thread that the message was sent to."))),),
)

SendReplyMessage = Operation(
    id="SendReplyMessage", scope="Gateway.Send", method="POST", path="/messages/reply/{ParentMessageId}",
    visibility="important",
    summary="Send Reply Message", description="Send a Replymessage to recipients.",
    parameters=(path("ParentMessageId", label="ParentMessage Id", description="The Parent message Id to reply to."),
                SEND_CUSTOMER, send_service(True),
                body(MESSAGE_BODY, label="Message", description="The reply to send and its recipients.")),
    responses=(Response(status="200", description="The reply was accepted.", schema=sent_message()),),
)

# ---------------------------------------------------------------------------------------------------------
# WhatsApp templates and opt-in.


def _opt(op_id: str, method: str, summary: str, description: str, sender: str, recipient: str) -> Operation:
    return Operation(
        id=op_id, scope="WhatsApp", method=method, path="/whatsapp/opt-in/sender/{Sender}/recipient/{Recipient}",
        visibility="important", deprecated=True, summary=summary, description=description,
        parameters=(path("Sender", label="Sender address", description=sender),
                    path("Recipient", label="Recipient address", description=recipient)),
        responses=(Response(status="204", description="Done."),),
    )


WhatsAppOptIn = _opt("WhatsAppOptIn", "POST", "WhatsApp Opt In (deprecated)",
                     "WhatsApp Opt In for sender and recipient. (deprecated)",
                     "Registered Whatsapp identity number to opt-in to.", "Recipient number to opt-in.")
WhatsAppOptOut = _opt("WhatsAppOptOut", "DELETE", "WhatsApp Opt Out (deprecated)",
                      "WhatsApp Opt Out for sender and recipient. (deprecated)",
                      "Registered Whatsapp identity number to opt-out from.",
                      "Recipent number to remove from opt-in.")

CreateWhatsappTemplate = Operation(
    id="CreateWhatsappTemplate", scope="WhatsApp", method="POST",
    path="/whatsapp/templates/{Customer-Id}/{IdentityNumber}",
    summary="Create WhatsApp template", description="Create a new WhatsApp template.",
    parameters=(
        path("Customer-Id", label="Customer", description="The Customer to create the Template for.",
             dropdown=CUSTOMERS),
        path("IdentityNumber", label="IdentityNumber", description="WhatsApp IdentityNumber used for the template.",
             dropdown=Dropdown(operation=GetCustomerWhatsappIdentities, value="inputSource/address",
                               title="inputSource/address", args={"Customer-Id": Ref("Customer-Id")})),
        body(object_schema(
            string("DisplayName", label="Displayname", description="Template Displayname.", required=True),
            string("RawContent", label="Content", description="Template content.", required=True),
            string("Category", label="Template Category", description="Template category.", required=True,
                   dropdown=Dropdown(operation=GetWhatsappTemplateCategories)),
            string("Language", label="Template Language", description="2-character code for template language.",
                   required=True),
            array("Buttons", object_schema(
                string("Type", label="Button Type", description="Type of Button.", enum=("Call", "QuickReply", "Url")),
                string("Label", label="Button Label", description="Button Label."),
                string("Data", label="Button Data",
                       description="Button data. Url (Url), phone number (Call) or text (QuickReply). "
                       "Max length is 2000 for Url, and 20 for phone number and text."),
            ), label="Buttons", description="The template's buttons."),
            string("AttachmentUrl", label="Attachment Url", description="URL to an example attachment."),
        ), label="Template", description="The template to create."),
    ),
    responses=(Response(status="204", description="The template was created."),),
)


# ---------------------------------------------------------------------------------------------------------
# Group contacts. The reference page gives these four actions their summary as description; certification
# wants a description that differs from the summary and ends with punctuation, so they say a little more.

UUID = Definition(name="uuid", schema=Schema(type="string", format="uuid", label="Contact Id",
                                             description="Unique Id of the created Contact."))
BOOLEAN = Definition(name="boolean", schema=Schema(type="boolean", label="response",
                                                   description="This is the basic data type 'boolean'."))

GROUP = "/groupcontact/{Customer}/{Group Service}"  # the path of a group service's contacts
PHONE = path("Phone", label="Phone", description="The Phone number of the Contact.")


def contact_fields(kind: str) -> tuple:
    """A Contact's fields as CreateGroupContact ("create"), UpdateGroupContact ("update") and GetGroupContact
    ("read") give them; the reference page words a few of them differently."""
    read, create = kind == "read", kind == "create"
    custom = "Custom property" if create else "Custom contact property"
    fields = (
        None if read else boolean("active", label="Active", description="Flag that indicates if the Contact is Active.",
                                  default=True),
        None if kind == "update" else string("phone", label="Phone", description="Phone number of the Contact.",
                                             required=create),
        string("email", label="Email", description="Email address of the Contact."),
        string("firstName", label="Firstname", description="Firstname of the Contact."),
        string("lastName", label="Lastname", description="Lastname of the Contact."),
        string("gender", label="Gender", description="Gender of the Contact.",
               enum=None if read else ("Male", "Female", "Other")),
        integer("birthYear", label="Birth Year", description="Birth Year of the Contact."),
        string("streetAddress", label="Street Address", description="Street Address of the Contact."),
        string("zipCode", label="Zip Code", description="Zip Code of the Contact."),
        string("city", label="City", description="City of the Contact."),
        string("countryCode", label="Country Code",
               description=("" if read else "3-letter ") + "Country Code of the Contact."),
        integer("failedMessages", label="Failed Messages",
                description="Number of failed messages for the Contact.") if read else None,
        array("customContactProperties", object_schema(
            string("name", label="Name", description=f"{custom} name."),
            string("value", label="Value", description=f"{custom} value."),
        ), label="Custom Properties", description="Custom Contact Property collection saved for the Contact."),
        None if read else array("phoneNumberRegions", Schema(type="string", dropdown=PHONE_REGIONS),
                                label="Phonenumber Regions",
                                description="Phonenumber regions to use for parsing numbers. Defaults to Finland if "
                                "left empty."),
    )
    return tuple(f for f in fields if f is not None)

GetGroupContact = Operation(
    id="GetGroupContact", scope="Group.Management", method="GET", path=f"{GROUP}/{{Phone}}",
    summary="Get Group Contact", description="Get a contact of a group service by phone number.",
    parameters=(GROUP_CUSTOMER, GROUP_SERVICE, PHONE,
                query("Region", label="Region",
                      description="Optional Phonenumber region to use for parsing the Phone number.",
                      dropdown=PHONE_REGIONS)),
    responses=(Response(status="200", description="The contact.", schema=object_schema(*contact_fields("read"))),),
)

CreateGroupContact = Operation(
    id="CreateGroupContact", scope="Group.Management", method="POST", path=GROUP,
    summary="Create group contact", description="Create a contact in a group service.",
    parameters=(GROUP_CUSTOMER, GROUP_SERVICE,
                body(object_schema(*contact_fields("create")), label="Contact",
                     description="The contact to create.")),
    responses=(Response(status="200", description="Unique Id of the created Contact.", schema=UUID),),
)

UpdateGroupContact = Operation(
    id="UpdateGroupContact", scope="Group.Management", method="PUT", path=f"{GROUP}/{{Phone}}",
    summary="Update Group Contact", description="Update a contact of a group service.",
    parameters=(GROUP_CUSTOMER, GROUP_SERVICE,
                reusing(PHONE, description="The Phone number of the contact to update."),
                body(object_schema(*contact_fields("update")), label="Contact",
                     description="The new values of the contact.")),
    responses=(Response(status="200", description="Whether the contact was updated.", schema=BOOLEAN),),
)

DeleteGroupContact = Operation(
    id="DeleteGroupContact", scope="Group.Management", method="DELETE", path=f"{GROUP}/{{Phone}}",
    summary="Delete Group Contact", description="Delete group contact using phone number.",
    parameters=(GROUP_CUSTOMER, GROUP_SERVICE,
                reusing(PHONE, description="The Phone number of the contact to Delete.")),
    responses=(Response(status="200", description="Whether the contact was deleted.", schema=BOOLEAN),),
)

DeleteAllGroupContacts = Operation(
    id="DeleteAllGroupContacts", scope="Group.Management", method="DELETE", path=GROUP,
    summary="Delete All Group Contacts", description="Delete all contacts of a group service.",
    parameters=(GROUP_CUSTOMER, GROUP_SERVICE),
    responses=(Response(status="200", description="Whether the contacts were deleted.", schema=BOOLEAN),),
)

# ---------------------------------------------------------------------------------------------------------
# The trigger: a webhook registered as an HTTP action of the two-way service's pipeline.

INBOUND_MESSAGE = object_schema(
    string("sender", label="Message Sender", description="The message sender."),
    string("recipient", label="Message Recipient", description="The recipient of the message."),
    string("content", label="Message Content", description="The content of the received message."),
    string("timestamp", label="Message Timestamp", description="The timestamp of the message.", format="date-time"),
    string("protocol", label="Message Protocol", description="The protocol of the received message."),
    array("attachments", object_schema(
        string("name", label="Attachment Filename", description="The filename of the attachment."),
        string("mimeType", label="Attachment Mime Type", description="The mime type of the attachment."),
        string("resourceLocation", label="Attachment Resource Location",
               description="The attachment resource location."),
    ), label="attachments", description="attachments"),
    string("messageId", label="Message Id", description="The unique message Id of the received message."),
)

NewMessage = Operation(
    id="NewMessage", scope="TwoWay.Management", method="POST", path="/service/{Service}/pipelines/actions",
    trigger="single",
    summary="New Message", description="When a new message arrives to a 2-Way service.",
    parameters=(
        header("Customer", label="Customer", description="The Customer to use.", required=True, dropdown=CUSTOMERS),
        path("Service", label="Service", description="The 2-Way service to use.",
             dropdown=services("Customer", "TwoWay")),
        body(object_schema(
            string("name", label="Name", description="Name of the webhook action.", required=True,
                   visibility="internal", default="Power Automate New Message"),
            string("actionType", label="Action Type", description="Type of the pipeline action.", required=True,
                   visibility="internal", default="HttpRequest"),
            string("description", label="Description", description="Description of the webhook action.",
                   required=True, visibility="internal", default="Forwards new messages to a Power Automate flow."),
            obj("options",
                string("endpointUrl", label="Endpoint Url", description="The URL that new messages are posted to.",
                       required=True, visibility="internal", notification_url=True),
                string("httpVerb", label="Http Verb", description="The HTTP method used to post new messages.",
                       required=True, visibility="internal", default="POST"),
                label="Options", description="Where and how new messages are delivered.", required=True,
                visibility="internal"),
        ), label="Webhook", description="The webhook registration.", visibility="internal"),
    ),
    responses=(Response(status="201", description="The webhook was registered.", schema=object_schema(
        string("id", label="Subscription Id", description="Identifier of the webhook subscription."))),),
    notification=INBOUND_MESSAGE,
    notification_description="A new message arrived to the 2-Way service.",
    webhook_delete=DeleteTrigger, subscription_id="id",
)

# ---------------------------------------------------------------------------------------------------------

connector = Connector(
    title="SmartDialog", version="1.0",
    description="SmartDialog is a platform used to send and receive SMS- and WhatsApp messages. It offers a wide "
                "variety of smart messaging services.",
    contact=Contact(name="Arena Interactive Support", email="support@arenainteractive.fi",
                    url="https://www.arenainteractive.fi/contact"),
    website="https://www.arenainteractive.fi", privacy_policy="https://www.arenainteractive.fi/privacypolicy",
    categories=("Communication", "Collaboration"), brand_color="#254A8E", icon_glyph="SD",
    publisher="Arena Interactive Oy", stack_owner="Arena Interactive Oy",
    host="api.arena.fi", base_path="/api-integrations/v1", schemes=("https",),
    scope_prefix=SCOPE_PREFIX,
    security=OAuth2(
        authorization_url=f"{B2C}/authorize", token_url=f"{B2C}/token", refresh_url=f"{B2C}/token",
        # the sign-in asks for these first, in this order; every other operation scope follows
        scopes=("offline_access", "Gateway.Send", "Customer.Services", "User.Customers", "TwoWay.Management"),
        scope_description="Access to the SmartDialog integrations API.",
    ),
    throttling=Throttling(calls=100, period_seconds=60),
    # script.csx: the service's logs carry the flow run's correlation id; the platform deletes a New Message
    # webhook through the Location header of its registration answer, which SmartDialog does not send: the
    # pipeline of a two-way service has the service's id, the action id is the subscription id.
    transforms=(
        CorrelationIdHeader(header="x-correlation-id"),
        WebhookLocation(trigger=NewMessage, args={"Pipeline-Id": Ref("Service"), "Action-Id": SUBSCRIPTION_ID}),
    ),
    # The certification readme's text that no operation gives (the reference page's Prerequisites and Setup).
    readme=Readme(
        prerequisites=(
            "A SmartDialog subscription and account. Please be in contact with sales@arenainteractive.fi.",
            "OAuth needs to be enabled for your account and a client secret needs to be requested. This can be "
            "done by sending us an email at support@arenainteractive.fi.",
        ),
        credentials=(
            "Send an email to support@arenainteractive.fi and ask for OAuth to be enabled for your SmartDialog "
            "account; Arena Interactive then gives you the client id and the client secret of the connector.",
            "When you create a connection, sign in with your SmartDialog account.",
        ),
        deployment=(
            "Please follow the instructions in Create a custom connector from an OpenAPI definition, or deploy the "
            "files with paconn as described above.",
            "Create a Flow or PowerApp and add a SmartDialog action from the custom section. Sign in with your "
            "SmartDialog account.",
        ),
    ),
    operations=operations_in(globals()),  # actions, then the trigger, then the internal helpers
    default_response=FAILED,
)
