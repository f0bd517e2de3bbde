"""``connector mock``: a stateful SmartDialog server (routes and validation derived from the model), with an
OAuth 2.0 authorization server, webhooks, throttling and state in SQLite."""
