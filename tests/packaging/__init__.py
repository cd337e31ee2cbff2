"""Packaging: the PyInstaller bundle, its --smoke self-check, the installer definitions."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_script(path: Path, name: str) -> ModuleType:
    """A script of the checkout (build/build.py, scripts/lockhash.py, ...) by path: by name, `import build`
    would find the PyPA package instead, and scripts/ is no package."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
