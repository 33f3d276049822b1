"""Names in the report's languages, as the workbooks give them.

A name that reaches a customer's report (a route label, a product label, a stage, a basis
label, a quantity label, a parameter's description) may be given in another language beside
the English one, in a row or column named after it with the language in brackets:
``route label (ja)`` under the ``route label`` row, ``stage (ja)`` under ``stage``, or the
column ``label (ja)`` beside ``label`` in a parameter table. Every such label is optional:
a report in Japanese uses the English name where a workbook gives no Japanese one.
"""

from __future__ import annotations

__all__ = ["LABEL_LANGUAGES", "LABELLED_ROWS", "localised", "labels_of"]

LABEL_LANGUAGES = ("ja",)  # languages of the report besides English that a workbook may give names in
# the metadata rows whose value a report shows, each of which may have a 'ROW (ja)' row beside it
LABELLED_ROWS = ("route label", "route short label", "product label", "basis label", "functional unit", "stage",
                 "product quantity label")


def localised(key: str, language: str) -> str:
    """The row or column that holds ``key`` in ``language``: 'route label (ja)'."""
    return f"{key} ({language})"


def labels_of(values: dict, key: str = "label") -> tuple[tuple[str, str], ...]:
    """((language, text), ...) of a parameter table's 'label' and 'label (ja)' cells that are filled."""
    found = [("en", values.get(key))] + [(lang, values.get(localised(key, lang))) for lang in LABEL_LANGUAGES]
    return tuple((lang, " ".join(str(text).split())) for lang, text in found if text not in (None, "")
                 and str(text).strip())
