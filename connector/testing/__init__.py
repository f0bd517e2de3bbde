"""Helpers for testing a connector's deployment without the Power Platform, kept apart from the product
(as click keeps ``click.testing``): nothing in ``connector`` imports them except ``connector deploy
--dry-run``, which starts a stand-in on purpose.

* :mod:`connector.testing.standin`: a loopback stand-in of the Power Platform endpoints paconn 0.0.21 calls,
  and of the Microsoft Entra ID authority endpoints (device code, token) that ``connector login`` and
  ``connector deploy``'s token refresh call.
* ``connector/testing/shim/``: a ``sitecustomize`` that, inside the paconn process only, resolves the
  stand-in's blob host name to 127.0.0.1 (put on that process's ``PYTHONPATH`` by
  :meth:`StandIn.paconn_environment <connector.testing.standin.StandIn.paconn_environment>`).
"""
