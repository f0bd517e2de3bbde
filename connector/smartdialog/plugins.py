"""Registers SmartDialog's mock behaviours and contract scenarios with the generic mock and contract cores.
Importing this module is cheap: the plug-ins themselves are imported only when a mock or a contract run
needs them."""

from __future__ import annotations

from connector.contract.packs import register_scenarios
from connector.mock.plugin import register

register("connector.smartdialog.mock:PLUGIN")
register_scenarios("connector.smartdialog.scenarios:PACK")
