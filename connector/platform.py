"""Facts about Power Platform itself (not about any one connector), shared by every stage that needs them."""

from __future__ import annotations

import re

# The namespaces a script.csx may use; the platform imports them implicitly and rejects any other `using`.
ALLOWED_NAMESPACES: tuple[str, ...] = (
    "System", "System.Collections", "System.Collections.Generic", "System.Diagnostics", "System.IO",
    "System.IO.Compression", "System.Linq", "System.Net", "System.Net.Http", "System.Net.Http.Headers",
    "System.Net.Security", "System.Security.Authentication", "System.Security.Cryptography", "System.Text",
    "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks", "System.Web", "System.Xml",
    "System.Xml.Linq", "System.Drawing", "System.Drawing.Drawing2D", "System.Drawing.Imaging",
    "Microsoft.Extensions.Logging", "Newtonsoft.Json", "Newtonsoft.Json.Linq",
)


# ----- client-id placeholders ------------------------------------------------------------------------------
# How connectors in the wild leave the OAuth client id to be filled in (counted over 725 published connector
# folders: "[[DUMMY]]", "PLACEHOLDER_CLIENTID", "<<Please add your clientID here>>", "", "[YOUR_CLIENT_ID]",
# "{{ client id }}", "Enter your client ID", "<Enter Your Client ID>", "dummy", "xxxxxxxx", ...). A real client
# id is one token (a GUID, or a provider's key): never blank, never bracketed, never words with spaces.
_BRACKETED = re.compile(r"^\s*(?:\[.*\]|<.*>|\{.*\}|\$\{.*\}|%.*%|\(.*\))\s*$", re.S)
_PLACEHOLDER_WORDS = re.compile(
    r"client[\s_.-]*id|app(?:lication)?[\s_.-]*id|your|placeholder|dummy|example|sample|replace|enter|insert|"
    r"changeme|change[\s_.-]me|todo|tbd|fixme|redacted|^null$|^none$|^undefined$|^n/?a$|^test$|^value$",
    re.I)


def is_placeholder(value: object) -> bool:
    """True when ``value`` is not a real OAuth client id but a stand-in for one: missing or empty, bracketed
    (``[[…]]``, ``[…]``, ``<<…>>``, ``<…>``, ``{{…}}``, ``{…}``, ``${…}``, ``%…%``), words with spaces ("Enter
    your client ID"), a placeholder word ("YOUR_CLIENT_ID", "PLACEHOLDER_CLIENTID", "dummy"), or one repeated
    character ("xxxxxxxx", "00000000-0000-0000-0000-000000000000")."""
    if not isinstance(value, str):
        return True
    text = value.strip()
    if not text or _BRACKETED.match(text) or any(c.isspace() for c in text):
        return True
    if _PLACEHOLDER_WORDS.search(text):
        return True
    return len({c.lower() for c in text if c.isalnum()}) <= 1
