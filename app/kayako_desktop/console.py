"""Terminal output for the command-line modes. A frozen windowed app has no stdout (sys.stdout is None):
there the text goes to the log instead of crashing."""

from __future__ import annotations

import logging
import sys

log = logging.getLogger("kayako")


def say(text: str, *, error: bool = False) -> None:
    stream = sys.stderr if error else sys.stdout
    if stream is None:
        (log.error if error else log.info)(text)
        return
    stream.write(text + "\n")
    stream.flush()
