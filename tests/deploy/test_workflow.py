"""The GitHub Actions workflow in scripts/: it runs what the README says, and hands deploy its secrets
under the names the code reads."""

from __future__ import annotations

import yaml

from connector.deploy.runner import SECRET_ENV
from conftest import ROOT

WORKFLOW = ROOT / "scripts" / "github-actions" / "connector.yml"


def steps(job: dict) -> str:
    return "\n".join(s.get("run", "") + " " + str(s.get("env", "")) for s in job["steps"])


def test_workflow_builds_validates_tests_and_deploys_on_main():
    flow = yaml.safe_load(WORKFLOW.read_text())
    jobs = flow["jobs"]
    test = steps(jobs["test"])
    for command in ("make build", "connector validate build/SmartDialog", "make test", "make contract"):
        assert command in test
    deploy = jobs["deploy"]
    assert deploy["needs"] == "test"
    assert "refs/heads/main" in deploy["if"] and "pull_request" in deploy["if"]
    text = steps(deploy)
    assert "make deploy" in text and "--update" in text and "--create" in text
    [run] = [s for s in deploy["steps"] if "make deploy" in s.get("run", "")]
    assert run["env"][SECRET_ENV] == "${{ secrets.CONNECTOR_CLIENT_SECRET }}"
    [login] = [s for s in deploy["steps"] if "accessTokens.json" in s.get("run", "") and "printf" in s["run"]]
    assert login["env"]["PACONN_ACCESS_TOKENS"] == "${{ secrets.PACONN_ACCESS_TOKENS }}"
    assert "umask 077" in login["run"]
    # the full loop: deploy refreshes and writes the rotated token file, a later step stores it back as the
    # same secret, also when paconn failed after the refresh
    assert run["id"] == "deploy" and "--token-output $RUNNER_TEMP/paconn-token.json" in run["run"]
    [store] = [s for s in deploy["steps"] if "gh secret set" in s.get("run", "")]
    assert "gh secret set PACONN_ACCESS_TOKENS --env power-platform" in store["run"]
    assert '< "$TOKEN_FILE"' in store["run"]  # from the file: the token is on no command line
    assert store["env"]["TOKEN_FILE"] == "${{ steps.deploy.outputs.token-file }}"
    assert store["env"]["GH_TOKEN"].startswith("${{ secrets.")
    assert store["if"].startswith("always()") and "steps.deploy.outputs.token-file" in store["if"]
    steps_in_order = [s.get("name", "") for s in deploy["steps"]]
    assert steps_in_order.index(store["name"]) > steps_in_order.index(run["name"])
    [cleanup] = [s for s in deploy["steps"] if "rm -f" in s.get("run", "")]
    assert "$RUNNER_TEMP/paconn-token.json" in cleanup["run"] and cleanup["if"] == "always()"
    assert flow[True]["schedule"]  # runs weekly, so the refresh token never lapses unused
    # no secret is ever put on a command line or into the workflow's text
    assert "secrets." not in "".join(s.get("run", "") for s in deploy["steps"])
