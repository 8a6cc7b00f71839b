"""The test suite (a package, so tests can share tests/helpers.py)."""
