"""`kayako-desktop` command line: the entry point for every mode of the product."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from kayako_desktop import __version__
from kayako_desktop.console import say


def build_parser(with_server: bool = True) -> argparse.ArgumentParser:
    """The whole command line. `with_server=False` leaves out the server's own options: importing them
    imports the chat server (Flask app, pydantic, Pygments: ~25 MB the desktop app never uses)."""
    parser = argparse.ArgumentParser(prog="kayako-desktop", description="Kayako Desktop: live chat for support teams")
    parser.add_argument("--version", action="version", version=f"kayako-desktop {__version__}")
    parser.add_argument("--browser", action="store_true",
                        help="run the agent app in your default web browser instead of a desktop window")
    parser.add_argument("--profile", default=None,
                        help="folder for everything the app keeps: settings, data, logs and the local chat "
                             "server (default: your user folders)")
    parser.add_argument("--smoke", action="store_true",
                        help="check that this installation works (local server, bridge, UI files), then exit")
    sub = parser.add_subparsers(dest="command")
    if with_server:
        from kayako_desktop.server import cli as server_cli

        server_cli.add_parser(sub)
    else:
        sub.add_parser("server", add_help=False,
                       help="run the chat server, or administer its data (kayako-desktop server --help)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if "server" in argv:
        from kayako_desktop.server import cli as server_cli

        args = build_parser().parse_args(argv)
        if args.command == "server":
            return server_cli.run(args)
    else:
        args = build_parser(with_server=False).parse_args(argv)
    if args.smoke:
        from kayako_desktop.desktop.smoke import run_smoke

        return run_smoke()
    if args.browser:
        return run_in_browser(args.profile)
    return run_desktop(args.profile)


def run_desktop(profile: str | None) -> int:
    """The desktop app (pywebview window). Needs the `desktop` extra and, on Linux, a graphical session."""
    import importlib.util

    missing = [name for name in ("webview", "platformdirs", "keyring", "desktop_notifier")
               if importlib.util.find_spec(name) is None]
    if missing:
        say(f"error: the desktop app needs its extra packages ({', '.join(missing)} missing): "
            "pip install 'kayako-desktop[desktop]', or run `kayako-desktop --browser`", error=True)
        return 2
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        say("error: no graphical session (DISPLAY / WAYLAND_DISPLAY is not set). Run `kayako-desktop --browser` "
            "to use the app in a web browser, or `kayako-desktop server --demo` for the chat server alone.",
            error=True)
        return 2
    from kayako_desktop.desktop.launch import main as desktop_main

    return desktop_main(profile)


def user_data_dir() -> Path:
    """The per-user data folder (XDG on Linux, Application Support on macOS, AppData on Windows)."""
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / "Kayako Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Kayako Desktop"
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "kayako-desktop"


def run_in_browser(profile: str | None) -> int:
    """The bridge on 127.0.0.1 and the agent UI in the default browser, until Ctrl+C."""
    import time
    import webbrowser

    from kayako_desktop.bridge import start_bridge
    from kayako_desktop.bridge.store import FileStore

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    bridge = start_bridge(FileStore(Path(profile) if profile else user_data_dir() / "browser-profile"))
    say(f"Kayako Desktop is running at {bridge.url}")
    say("Opening it in your browser; press Ctrl+C here to quit.")
    webbrowser.open(bridge.url)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        bridge.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
