"""The ban dialog previews the network it will ban (web/agent/state/bans.js); the server computes the real one
with Python's `ipaddress`. Both must write the same CIDR for any address and prefix, or the agent would be
shown one network and ban another. Node runs the module on random addresses; `ipaddress` is the reference."""

from __future__ import annotations

import ipaddress
import json
import random
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_dialogs_preview_is_the_network_the_server_bans() -> None:
    rng = random.Random(16)
    cases: list[tuple[str, int]] = []
    for _ in range(300):
        v4 = ipaddress.IPv4Address(rng.getrandbits(32))
        cases += [(str(v4), p) for p in (32, 24, 16, 8)]
        groups = [rng.choice([0, 0, rng.getrandbits(16)]) for _ in range(8)]  # zero runs, to test "::"
        v6 = ipaddress.IPv6Address(int("".join(f"{g:04x}" for g in groups), 16))
        cases += [(str(v6), p) for p in (128, 64, 48)]
    script = ("import(process.argv[1]).then((m) => { const cases = JSON.parse(process.argv[2]);"
              " console.log(JSON.stringify(cases.map(([ip, p]) => m.networkOf(ip, p)))); });")
    out = subprocess.run(["node", "--input-type=module", "-e", script, str(ROOT / "web/agent/state/bans.js"),
                          json.dumps(cases)], capture_output=True, text=True, timeout=60, check=True)
    shown = json.loads(out.stdout)
    expected = [str(ipaddress.ip_network(f"{ip}/{p}", strict=False)) for ip, p in cases]
    wrong = [(case, s, e) for case, s, e in zip(cases, shown, expected, strict=True) if s != e]
    assert wrong == [], wrong[:5]
    assert len(shown) == 2100


def test_an_unknown_or_malformed_address_offers_nothing_to_ban() -> None:
    script = ("import(process.argv[1]).then((m) => console.log(JSON.stringify("
              "[null, '', 'unknown', '300.1.2.3', '1:2:3', '1::2::3', '203.0.113.7'].map((ip) => m.banScopes(ip).length))));")
    out = subprocess.run(["node", "--input-type=module", "-e", script, str(ROOT / "web/agent/state/bans.js")],
                         capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(out.stdout) == [0, 0, 0, 0, 0, 0, 4]
