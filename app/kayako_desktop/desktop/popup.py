"""Chat requests, as the shell sees them on the bridge relay: a small always-on-top pop-up (visitor name,
subject, Accept / Decline) and an OS notification per offer. Answering in the pop-up or in the main
window, or the offer ending any other way, closes the pop-up; the next ringing offer then shows."""

from __future__ import annotations

import json
import logging
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kayako_desktop.bridge.registry import InstanceError, ServerRegistry
from kayako_desktop.bridge.relay import Relay
from kayako_desktop.protocol.names import BridgeEvent, Event
from kayako_desktop.webroot import web_root

log = logging.getLogger(__name__)

PAGE = Path(__file__).with_name("popup.html")
Key = tuple[str, int]  # (instance id, conversation id)


def render(offer: dict[str, Any], instance: str, instance_name: str | None) -> str:
    """The pop-up page for one offer. Data goes in as JSON inside a script block (never as markup).
    `created_at` / `expires_at` drive the same countdown ring as the app's request card."""
    conv = offer["conversation"]
    transfer = offer.get("transfer_from")
    eyebrow = f"Transfer from {transfer['full_name']}" if transfer else "Chat request"
    if instance_name:
        eyebrow += f" · {instance_name}"
    data = {"instance": instance, "cid": conv["id"], "visitor": conv["requester"]["name"],
            "subject": " · ".join(part for part in ((conv.get("assigned_team") or {}).get("title"),
                                                    (conv.get("skill") or {}).get("title"), conv["subject"]) if part),
            "eyebrow": eyebrow,
            "created_at": offer.get("created_at"), "expires_at": offer.get("expires_at")}
    blob = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = PAGE.read_text(encoding="utf-8").replace("__REQUEST_JSON__", blob)
    return page.replace("/*__RING_CSS__*/", ring_css())


def ring_css() -> str:
    """The countdown ring's rules, shared with the in-app request card (one design in both places)."""
    return (web_root() / "agent" / "styles" / "request-ring.css").read_text(encoding="utf-8")


def _message(resp: Any, default: str) -> str:
    try:
        return str(resp.json()["errors"][0]["message"])
    except (ValueError, KeyError, IndexError, TypeError):
        return default


class RequestWatcher:
    def __init__(self, relay: Relay, registry: ServerRegistry, shell: Any,
                 notify: Callable[[str, str, dict[str, Any]], bool],
                 withdraw: Callable[[str, int], None] = lambda _iid, _cid: None,
                 enabled: Callable[[], bool] = lambda: True) -> None:
        self.relay = relay
        self.registry = registry
        self.shell = shell
        self.notify = notify
        self.withdraw = withdraw
        self.enabled = enabled  # the request_popup setting, read at each request
        self.pending: dict[Key, dict[str, Any]] = {}  # ringing offers, oldest first
        self.showing: Key | None = None
        self.dismissed: set[Key] = set()  # closed by the user without an answer: not shown again
        self._lock = threading.RLock()
        self._queue: queue.Queue[str | None] | None = None
        self._replaying = False

    def start(self) -> None:
        # From the relay's first frame: a request that rang before this watcher subscribed (the upstream
        # connects while the shell is still starting) is in the relay's buffer, and is shown too.
        self._queue, backlog = self.relay.subscribe(0)
        threading.Thread(target=self._run, args=(self._queue, backlog), name="request-watcher", daemon=True).start()

    def stop(self) -> None:
        if self._queue is not None:
            self.relay.unsubscribe(self._queue)
            self._queue = None

    def _run(self, frames: queue.Queue[str | None], backlog: list[str]) -> None:
        self._replaying = True  # notify only for what still rings once the backlog is applied
        for old in backlog:
            self._handle_raw(old)
        self._replaying = False
        for (iid, _cid), offer in list(self.pending.items()):
            self._notify_offer(iid, offer)
        while (raw := frames.get()) is not None:
            self._handle_raw(raw)

    def _handle_raw(self, raw: str) -> None:
        try:
            self.handle(json.loads(raw))
        except Exception:
            log.exception("requests: could not handle a relay frame")

    # ---- relay events --------------------------------------------------------------------------
    def handle(self, frame: dict[str, Any]) -> None:
        kind, iid, data = frame.get("type"), frame.get("instance"), frame.get("data") or {}
        if kind == Event.OFFER_CREATED and iid:
            self._offered(iid, data["offer"])
        elif kind == Event.OFFER_ENDED and iid:
            self._gone((iid, int(data["conversation_id"])), offer_id=int(data["offer_id"]))
        elif kind == Event.CONVERSATION_UPDATED and iid:
            conv = data["conversation"]
            offer = self.pending.get((iid, conv["id"]))
            if offer is not None and self._answered_elsewhere(iid, offer, conv):
                self._gone((iid, conv["id"]))
        elif kind == BridgeEvent.INSTANCE_REMOVED and iid:
            for key in [k for k in self.pending if k[0] == iid]:
                self._gone(key)

    def _answered_elsewhere(self, iid: str, offer: dict[str, Any], conv: dict[str, Any]) -> bool:
        """The conversation is no longer waiting for this agent (taken, completed, or ours already)."""
        status = conv["status"]["type"]
        if status == "COMPLETED":
            return True
        up = self.registry.upstreams.get(iid)
        me = (up.agent or {}).get("id") if up is not None else None
        owner = (conv.get("assigned_agent") or {}).get("id")
        if me is not None and owner == me:
            return True
        return not offer.get("transfer_from") and status != "NEW"

    def _offered(self, iid: str, offer: dict[str, Any]) -> None:
        conv = offer["conversation"]
        key = (iid, int(conv["id"]))
        with self._lock:
            self.pending[key] = offer
            if self.showing is None:
                self._show(key)
        if not self._replaying:
            self._notify_offer(iid, offer)

    def _notify_offer(self, iid: str, offer: dict[str, Any]) -> None:
        conv = offer["conversation"]
        self.notify(f"Chat request from {conv['requester']['name']}", conv["subject"],
                    {"kind": "request", "instance": iid, "cid": conv["id"]})

    def _gone(self, key: Key, offer_id: int | None = None) -> None:
        with self._lock:
            offer = self.pending.get(key)
            if offer is None or (offer_id is not None and offer["id"] != offer_id):
                return
            del self.pending[key]
            self.dismissed.discard(key)
            self.withdraw(*key)
            if self.showing == key:
                self.showing = None
                self.shell.close_popup()
                self._show_next()

    def _show_next(self) -> None:
        waiting = [k for k in self.pending if k not in self.dismissed]
        if waiting:
            self._show(waiting[0])

    def _dismissed(self, key: Key) -> None:
        with self._lock:
            if self.showing == key:
                self.showing = None
                self.dismissed.add(key)
                self._show_next()

    def _show(self, key: Key) -> None:
        if not self.enabled():
            return  # the agent answers in the main window (its card) or from the notification
        self.showing = key
        up = self.registry.upstreams.get(key[0])
        several = len(self.registry.upstreams) > 1
        name = up.instance.get("name") if (up is not None and several) else None
        offer = self.pending[key]
        self.shell.show_popup(render(offer, key[0], name), f"Chat request from {offer['conversation']['requester']['name']}",
                              lambda: self._dismissed(key))

    # ---- answers -------------------------------------------------------------------------------
    def answer(self, iid: str, cid: int, accept: bool) -> dict[str, Any]:
        """POST cases/<cid>/accept|decline for this instance; on accept, open the chat in the main window."""
        verb = "accept" if accept else "decline"
        try:
            resp = self.registry.get(iid).request("POST", f"cases/{cid}/{verb}")
        except InstanceError as exc:
            return {"ok": False, "message": exc.message}
        except Exception as exc:  # unreachable server, login refused
            log.warning("requests: %s %s/%s failed: %r", verb, iid, cid, exc)
            return {"ok": False, "message": f"The chat server could not be reached ({exc.__class__.__name__})"}
        if not resp.ok:
            return {"ok": False, "message": _message(resp, f"The chat server answered {resp.status_code}")}
        self._gone((iid, cid))
        if accept:
            self.shell.focus_main()
            self.shell.hook("openChat", iid, cid)
        return {"ok": True, "message": "Accepted" if accept else "Declined"}
