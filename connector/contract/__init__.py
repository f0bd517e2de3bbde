"""Contract tests: drive a built connector folder the way Power Automate does (``connector contract``)."""
