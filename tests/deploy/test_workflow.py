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
    # no secret is ever put on a command line or into the workflow's text
    assert "secrets." not in "".join(s.get("run", "") for s in deploy["steps"])
