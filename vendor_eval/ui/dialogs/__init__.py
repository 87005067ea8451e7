"""Dialogs for the steps of an RFP that are edited in a form: criteria, settings, costs, finalising."""

from __future__ import annotations


def label_of(options: tuple[tuple[str, str], ...], key: str) -> str:
    """The words a drop-down shows for a stored key (the key itself when unknown)."""
    return next((text for k, text in options if k == key), key)
