"""The consultation's screens, one per step."""
