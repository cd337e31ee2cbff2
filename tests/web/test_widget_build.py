"""The visitor widget's production build (web/messenger/dist, committed) is what its sources build today,
and the build is deterministic: like `python -m kayako_desktop.protocol.codegen --check` for protocol.js."""

from __future__ import annotations

import base64
import gzip
import json
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "web/messenger/dist"
FIX = "the widget's build is stale: run node scripts/build-widget.mjs (and commit web/messenger/dist)"
# Brotli has no module in Python's standard library: Node (which the build needs anyway) decompresses.
UNBROTLI = """
const fs = require('fs'), path = require('path'), zlib = require('zlib');
const dir = process.argv[1];
const out = {};
for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.br'))) {
  out[name] = zlib.brotliDecompressSync(fs.readFileSync(path.join(dir, name))).toString('base64');
}
process.stdout.write(JSON.stringify(out));
"""


def build(out: Path) -> dict[str, bytes]:
    done = subprocess.run(["node", "scripts/build-widget.mjs", "--out", str(out)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return files(out)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def unbrotli(folder: Path) -> dict[str, bytes]:
    done = subprocess.run(["node", "-e", UNBROTLI, str(folder)], capture_output=True, text=True, timeout=60,
                          check=True)
    return {name: base64.b64decode(data) for name, data in json.loads(done.stdout).items()}


def test_the_committed_build_is_fresh(tmp_path):
    fresh = build(tmp_path / "dist")
    committed = files(COMMITTED)
    assert sorted(committed) == sorted(fresh), FIX
    plain = {name: data for name, data in fresh.items() if not name.endswith((".br", ".gz"))}
    assert [name for name, data in plain.items() if committed[name] != data] == [], FIX
    # The compressed copies are checked by what they decompress to: another zlib or brotli release may
    # pack the same bytes differently, and that is not staleness.
    brotli = unbrotli(COMMITTED)
    for name, data in plain.items():
        assert gzip.decompress(committed[name + ".gz"]) == data, f"{name}.gz: {FIX}"
        assert brotli[name + ".br"] == data, f"{name}.br: {FIX}"


def test_the_build_is_deterministic_and_removes_what_it_no_longer_writes(tmp_path):
    first = build(tmp_path / "a")
    assert build(tmp_path / "b") == first  # byte for byte, compressed copies included
    (tmp_path / "a" / "frame.00000000.js").write_text("old")
    (tmp_path / "a" / "old").mkdir()
    assert build(tmp_path / "a") == first


def test_the_build_is_one_loader_one_page_one_script_one_stylesheet(tmp_path):
    built = build(tmp_path / "dist")
    plain = sorted((name for name in built if not name.endswith((".br", ".gz"))), key=lambda n: n.split(".")[::-1])
    assert [name.split(".")[-1] for name in plain] == ["css", "html", "js", "js"] and plain[-1] == "loader.js"
    page = next(name for name in plain if name.endswith(".html"))
    html = built[page].decode()
    assert f"/messenger/dist/{page}" in built["loader.js"].decode()  # the loader names this build's page
    assert [n for n in plain if n.startswith("frame.") and f"/messenger/dist/{n}" in html] == [
        n for n in plain if n.startswith("frame.") and n != page]
    assert "<style" not in html and "<script>" not in html  # nothing inline: the frame's CSP stays 'self'
