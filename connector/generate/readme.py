"""readme.md: the certification readme (Microsoft's template sections), from the model.

Title and summary, publisher, the visible operations (actions and triggers, never internal helpers), the
throttling limit and deprecations come from the model; what no operation tells (prerequisites, how to get
credentials, steps after deployment) is the connector's ``Readme`` text. Rendered from
``templates/readme.md.j2``. A connector whose ``readme`` is a file path gets that file unchanged.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Connector, OAuth2, Operation, Readme, effective_transforms
from .templating import render_template

TEMPLATE = "templates/readme.md.j2"


def _name(op: Operation) -> str:
    """An operation's name without a trailing '(deprecated)' (the readme says so in words)."""
    return re.sub(r"\s*\(deprecated\)\s*$", "", op.summary or op.id, flags=re.IGNORECASE) or op.id


def readme_md(connector: Connector) -> str:
    operations = connector.visible_operations
    oauth = connector.security if isinstance(connector.security, OAuth2) else None
    r = connector.readme if isinstance(connector.readme, Readme) else Readme()
    text = render_template(TEMPLATE, connector=connector, r=r, operations=operations,
                           deprecated=[_name(o) for o in operations if o.deprecated], oauth=oauth,
                           has_script=bool(effective_transforms(connector)) or connector.imported.script_source is not None)
    lines = [line.rstrip() for line in text.splitlines()]
    out: list[str] = []
    for line in lines:  # one blank line between blocks, none at the end
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"


def emit(connector: Connector, context: object = None) -> bytes | str:
    if isinstance(connector.readme, Path):  # the author's own readme file, copied byte for byte
        return connector.readme.read_bytes()
    return readme_md(connector)
