import pytest
from django.core.exceptions import ValidationError

from tests.factories import make_user
from trainees.models import TraineeProfile
from trainees.validators import validate_resident_id, validate_uscc


@pytest.mark.parametrize("number", ["11010519491231002X", "110105194912310021"[:-1] + "X"])
def test_valid_resident_id(number):
    validate_resident_id(number)


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("11010519491231002", "format"),
        ("110105194912310029", "checksum"),
        ("110105194902300021", "birth_date"),
        ("1101051949123100AX", "format"),
    ],
)
def test_invalid_resident_id_says_why(number, code):
    with pytest.raises(ValidationError) as error:
        validate_resident_id(number)
    assert error.value.code == code


def test_uscc_checksum():
    validate_uscc("91350100M000100Y43")
    with pytest.raises(ValidationError) as error:
        validate_uscc("91350100M000100Y44")
    assert error.value.code == "checksum"
    with pytest.raises(ValidationError) as error:
        validate_uscc("91350100M000100YO3")
    assert error.value.code == "format"


@pytest.mark.django_db
def test_profile_masks_id_number_and_rejects_bad_one():
    profile = make_user().profile
    profile.id_number = "11010519491231002X"
    profile.full_clean()
    assert profile.masked_id_number == "110***********002X"
    profile.id_number = "110105194912310021"
    with pytest.raises(ValidationError) as error:
        profile.full_clean()
    assert "id_number" in error.value.message_dict
    assert TraineeProfile.objects.get(pk=profile.pk).id_number == ""
