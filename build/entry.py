"""The bundle's entry point: `kayako-desktop [args]` runs kayako_desktop.cli.main. `--smoke` is handled here too, so
the bundle can check itself even before (or without) the CLI knowing the flag; keep it, it is harmless."""

import sys


def main() -> int:
    if sys.argv[1:] == ["--smoke"]:
        from kayako_desktop.desktop.smoke import run_smoke

        return run_smoke()
    from kayako_desktop.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
