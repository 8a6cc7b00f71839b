"""The consultation's own widgets, one per module."""
