"""Failed logins are throttled per (client address, account) with an exponential back-off, never per
address alone (an office NAT) nor per account alone (the owner elsewhere), unless the account itself is
under sustained attack from many addresses. Lockouts are logged as WARNINGs, never with a password."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import requests

from tests.support import LiveServer

ACCOUNT_LIMIT = 12


@pytest.fixture
def server_config() -> dict[str, Any]:
    # Addresses come from X-Forwarded-For, so one test can play several clients.
    return {"CHAT_TRUST_PROXY": True, "CHAT_LOGIN_ACCOUNT_ATTEMPTS": ACCOUNT_LIMIT}


def login(live: LiveServer, email: str, password: str, ip: str) -> requests.Response:
    return requests.get(live.api + "/session", auth=(email, password), headers={"X-Forwarded-For": ip}, timeout=10)


def code(r: requests.Response) -> str:
    return r.json()["errors"][0]["code"] if r.status_code >= 400 else "OK"


def test_wrong_passwords_back_off_exponentially_and_the_owner_still_logs_in_elsewhere(live):
    live.create_agent("alice@example.com", "Alice")
    cafe = "203.0.113.7"
    for i in range(5):  # CHAT_LOGIN_ATTEMPTS failures are answered as plain failures
        assert code(login(live, "alice@example.com", f"guess-{i}", cafe)) == "AUTHENTICATION_FAILED"
    waits = []
    for i in range(4):
        limited = login(live, "alice@example.com", "correct-horse", cafe)  # even the right one waits
        assert limited.status_code == 429 and code(limited) == "RATE_LIMIT_REACHED"
        assert "X-CSRF-Token" not in limited.headers
        wait = int(limited.headers["Retry-After"])
        assert str(wait) in limited.json()["errors"][0]["message"]
        waits.append(wait)
        live.clock.advance(wait)
        assert code(login(live, "alice@example.com", f"again-{i}", cafe)) == "AUTHENTICATION_FAILED"
    assert waits == [2, 4, 8, 16], "each further failure doubles the wait"

    # Meanwhile Alice, at the office, logs in at once: the café's guesses do not lock her account.
    assert login(live, "alice@example.com", "correct-horse", "198.51.100.20").status_code == 200
    # And at the café too, once its wait is over; a success there forgets its failures.
    live.clock.advance(32)
    assert login(live, "alice@example.com", "correct-horse", cafe).status_code == 200
    assert code(login(live, "alice@example.com", "typo", cafe)) == "AUTHENTICATION_FAILED"


def test_one_persons_typos_do_not_lock_out_colleagues_behind_the_same_address(live):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob", "battery-staple")
    office = "192.0.2.1"  # the whole office behind one NAT address
    for i in range(10):
        r = login(live, "alice@example.com", f"guess-{i}", office)
        if r.status_code == 429:
            live.clock.advance(int(r.headers["Retry-After"]))
            r = login(live, "alice@example.com", f"guess-{i}", office)
        assert code(r) == "AUTHENTICATION_FAILED"
    assert code(login(live, "alice@example.com", "guess-x", office)) == "RATE_LIMIT_REACHED"
    assert login(live, "bob@example.com", "battery-staple", office).status_code == 200


def test_an_account_under_attack_from_many_addresses_is_locked_everywhere_until_it_calms(live):
    live.create_agent("alice@example.com", "Alice")
    live.create_agent("bob@example.com", "Bob", "battery-staple")
    for i in range(ACCOUNT_LIMIT):  # a botnet: one guess per address, never throttled per address
        assert code(login(live, "alice@example.com", f"guess-{i}", f"10.0.{i}.1")) == "AUTHENTICATION_FAILED"
        live.clock.advance(1)
    locked = login(live, "alice@example.com", "correct-horse", "198.51.100.20")
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) >= 1
    assert login(live, "bob@example.com", "battery-staple", "10.0.0.1").status_code == 200  # others unaffected
    live.clock.advance(int(locked.headers["Retry-After"]))  # the oldest failures age out of the window
    assert login(live, "alice@example.com", "correct-horse", "198.51.100.20").status_code == 200


def test_lockouts_are_logged_for_the_admin_without_the_password(live, caplog):
    live.create_agent("alice@example.com", "Alice")
    caplog.set_level(logging.WARNING, logger="kayako_desktop.server.actions.agents")
    for i in range(5):
        login(live, "alice@example.com", f"s3cret-guess-{i}", "203.0.113.9")
    for i in range(ACCOUNT_LIMIT - 5):
        login(live, "alice@example.com", f"s3cret-guess-x{i}", f"10.1.{i}.1")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2, warnings  # the address's lockout, then the account's: once each
    assert "alice@example.com" in warnings[0] and "203.0.113.9" in warnings[0]
    assert "alice@example.com" in warnings[1] and "LOCKED for every address" in warnings[1]
    assert f"{ACCOUNT_LIMIT - 5 + 1} addresses" in warnings[1]
    assert not any("s3cret" in w for w in warnings)
