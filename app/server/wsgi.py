"""WSGI entry for production: `gunicorn -k gevent -w 1 app.server.wsgi:app` (settings from CHAT_* env).

One worker process: live sockets and the event hub live in it (gevent serves thousands of sockets in it).
"""

from app.server import create_app

app = create_app()
