"""Declaration checks of script transforms: each mistake is named with its place and fix."""

from __future__ import annotations

from dataclasses import replace

import pytest
from click.testing import CliRunner

from connector.cli import main
from connector.model import SUBSCRIPTION_ID, CorrelationIdHeader, ModelError, Ref, WebhookLocation, check


def problems(smartdialog, *transforms):
    return check(replace(smartdialog, transforms=transforms))


def test_smartdialog_transforms_are_valid(smartdialog):
    assert check(smartdialog) == []


@pytest.mark.parametrize("transform, expected", [
    (CorrelationIdHeader(header="bad header"), "not a valid HTTP header name"),
    (CorrelationIdHeader(operations=("Nope",)), "operation 'Nope' is not declared"),
    (WebhookLocation(trigger="Nope", args={}), "trigger 'Nope' is not declared"),
    (WebhookLocation(trigger="SendMessage", args={}), "is not a trigger"),
    (WebhookLocation(trigger="NewMessage", args={"Pipeline-Id": Ref("Service")}),
     "has the path parameter 'Action-Id', which args does not fill"),
    (WebhookLocation(trigger="NewMessage", args={"Pipeline-Id": Ref("Service"), "Action-Id": SUBSCRIPTION_ID,
                                                 "Extra": SUBSCRIPTION_ID}),
     "args fills 'Extra', which is not a path parameter of 'DeleteTrigger'"),
    (WebhookLocation(trigger="NewMessage", args={"Pipeline-Id": Ref("Nope"), "Action-Id": SUBSCRIPTION_ID}),
     "refers to parameter 'Nope', which the trigger does not have"),
    (WebhookLocation(trigger="NewMessage", args={"Pipeline-Id": Ref("body"), "Action-Id": SUBSCRIPTION_ID}),
     "path and header parameters only"),
    (WebhookLocation(trigger="NewMessage", args={"Pipeline-Id": "svc", "Action-Id": SUBSCRIPTION_ID}),
     "use Ref(\"<trigger parameter>\") or SUBSCRIPTION_ID"),
])
def test_each_mistake_is_named(smartdialog, transform, expected):
    found = problems(smartdialog, transform)
    assert len(found) == 1 and expected in found[0], found
    assert found[0].startswith("transform 1")


def test_something_else_is_refused_when_the_connector_is_built(smartdialog):
    with pytest.raises(ModelError, match=r"connector 'SmartDialog': transforms\[0\] is 'not a transform'; use "
                                         r"CorrelationIdHeader"):
        replace(smartdialog, transforms=("not a transform",))


def test_a_trigger_without_webhook_delete(smartdialog):
    trigger = replace(smartdialog.operation("NewMessage"), webhook_delete=None)
    ops = tuple(trigger if o.id == "NewMessage" else o for o in smartdialog.operations)
    found = check(replace(smartdialog, operations=ops,
                          transforms=(WebhookLocation(trigger=trigger, args={}),)))
    assert len(found) == 1 and "declares no webhook_delete operation" in found[0]


def test_the_same_header_twice(smartdialog):
    found = problems(smartdialog, CorrelationIdHeader(), CorrelationIdHeader(header="X-Correlation-Id"))
    assert found == ["transforms: the header 'x-correlation-id' is set by 2 CorrelationIdHeader transforms; "
                     "declare it once."]


def test_build_reports_transform_problems_without_traceback(tmp_path):
    model = tmp_path / "m.py"
    model.write_text(
        "from connector.model import *\n"
        "op = Operation(id='A', method='GET', path='/a', summary='A', description='A thing.',"
        " responses=(Response(status='200', description='OK'),))\n"
        "connector = Connector(title='T', description='A connector for the transform checks.', host='h',"
        " operations=(op,), transforms=(WebhookLocation(trigger=op),))\n")
    result = CliRunner().invoke(main, ["build", "--model", str(model), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1 and "is not a trigger" in result.output and "Traceback" not in result.output
