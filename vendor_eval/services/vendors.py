"""Vendors invited to the RFP: add, edit the profile, remove (with their scores)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from vendor_eval.errors import ValidationError
from vendor_eval.services.lookup import Ref, editable_evaluation, get_member, remove_member
from vendor_eval.storage import Database, audit
from vendor_eval.storage.models import Vendor
from vendor_eval.vocabulary import DEPLOYMENT_MODELS, HOSTING_MODELS

PROFILE_TEXT = ("legal_name", "contact", "hq_country", "notes")
PROFILE_LISTS = ("delivery_locations", "modalities", "service_types", "certifications")


def _check_profile(changes: dict[str, Any]) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "name":
            value = str(value).strip()
            if not value:
                raise ValidationError("A vendor needs a name.")
            if len(value) > 200:
                raise ValidationError("A vendor name is at most 200 characters.")
        elif field in PROFILE_TEXT:
            value = str(value)
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
        return float(value)
    except (TypeError, ValueError):
        raise ValidationError(f"The vendor's {field} must be a number, got {value!r}.") from None


def add_vendor(db: Database, ref: Ref, name: str, actor: str, **profile: Any) -> int:
    fields = _check_profile({"name": name, **profile})
    with db.write() as s:
        evaluation = editable_evaluation(s, ref)
        if s.scalar(select(Vendor.id).where(Vendor.evaluation_id == evaluation.id, Vendor.name == fields["name"])):
            raise ValidationError(f"Vendor {fields['name']!r} is already in this evaluation.")
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
        if "name" in fields and fields["name"] != v.name and s.scalar(
            select(Vendor.id).where(Vendor.evaluation_id == evaluation.id, Vendor.name == fields["name"])
        ):
            raise ValidationError(f"Vendor {fields['name']!r} is already in this evaluation.")
        for field, value in fields.items():
            audit.set_field(s, evaluation.id, actor, "vendor", v, field, value)


def remove_vendor(db: Database, ref: Ref, vendor: Ref, actor: str) -> int:
    """Remove a vendor with all its scores, answers and cost lines in one transaction; returns
    how many scores went with it."""
    return remove_member(db, ref, Vendor, vendor, actor)
