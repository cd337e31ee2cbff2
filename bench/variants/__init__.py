"""Server variants for `bench/delivery.py --app ...`: experiments that patch the app at import, never app/ itself."""
