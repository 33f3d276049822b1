"""The customer's citation of a source text: the publication, year and table a value rests on,
without the working notes the inventory workbooks keep for their maintainers.

A source text (an exchange's ``comment``, a parameter's ``source``) reads as the conventions of
docs/inventory-data.md ("Source texts and the report's citations") prescribe. The citation is derived
from it by one rule, in order:

1. What follows `` | distribution:`` is the rationale of the uncertainty: dropped (the distribution
   itself is in its own column).
2. The text is split into clauses at ``;`` outside brackets, and each clause into sentences. A
   sentence that records a change of the workbook ("Changed 2026-12-02 from ...", "Added ...",
   "Corrected ...") is dropped. A clause that starts with ``derived`` or ``check:``, and a
   sentence that shows its arithmetic (an ``=`` followed by a number), is replaced by the
   publications it names ("calculated from Alvarado 2002, Marsden 2008"), or by "calculated (model
   arithmetic)" when it names none. A clause that starts with ``x `` (a factor applied, such as the
   by-product allocation) is dropped. A bracket that holds arithmetic is dropped from what is kept.
3. Working notes are cut from the other clauses: a bracket or a phrase that names the domain
   reference or domain data (``domain reference A3.11``), a transcription or a repository it was
   read in (``as transcribed in github ...``, ``(commit 6cec866)``, ``code-index id ...``), and an
   identifier of a web service (``via climatiq.io emission factor ...``).
4. "UNVERIFIED" is kept: a practitioner estimate stays marked as one.

The words the rule adds ("calculated from", "UNVERIFIED estimate") are the report's: ``words`` (the
``[citation]`` table of reports/<lang>.toml) gives them in the report's language.

The working notes stay in the workbooks; the report says where (the sheet's note).
"""

from __future__ import annotations

import re

from lca.rules import ends_sentence

__all__ = ["citation", "ENGLISH"]

# the words the rule adds, as reports/en.toml's [citation] table gives them
ENGLISH = {"calculated_from": "calculated from {publications}", "calculated": "calculated (model arithmetic)",
           "unverified": "UNVERIFIED estimate"}

_DISTRIBUTION = re.compile(r"\s*\|\s*distribution:.*$", re.S)
# a note inside brackets: (domain reference A3.11), (commit 6cec8668396f), (...; a transcription error)
_NOTE_WORDS = r"domain[- ]reference|domain[- ]data|transcri|commit\b|github|code-index"
_BRACKETED_NOTE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*?(?:" + _NOTE_WORDS + r")(?:[^()]|\([^()]*\))*\)", re.I)
# a phrase up to the next comma, semicolon, colon or bracket: ", as transcribed in github iClimate/ghgpy src/..."
_PHRASE_NOTE = re.compile(
    r",?\s*(?:as (?:transcribed|tabulated|implemented|summarised|summarized) in|read in|via climatiq\.io"
    r"|domain[- ]reference|domain[- ]data|matches domain|code-index id|(?:LCI workbook )?github)\b"
    r"[^;:()]*?(?=[,;:()]|$)", re.I)
_HASH = re.compile(r"\s*\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b")
# a sentence of the workbook's change log
_CHANGE = re.compile(r"^(?:changed|added|corrected|updated|replaced|was|previously|before \d{4}-\d\d)\b", re.I)
# arithmetic shown: '= 697', '= -0.5', '=0.580'
_ARITHMETIC = re.compile(r"=\s*[-+]?\(?[\d.]")
_BRACKETED_ARITHMETIC = re.compile(r"\s*\((?:[^()]|\([^()]*\))*?=\s*[-+]?[\d.](?:[^()]|\([^()]*\))*\)")
# words that begin a date or a change, not a publication ('Added 2026', 'since 2019')
_NOT_AUTHOR = {"Added", "Changed", "Corrected", "Updated", "Since", "From", "Until", "Before", "After", "In", "Of",
               "As", "The", "For", "To", "By", "At", "On", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December", "January", "February", "Feb", "Aug", "Sep", "Oct",
               "Nov", "Dec", "Jan", "Mar", "Apr", "Jun", "Jul", "FY"}
_PUBLICATION = re.compile(
    r"(?:(?:[A-Z][A-Za-z\-]+ ){0,2}[A-Z][A-Za-z\-]+"
    r"(?: et al\.| & [A-Z][A-Za-z\-]+| and [A-Z][A-Za-z\-]+)?|[A-Z]{2,}[A-Za-z]*)"
    r" (?:FY)?(?:19|20)\d\d\b(?: (?:Table|App\.|Fig\.|Annex) [\w.]+)?"
    r"|IPCC(?: 20\d\d)?(?: Guidelines)?(?: [\w.]+)*? Table [\d.]+|GLEC(?: Framework)? v[\d.]+")


def _clauses(text: str) -> list[str]:
    """``text`` split at the semicolons outside brackets."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == ";" and depth <= 0:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _clean(clause: str) -> str:
    for pattern in (_BRACKETED_NOTE, _PHRASE_NOTE, _HASH):
        clause = pattern.sub(" ", clause)
    clause = re.sub(r"\s+([,.:)])", r"\1", clause)
    return re.sub(r"\s{2,}", " ", clause).strip(" ,;:")


def _sentences(clause: str) -> list[str]:
    """``clause`` split after each full stop outside brackets that a capital letter follows."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(clause):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "." and depth <= 0 and re.match(r"\s+[A-Z]", clause[index + 1:index + 3]) \
                and ends_sentence(clause[start:index]):
            parts.append(clause[start:index + 1])
            start = index + 1
    parts.append(clause[start:])
    return [p.strip() for p in parts if p.strip()]


def _named(text: str) -> list[str]:
    """The publications ``text`` names, each once, in order."""
    found = []
    for match in _PUBLICATION.finditer(_clean(text)):
        name = match.group(0)
        while name.split(" ", 1)[0] in _NOT_AUTHOR and " " in name:  # 'Added 2026', 'Feb 2018': not an author
            name = name.split(" ", 1)[1]
        if name.split(" ", 1)[0] in _NOT_AUTHOR or re.fullmatch(r"(?:FY)?\d{4}", name):
            continue
        found.append(name)
    return list(dict.fromkeys(found))


def _calculated(clause: str, words) -> str:
    named = _named(clause)
    return words["calculated_from"].format(publications=", ".join(named)) if named else words["calculated"]


def _shown(clause: str, words) -> str:
    """What the customer reads of one clause (module docstring, rule 2-3)."""
    lowered = clause.lower()
    if lowered.startswith(("derived", "check:")):
        return _calculated(clause, words)
    kept, calculated = [], False
    for sentence in _sentences(clause):
        if _CHANGE.match(sentence):
            continue
        if _ARITHMETIC.search(_BRACKETED_ARITHMETIC.sub(" ", sentence)):
            named = _named(sentence)
            if named:
                kept.append(words["calculated_from"].format(publications=", ".join(named)))
            else:
                calculated = True
            continue
        kept.append(_clean(_BRACKETED_ARITHMETIC.sub(" ", sentence)))
    if calculated and not kept:
        return words["calculated"]
    return " ".join(k for k in kept if k)


def citation(source: str, words=None) -> str:
    """The customer's citation of ``source`` (module docstring: the rule), in the words of ``words``
    (default :data:`ENGLISH`)."""
    words = words or ENGLISH
    text = _DISTRIBUTION.sub("", str(source or "")).strip()
    if not text:
        return ""
    kept = []
    for clause in _clauses(text):
        lowered = clause.lower()
        if lowered.startswith("x "):
            continue
        shown = _shown(clause, words)
        if shown and shown not in kept:
            kept.append(shown)
    result = "; ".join(kept)
    if "UNVERIFIED" in text and "UNVERIFIED" not in result:
        result = f"{result}; {words['unverified']}" if result else words["unverified"]
    return result
