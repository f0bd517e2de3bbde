"""Facts about Power Platform itself (not about any one connector), shared by every stage that needs them."""

from __future__ import annotations

# The namespaces a script.csx may use; the platform imports them implicitly and rejects any other `using`.
ALLOWED_NAMESPACES: tuple[str, ...] = (
    "System", "System.Collections", "System.Collections.Generic", "System.Diagnostics", "System.IO",
    "System.IO.Compression", "System.Linq", "System.Net", "System.Net.Http", "System.Net.Http.Headers",
    "System.Net.Security", "System.Security.Authentication", "System.Security.Cryptography", "System.Text",
    "System.Text.RegularExpressions", "System.Threading", "System.Threading.Tasks", "System.Web", "System.Xml",
    "System.Xml.Linq", "System.Drawing", "System.Drawing.Drawing2D", "System.Drawing.Imaging",
    "Microsoft.Extensions.Logging", "Newtonsoft.Json", "Newtonsoft.Json.Linq",
)
