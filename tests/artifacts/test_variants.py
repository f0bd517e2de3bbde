"""One model, many outputs: same model, same bytes (zip included); a change in the model changes exactly
the files that carry it, nothing else. Each variant is built and packaged into a tmp folder of its own."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from artifact_helpers import differing, tree
from connector.generate.build import BuildContext, build
from connector.model import Operation, Response, path
from connector.package import package

MANIFEST = ".generated.json"  # the build's own record of file hashes: changes whenever a file does


def outputs(connector, root: Path, context: BuildContext = BuildContext()) -> dict[str, bytes]:
    """Every file the build and the package write, by path under ``root``."""
    build(connector, root / "build", context)
    package(connector, root / "certification")
    return tree(root)


@pytest.fixture(scope="module")
def base(smartdialog, tmp_path_factory):
    return outputs(smartdialog, tmp_path_factory.mktemp("base"))


def test_two_builds_give_identical_bytes_for_every_file(smartdialog, base, tmp_path):
    again = outputs(smartdialog, tmp_path)
    assert set(base) == set(again) and len(base) == 14  # 6 artifacts + manifest, 5 + zip + manifest
    assert differing(base, again) == set()


def test_brand_colour_changes_api_properties_and_icon_only(smartdialog, base, tmp_path):
    changed = differing(base, outputs(replace(smartdialog, brand_color="#DA3B01"), tmp_path))
    assert changed == {
        "build/apiProperties.json", "build/icon.png", f"build/{MANIFEST}",
        "certification/SmartDialog/apiProperties.json", "certification/SmartDialog/icon.png",
        "certification/SmartDialog.zip", f"certification/{MANIFEST}",
    }


NEW_ACTION = Operation(id="GetMessageStatus", method="GET", path="/messages/{MessageId}/status",
                       summary="Get message status", description="Gets the delivery status of a message.",
                       parameters=(path("MessageId", label="Message Id", description="The message to look up."),),
                       responses=(Response(status="200", description="The status."),))


def test_a_new_action_changes_swagger_api_properties_and_readme_only(smartdialog, base, tmp_path):
    """The correlation id applies to every operation, so scriptOperations grows but the script itself
    (which sets the header whatever the operation) stays the same; the icon and settings do not care."""
    bigger = replace(smartdialog, operations=(*smartdialog.operations, NEW_ACTION))
    changed = differing(base, outputs(bigger, tmp_path))
    assert changed == {
        "build/apiDefinition.swagger.json", "build/apiProperties.json", "build/readme.md", f"build/{MANIFEST}",
        "certification/SmartDialog/apiDefinition.swagger.json", "certification/SmartDialog/apiProperties.json",
        "certification/SmartDialog/readme.md", "certification/SmartDialog.zip", f"certification/{MANIFEST}",
    }
    after = tree(tmp_path)
    assert b"### Get message status\nGets the delivery status of a message." in after["build/readme.md"]
    assert b'"GetMessageStatus"' in after["build/apiProperties.json"]


def test_a_new_internal_operation_leaves_the_readme_alone(smartdialog, base, tmp_path):
    helper = replace(NEW_ACTION, id="GetStatuses", path="/statuses", parameters=(), visibility="internal")
    changed = differing(base, outputs(replace(smartdialog, operations=(*smartdialog.operations, helper)), tmp_path))
    assert {c.split("/")[-1] for c in changed} == {"apiDefinition.swagger.json", "apiProperties.json", MANIFEST,
                                                  "SmartDialog.zip"}


def test_the_mock_profile_changes_endpoints_only(smartdialog, base, tmp_path):
    mock = outputs(smartdialog, tmp_path, BuildContext(profile="mock", mock_url="http://127.0.0.1:9000"))
    # the certification package is always production: identical to the base one
    assert differing(base, mock) == {"build/apiDefinition.swagger.json", "build/apiProperties.json",
                                     f"build/{MANIFEST}"}
