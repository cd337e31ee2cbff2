"""Our server with WAL checkpoints moved to a native thread:

    .venv/bin/python bench/delivery.py --sockets 1000 --app bench.variants.checkpoint_thread:app
"""

from bench.variants.patches import checkpoint_in_thread

checkpoint_in_thread()

from kayako_desktop.server import create_app  # noqa: E402

app = create_app()
