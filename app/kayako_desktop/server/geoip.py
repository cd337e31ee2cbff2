"""Optional GeoIP lookup: a MaxMind .mmdb when configured; otherwise every location is unknown."""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

log = logging.getLogger(__name__)


class GeoIP:
    def __init__(self, path: str | None):
        self._reader: Any = None
        if not path:
            return
        try:
            import maxminddb

            self._reader = maxminddb.open_database(path)
        except Exception as exc:  # a broken database must not stop the server: locations become unknown
            log.warning("GeoIP database %s unusable (%s); locations will be unknown", path, exc)

    def lookup(self, ip: str | None) -> dict[str, str | None]:
        empty: dict[str, str | None] = {"country": None, "country_code": None, "city": None}
        if not self._reader or not ip:
            return empty
        try:
            if not ipaddress.ip_address(ip).is_global:
                return empty
            rec = self._reader.get(ip) or {}
        except Exception:  # malformed IPs and reader errors mean "unknown", never an error
            return empty
        country = rec.get("country") or {}
        city = rec.get("city") or {}
        return {
            "country": (country.get("names") or {}).get("en"),
            "country_code": country.get("iso_code"),
            "city": (city.get("names") or {}).get("en"),
        }
