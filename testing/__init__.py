"""Test support: the factory and personas the suite, the benchmark and the stress runs share.

No app imports this package at run time (an import-linter contract in pyproject.toml keeps it so).
"""
