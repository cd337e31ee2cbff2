"""WSGI entry for production: `gunicorn -k gevent -w 1 kayako_desktop.server.wsgi:app` (settings from CHAT_* env).

One worker process: live sockets and the event hub live in it (gevent serves thousands of sockets in it).
"""

import gc

from kayako_desktop.server import create_app

app = create_app()
# Everything built so far lives as long as the process: keep it out of every future GC pass (shorter
# full-collection pauses for all sockets).
gc.freeze()
