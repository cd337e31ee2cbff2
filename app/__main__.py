"""`python -m app` is the same as the `kayako-desktop` command."""

from app.cli import main

raise SystemExit(main())
