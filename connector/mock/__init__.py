"""``connector mock``: a stateful server for a connector (routes and validation derived from the model), with an
OAuth 2.0 authorization server, webhooks, throttling and state in SQLite."""
