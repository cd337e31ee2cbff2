"""Packaging: the PyInstaller bundle, its --smoke self-check, the installer definitions."""
