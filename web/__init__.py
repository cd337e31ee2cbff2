"""The web assets (agent UI, visitor widget, demo shop) as package data: see kayako_desktop/webroot.py."""
