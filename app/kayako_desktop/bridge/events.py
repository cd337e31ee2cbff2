"""The UI's one websocket: relayed events stamped with their instance, and commands sent upstream."""

from __future__ import annotations

import json
import queue
import threading
from typing import Any

from flask import Flask, current_app, request
from flask_sock import Sock

from kayako_desktop.protocol.names import Command

UI_COMMANDS = {Command.MESSAGE_SEND, Command.TYPING_START, Command.TYPING_STOP, Command.MESSAGES_MARK,
               Command.CHAT_VIEWING}


def install(app: Flask) -> None:
    sock = Sock(app)

    @sock.route("/api/events")  # type: ignore[untyped-decorator]
    def events(ws: Any) -> None:
        bridge = current_app.extensions["bridge"]
        last = request.args.get("last")
        live, backlog = bridge["relay"].subscribe(int(last) if last and last.isdigit() else None)
        out: queue.Queue[str | None] = queue.Queue()
        for frame in backlog:
            out.put(frame)

        def pump() -> None:  # live frames → the single sender queue
            while (frame := live.get()) is not None:
                out.put(frame)
            out.put(None)

        def sender() -> None:
            while (frame := out.get()) is not None:
                try:
                    ws.send(frame)
                except Exception:  # the UI went away
                    return

        threading.Thread(target=pump, daemon=True).start()
        writer = threading.Thread(target=sender, daemon=True)
        writer.start()
        try:
            while True:
                raw = ws.receive()
                if raw is None:
                    break
                threading.Thread(target=_command, args=(bridge["registry"], raw, out), daemon=True).start()
        finally:
            bridge["relay"].unsubscribe(live)
            writer.join(timeout=2)


def _command(registry: Any, raw: str, out: queue.Queue[str | None]) -> None:
    try:
        msg = json.loads(raw)
        ref, iid, type_, data = msg.get("id"), str(msg.get("instance")), msg.get("type"), msg.get("data") or {}
    except (ValueError, AttributeError):
        out.put(json.dumps({"type": "error", "ref": None, "data": {"code": "INVALID_JSON", "message": "Bad frame"}}))
        return
    if type_ not in UI_COMMANDS or iid not in registry.upstreams:
        reply = {"type": "error", "data": {"code": "UNKNOWN_COMMAND", "message": f"Cannot send {type_} to {iid}"}}
    else:
        reply = registry.upstreams[iid].command(type_, data)
    out.put(json.dumps({"type": reply["type"], "ref": ref, "instance": iid, "data": reply.get("data", {})}))
