"""`python -m kayako_desktop` is the same as the `kayako-desktop` command."""

from kayako_desktop.cli import main

raise SystemExit(main())
