"""Vendors invited to the RFP: add, edit the profile, remove (with their scores)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from vendor_eval.errors import ValidationError
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member, remove_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Vendor
from vendor_eval.validation import MAX_NAME, check_name, check_number, check_text, same_name
from vendor_eval.vocabulary import DEPLOYMENT_MODELS, HOSTING_MODELS

PROFILE_TEXT = ("legal_name", "contact", "hq_country", "notes")
PROFILE_LISTS = ("delivery_locations", "modalities", "service_types", "certifications")


def _check_profile(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "name":
            value = check_name(str(value), "The vendor name")
        elif field in PROFILE_TEXT:
            value = check_text(str(value), f"The vendor's {field.replace('_', ' ')}", max_len=MAX_NAME + 100)
        elif field in PROFILE_LISTS:
            if isinstance(value, str):
                value = [x.strip() for x in value.split(",") if x.strip()]
            if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) for x in value):
                raise ValidationError(f"The vendor's {field} must be a list of texts, got {value!r}.")
            value = list(value)
        elif field == "deployment_model":
            if value not in ("", *DEPLOYMENT_MODELS):
                raise ValidationError(f"Deployment model must be one of {', '.join(DEPLOYMENT_MODELS)}, got {value!r}.")
        elif field == "hosting_model":
            if value not in ("", *HOSTING_MODELS):
                raise ValidationError(f"Hosting model must be one of {', '.join(HOSTING_MODELS)}, got {value!r}.")
        elif field == "contract_term_years":
            value = _number(field, value)
            if value <= 0:
                raise ValidationError(f"The contract term must be more than zero years, got {value:g}.")
        elif field == "escalation_cap_pct":
            value = None if value in (None, "") else _number(field, value)
            if value is not None and value < 0:
                raise ValidationError(f"The escalation cap cannot be negative, got {value:g}.")
        else:
            raise ValidationError(f"{field!r} is not part of a vendor's profile.")
        clean[field] = value
    return clean


def _number(field: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"The vendor's {field} must be a number, got {value!r}.") from None
    return check_number(number, f"The vendor's {field.replace('_', ' ')}", -1000, 1000)


def _refuse_same_name(s: Session, evaluation_id: int, name: str, vendor_id: int | None) -> None:
    """Names that differ only in case, width, accents or invisible characters are one vendor."""
    others = [n for i, n in s.execute(select(Vendor.id, Vendor.name).where(Vendor.evaluation_id == evaluation_id))
              if i != vendor_id]
    clash = same_name(name, others)
    if clash is not None:
        what = "is already in this evaluation" if clash == name else f"is the same name as vendor {clash!r}"
        raise ValidationError(f"Vendor {name!r} {what}.")


def add_vendor(db: Database, ref: Ref, name: str, actor: str, **profile: Any) -> int:
    fields = _check_profile({"name": name, **profile})
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        _refuse_same_name(s, evaluation.id, fields["name"], None)
        position = s.scalar(select(func.count()).where(Vendor.evaluation_id == evaluation.id)) or 0
        vendor = Vendor(evaluation_id=evaluation.id, position=position, **fields)
        s.add(vendor)
        s.flush()
        audit.record(s, evaluation.id, actor, "vendor", vendor.id, "created", None, fields)
        return vendor.id


def update_vendor(db: Database, ref: Ref, vendor: Ref, actor: str, **changes: Any) -> None:
    fields = _check_profile(changes)
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        v = get_member(s, Vendor, evaluation.id, vendor)
        if "name" in fields:
            _refuse_same_name(s, evaluation.id, fields["name"], v.id)
        for field, value in fields.items():
            audit.set_field(s, evaluation.id, actor, "vendor", v, field, value)


def remove_vendor(db: Database, ref: Ref, vendor: Ref, actor: str) -> int:
    """Remove a vendor with all its scores, answers and cost lines in one transaction; returns
    how many scores went with it."""
    return remove_member(db, ref, Vendor, vendor, actor)
