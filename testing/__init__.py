"""Test support: the factory and personas (factory.py) and the app as a real server (servers.py) that the
suite, the benchmark and the stress runs share.

No app imports this package at run time (an import-linter contract in pyproject.toml keeps it so).
"""
