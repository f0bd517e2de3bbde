"""Declare a Power Platform custom connector once, in Python, and turn it into everything the platform needs.

The pipeline, one sub-package per stage:

- ``connector.model``     the declarative model (plain typed dataclasses) and its declaration-time checks;
- ``connector.generate``  emitters: swagger, apiProperties, icon, script, readme, settings;
- ``connector.validate``  the offline certification linter for any connector folder;
- ``connector.package``   the certification submission folder and zip;
- ``connector.deploy``    paconn create/update, non-interactive;
- ``connector.mock``      a stateful SmartDialog server; ``connector.contract`` the platform-like client;
- ``connector.importer``  swagger -> Python model; ``connector.diff`` breaking-change detection.

The SmartDialog declaration itself lives in ``connector.smartdialog``.
"""

__version__ = "0.1.0"
