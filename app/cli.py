"""`kayako-desktop` command line: the entry point for every mode of the product."""

from __future__ import annotations

import argparse
import sys

from app import __version__
from app.server import cli as server_cli


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kayako-desktop", description="Kayako Desktop: live chat for support teams")
    parser.add_argument("--version", action="version", version=f"kayako-desktop {__version__}")
    sub = parser.add_subparsers(dest="command")
    server_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "server":
        return server_cli.run(args)
    parser.print_help(sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
