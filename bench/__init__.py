"""The speed benchmark (`python bench/run.py`) and the answers files it times."""
