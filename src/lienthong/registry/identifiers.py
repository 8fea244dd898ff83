"""X-Road-style identifiers and the Vietnamese codes behind member codes.

Member classes:
- GOV: a state agency; its code is the electronic identifier of Decision
  20/2020/QĐ-TTg, e.g. ``H31`` or ``H31.12.05``, or the inter-agency document
  exchange form ``000.00.00.H31``.
- COM: an enterprise; its code is its tax code (10 digits with a check digit,
  optionally ``-NNN`` for a branch).
- ORG: another organisation; either form.
"""

from __future__ import annotations

import re
from enum import StrEnum

from lienthong.core.errors import ValidationFailed

# X-Road allows these characters in identifier parts
XROAD_PART = re.compile(r"^[A-Za-z0-9'()+,\-.=?]{1,64}$")

# level 1: a letter and two digits; lower levels: two or three digits each
AGENCY_CODE = re.compile(r"^[A-Z]\d{2}(\.\d{2,3}){0,3}$")
# the document-exchange form, lowest level first: 000.00.00.H31
AGENCY_CODE_VBDT = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
TAX_CODE = re.compile(r"^(\d{10})(-\d{3})?$")

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


class MemberClass(StrEnum):
    GOV = "GOV"
    COM = "COM"
    ORG = "ORG"


def tax_code_valid(code: str) -> bool:
    """A Vietnamese enterprise tax code: 10 digits whose last is a check digit.

    >>> tax_code_valid("0100107518"), tax_code_valid("0100107519"), tax_code_valid("0100107518-001")
    (True, False, True)
    """
    m = TAX_CODE.match(code)
    if not m:
        return False
    digits = [int(c) for c in m.group(1)]
    check = 10 - sum(d * w for d, w in zip(digits, _TAX_WEIGHTS, strict=False)) % 11
    return check < 10 and check == digits[9]


def agency_code_valid(code: str) -> bool:
    """An electronic identifier of a state agency (Decision 20/2020/QĐ-TTg).

    >>> agency_code_valid("H31"), agency_code_valid("H31.12.05"), agency_code_valid("000.00.00.H31")
    (True, True, True)
    >>> agency_code_valid("h31"), agency_code_valid("H3")
    (False, False)
    """
    return bool(AGENCY_CODE.match(code) or AGENCY_CODE_VBDT.match(code))


def check_member_code(member_class: str, code: str) -> None:
    """Raise ValidationFailed unless `code` is valid for `member_class`."""
    errors: list[str] = []
    if member_class == MemberClass.GOV and not agency_code_valid(code):
        errors.append(
            f"'{code}' is not an agency electronic identifier (Decision 20/2020/QĐ-TTg): "
            "expected e.g. H31, H31.12.05 or 000.00.00.H31"
        )
    elif member_class == MemberClass.COM and not tax_code_valid(code):
        errors.append(
            f"'{code}' is not a valid tax code: 10 digits with a correct check digit, "
            "optionally followed by -NNN"
        )
    elif (
        member_class == MemberClass.ORG and not agency_code_valid(code) and not tax_code_valid(code)
    ):
        errors.append(f"'{code}' is neither an agency identifier nor a valid tax code")
    if errors:
        raise ValidationFailed(errors[0], errors={"member_code": errors})


def check_part(field: str, value: str) -> None:
    if not XROAD_PART.match(value):
        raise ValidationFailed(
            f"{field} '{value[:80]}' may hold only A–Z a–z 0–9 ' ( ) + , - . = ? (1–64 characters)",
            errors={field: ["invalid identifier characters or length"]},
        )


def member_path(instance: str, member_class: str, member_code: str) -> str:
    return f"{instance}/{member_class}/{member_code}"


def subsystem_path(instance: str, member_class: str, member_code: str, code: str) -> str:
    return f"{instance}/{member_class}/{member_code}/{code}"
