"""Kayako Desktop: the agent desktop app, its local bridge, and the self-hostable chat server."""

__version__ = "0.1.0"
