import re

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation


def test_it_explains_every_refused_password_in_chinese():
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        validate_password("1234")
    assert len(refused.value.messages) >= 3
    for message in refused.value.messages:
        assert not re.search(r"[A-Za-z]{2,}", message), message
