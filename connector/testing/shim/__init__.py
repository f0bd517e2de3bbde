"""The name-resolution shim: this folder goes on the paconn process's PYTHONPATH (see sitecustomize.py)."""
