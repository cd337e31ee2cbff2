"""Our server declining permessage-deflate on the realtime socket (simple-websocket otherwise accepts it with
zlib's default 32 KiB window for every socket). Run with --deflate so the client offers it, as browsers do:

    .venv/bin/python bench/delivery.py --sockets 1000 --deflate --app bench.variants.no_deflate:app
"""

from flask import request
from kayako_desktop.server import create_app

app = create_app()


@app.before_request
def _no_socket_compression() -> None:
    if request.path == "/api/v1/realtime":
        request.environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
