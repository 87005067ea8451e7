"""The tariff scenarios every evaluation starts with, and how an origin matches a rate key.

Rates are fractions (0.25 = 25 %) keyed by origin: a country name or ISO code, or "EU"
for any member state. Figures from the public record (see DOMAIN.md): Section 301
List 1 put 25 % on Chinese imaging parts in 2018; the US-EU framework applied 15 % to
EU medical technology from August 2025, without the imaging exemption that had been
expected, so the exemption is a scenario toggle rather than an assumption.
"""

from __future__ import annotations

from typing import Any

EU_MEMBERS = frozenset({
    "austria", "belgium", "bulgaria", "croatia", "cyprus", "czechia", "czech republic", "denmark", "estonia",
    "finland", "france", "germany", "greece", "hungary", "ireland", "italy", "latvia", "lithuania", "luxembourg",
    "malta", "netherlands", "poland", "portugal", "romania", "slovakia", "slovenia", "spain", "sweden",
    "at", "be", "bg", "hr", "cy", "cz", "dk", "ee", "fi", "fr", "de", "gr", "hu", "ie", "it", "lv", "lt", "lu",
    "mt", "nl", "pl", "pt", "ro", "sk", "si", "es", "se", "eu",
})
CHINA_NAMES = frozenset({"china", "cn", "prc", "people's republic of china"})

DEFAULT_SCENARIOS: tuple[dict[str, Any], ...] = (
    {"name": "Baseline", "rates": {}, "imaging_exemption": False},
    {"name": "US Section 301: 25 % on China", "rates": {"China": 0.25}, "imaging_exemption": False},
    {"name": "EU 15 % with imaging exemption", "rates": {"EU": 0.15}, "imaging_exemption": True},
    {"name": "EU 15 % without exemption", "rates": {"EU": 0.15}, "imaging_exemption": False},
)


def origin_matches(key: str, origin: str) -> bool:
    k, o = key.strip().lower(), origin.strip().lower()
    if not o:
        return False
    if k == "eu":
        return o in EU_MEMBERS
    if k in CHINA_NAMES:
        return o in CHINA_NAMES
    return k == o
