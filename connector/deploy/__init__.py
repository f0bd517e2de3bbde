"""``connector deploy``: create or update a built connector folder with the real paconn 0.0.21, without prompts,
the OAuth client secret only from ``CONNECTOR_CLIENT_SECRET``; and ``connector login``, paconn's device-code
sign-in, whose refresh token deploy then uses to renew the access token before each run.

``deployer.deploy(DeployOptions, ...)`` is the API; ``cli.deploy`` and ``cli.login`` the commands; ``auth``
signs in and refreshes paconn's token file; ``runner`` keeps paconn in a virtual environment of its own in the
user's cache directory; ``folder`` checks and copies the built folder; ``service`` checks sign-in, environment
and connector id; ``record`` keeps the connector id beside the folder. The loopback stand-in of the Power
Platform used by tests and ``--dry-run`` is :mod:`connector.testing.standin`.
"""

from .deployer import DeployOptions, DeployResult, deploy

__all__ = ["DeployOptions", "DeployResult", "deploy"]
