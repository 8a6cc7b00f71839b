"""ivig-decision-aid: a decision aid about IVIG for people with lupus."""

__version__ = "0.1.0"
