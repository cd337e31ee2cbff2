"""Browser and OS names from a User-Agent string, for the agents' visitor list (no dependency)."""

from __future__ import annotations

import re

_BROWSERS = [
    ("Edge", r"Edg(?:e|A|iOS)?/(\d+)"),
    ("Opera", r"OPR/(\d+)"),
    ("Samsung Internet", r"SamsungBrowser/(\d+)"),
    ("Firefox", r"(?:Firefox|FxiOS)/(\d+)"),
    ("Chrome", r"(?:Chrome|CriOS)/(\d+)"),
    ("Safari", r"Version/(\d+).*Safari/"),
]
_SYSTEMS = [
    ("Android", r"Android"),
    ("iOS", r"iPhone|iPad|iPod"),
    ("Windows", r"Windows NT"),
    ("macOS", r"Mac OS X|Macintosh"),
    ("ChromeOS", r"CrOS"),
    ("Linux", r"Linux|X11"),
]


def parse_user_agent(ua: str | None) -> tuple[str | None, str | None]:
    if not ua:
        return None, None
    browser = None
    for name, pattern in _BROWSERS:
        m = re.search(pattern, ua)
        if m:
            browser = f"{name} {m.group(1)}"
            break
    os_name = next((name for name, pattern in _SYSTEMS if re.search(pattern, ua)), None)
    return browser, os_name
