"""compare: a fresh, evidence-backed index of AI tools."""

__version__ = "0.1.0"
