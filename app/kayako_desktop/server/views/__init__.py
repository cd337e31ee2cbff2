"""HTTP views: parse and validate (via `api.route`), call actions or queries, return models.
Nothing here publishes events or writes SQL directly beyond `svc.db.write()` around an action."""

from kayako_desktop.server.api import Api

api = Api()

# Importing the modules registers their routes on `api`.
from kayako_desktop.server.views import (  # noqa: E402,F401
    bans,
    cases,
    files,
    macros,
    messenger,
    meta,
    reports,
    session,
    skills,
    staff,
    teams,
    transcripts,
    visitors,
)
