"""The desktop shell: pywebview windows, the native API, settings, keyring and the embedded server."""
