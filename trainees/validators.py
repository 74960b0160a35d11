"""Validators for Chinese identity numbers and unified social credit codes."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARACTERS = "10X98765432"


def validate_resident_id(value: str) -> None:
    """GB 11643-1999: 17 digits, a real birth date at positions 7-14, and an ISO 7064 check."""
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(
            _("A resident ID number has 17 digits followed by a digit or X."), code="format"
        )
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(
            _("The birth date inside the ID number is not a real date."), code="birth_date"
        ) from None
    if birth.year < 1900 or birth > datetime.date.today():
        raise ValidationError(
            _("The birth date inside the ID number is not plausible."), code="birth_date"
        )
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK_CHARACTERS[total % 11] != number[17]:
        raise ValidationError(
            _("The check digit of the ID number is wrong; please re-check the number."),
            code="checksum",
        )


def validate_passport_number(value: str) -> None:
    if not re.fullmatch(r"[A-Z0-9]{5,20}", (value or "").strip().upper()):
        raise ValidationError(
            _("A passport number has 5 to 20 Latin letters or digits."), code="format"
        )


# GB 32100-2015 unified social credit code: alphabet without I, O, Z, S, V.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(
        _USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18 or any(char not in _USCC_ALPHABET for char in code):
        raise ValidationError(
            _(
                "A unified social credit code has 18 characters: digits and capital letters "
                "except I, O, Z, S and V."
            ),
            code="format",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of the unified social credit code is wrong."),
            code="checksum",
        )


def resident_id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARACTERS[total % 11]


def validate_mobile(value: str) -> None:
    if not re.fullmatch(r"(\+?\d{1,3}[- ]?)?1[3-9]\d{9}|\+\d{7,15}", (value or "").strip()):
        raise ValidationError(_("Enter a valid mobile number."), code="mobile")
