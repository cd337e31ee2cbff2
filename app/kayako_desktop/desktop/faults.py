"""Exceptions that escape a callback must not take the app down.

PyQt aborts the process (qFatal) when a Python exception leaves a Qt slot or virtual — unless
`sys.excepthook` has been replaced, in which case it calls the hook and carries on. We replace it (and
`threading.excepthook`) with one that logs the traceback and counts it, so one bad callback costs one
action, not the agent's open chats."""

from __future__ import annotations

import logging
import sys
import threading
from types import TracebackType

log = logging.getLogger(__name__)


class FaultLog:
    """How many exceptions were survived, and the last one (for the test control hook and the logs)."""

    count = 0
    last = ""


def _record(kind: type[BaseException], value: BaseException | None, where: str) -> None:
    FaultLog.count += 1
    FaultLog.last = f"{kind.__name__}: {value}"
    log.error("fault: an exception escaped %s and was survived (%d so far): %s", where, FaultLog.count,
              FaultLog.last)


def _hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt | SystemExit):
        sys.__excepthook__(kind, value, tb)
        return
    log.error("fault: uncaught exception in a callback", exc_info=(kind, value, tb))
    _record(kind, value, "a Qt/pywebview callback")


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    name = args.thread.name if args.thread else "a thread"
    if args.exc_value is not None:
        log.error("fault: uncaught exception in thread %s", name,
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
    _record(args.exc_type, args.exc_value, f"thread {name}")


def install() -> None:
    """Log-and-survive for exceptions in callbacks and threads. Call before the GUI loop starts."""
    sys.excepthook = _hook
    threading.excepthook = _thread_hook
