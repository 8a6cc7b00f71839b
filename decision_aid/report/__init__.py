"""Rendering a summary as the Markdown report (Jinja2 templates kept in the package)."""
