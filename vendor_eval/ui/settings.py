"""Preferences and UI state, each declared once with its type and default (QSettings)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from vendor_eval.services.audit_log import default_actor

ORGANISATION, APPLICATION = "vendor_eval", "vendor_eval"
MAX_RECENT = 8


@dataclass(frozen=True)
class Pref:
    key: str
    kind: type
    default: Any


ACTOR = Pref("preferences/actor", str, "")
LAST_TAB = Pref("ui/last_tab", int, 0)
RECENT = Pref("ui/recent_evaluations", str, "[]")  # JSON list of [db path, evaluation id, name]
GEOMETRY = Pref("ui/geometry", bytes, b"")
STATE = Pref("ui/window_state", bytes, b"")


class Settings:
    def __init__(self, qsettings: QSettings | None = None) -> None:
        self.q = qsettings or QSettings(ORGANISATION, APPLICATION)

    def get(self, pref: Pref) -> Any:
        value = self.q.value(pref.key, pref.default)
        if pref.kind is bytes:
            if isinstance(value, QByteArray):
                return value.data()
            return bytes(value) if isinstance(value, (bytes, bytearray)) else b""
        try:
            return pref.kind(value)
        except (TypeError, ValueError):
            return pref.default

    def set(self, pref: Pref, value: Any) -> None:
        self.q.setValue(pref.key, value)

    def actor(self) -> str:
        return self.get(ACTOR) or default_actor()

    def recent(self) -> list[tuple[str, int, str]]:
        try:
            rows = json.loads(self.get(RECENT))
            return [(str(p), int(i), str(n)) for p, i, n in rows]
        except (ValueError, TypeError):
            return []

    def add_recent(self, db_path: str, evaluation_id: int, name: str) -> None:
        rows = [r for r in self.recent() if (r[0], r[1]) != (db_path, evaluation_id)]
        rows.insert(0, (db_path, evaluation_id, name))
        self.set(RECENT, json.dumps(rows[:MAX_RECENT]))
