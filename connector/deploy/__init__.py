"""``connector deploy``: create or update a built connector folder with the real paconn 0.0.21, without prompts,
the OAuth client secret only from ``CONNECTOR_CLIENT_SECRET``; and ``standin``, a loopback stand-in of the Power
Platform endpoints paconn calls, for tests and dry runs.

``deployer.deploy(DeployOptions, ...)`` is the API; ``cli.deploy`` the command; ``runner`` keeps paconn in its own
virtual environment; ``folder`` checks and copies the built folder; ``service`` checks sign-in, environment and
connector id; ``record`` keeps the connector id beside the folder.
"""

from .deployer import DeployOptions, DeployResult, deploy
from .standin import StandIn

__all__ = ["DeployOptions", "DeployResult", "deploy", "StandIn"]
