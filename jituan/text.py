"""Text as people paste it, made safe to keep: the characters XML 1.0 cannot hold (and so no
.xlsx or .docx can) are taken out where text enters the system and again where it leaves in a
workbook. Word's manual line break (U+000B) and a form feed (U+000C) become line breaks."""

import re

from django.db import models

# C0 controls except tab, LF and CR; U+FFFE/U+FFFF; lone surrogates (from broken UTF-16 pastes).
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("[\x0b\x0c]")


def clean_text(value):
    """value with line-break controls as "\\n" and the other illegal characters removed;
    anything that is not a str is returned unchanged."""
    if not isinstance(value, str):
        return value
    return _ILLEGAL.sub("", _LINE_BREAKS.sub("\n", value))


def clean_text_fields(instance: models.Model) -> None:
    """Clean every CharField and TextField of a model instance in place (before full_clean)."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            cleaned = clean_text(value)
            if cleaned is not value:
                setattr(instance, field.attname, cleaned)
