"""The report's texts and layout: TOML files in ``reports/`` that a specialist edits, not code.

A templates folder holds ``layout.toml`` and one text file per language (``en.toml``,
``ja.toml``). The shipped folder is the schema: a file that lacks one of its keys is refused
with the key named, so an edited copy cannot silently drop a sentence from a report.
"""

from __future__ import annotations

import hashlib
import os
import re
import string
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from lca.errors import ReportTemplateError
from lca.paths import shipped_folder
from lca.subjects.labels import Labels
from lca.xlsx import PrintSetup, display_unit

__all__ = ["LANGUAGES", "Templates", "shipped_templates", "resolve_templates", "load_templates",
           "copy_shipped_templates"]

LANGUAGES = ("en", "ja")
_FILES = ("layout.toml",) + tuple(f"{lang}.toml" for lang in LANGUAGES)
# free-form tables: translations may list any keys, so they are not checked against the schema
_OPEN_TABLES = ("stages", "routes", "subjects", "comparison_names", "quantities", "units", "page.orientation_of")
_ORIENTATIONS = ("portrait", "landscape")
SHORT_NAME = 30  # characters of a name under a bar or beside a tornado bar
_QUALIFIER = re.compile(r"\s*[(（:：].*$")  # what follows the first bracket or colon of a label


def shipped_templates() -> Path:
    """The templates that come with the tool (``reports/``)."""
    return shipped_folder("reports", "shipped_reports")


def resolve_templates(explicit: str | os.PathLike | None) -> Path:
    """--templates, else LCA_REPORT_TEMPLATES, else the shipped folder."""
    chosen = explicit or os.environ.get("LCA_REPORT_TEMPLATES")
    if not chosen:
        return shipped_templates()
    folder = Path(chosen).expanduser().resolve()
    if not folder.is_dir():
        raise ReportTemplateError(f"Report templates folder {folder} does not exist. Create one with "
                                  "`lca report templates DIR`, or leave out --templates for the shipped texts.")
    return folder


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ReportTemplateError(f"{path} is missing. Copy the shipped templates with "
                                  "`lca report templates DIR` and edit the copy.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ReportTemplateError(f"{path} is not valid TOML: {exc}. Fix that line (strings in double "
                                  "quotes, multi-line texts in triple quotes).") from exc


def _missing(schema: dict, data: dict, prefix: str = "") -> list[str]:
    missing = []
    for key, value in schema.items():
        dotted = f"{prefix}{key}"
        if key not in data:
            missing.append(dotted)
        elif isinstance(value, dict) and dotted not in _OPEN_TABLES:
            if not isinstance(data[key], dict):
                missing.append(dotted + " (should be a table)")
            else:
                missing += _missing(value, data[key], dotted + ".")
    return missing


def _check(path: Path, schema: dict, data: dict) -> None:
    missing = _missing(schema, data)
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        raise ReportTemplateError(f"{path} lacks {shown}. Add them (the shipped {path.name} has every key; "
                                  "`lca report templates DIR` writes a fresh copy).")


class _Strict(string.Formatter):
    def get_value(self, key, args, kwargs):
        if isinstance(key, int) or key not in kwargs:
            raise KeyError(key)
        return kwargs[key]


@dataclass(frozen=True)
class Templates:
    folder: Path
    language: str
    texts: dict
    layout: dict
    texts_path: Path
    labels: Labels = Labels()  # the names the workbooks give in the report's languages (lca.subjects.labels)

    def with_labels(self, labels: Labels) -> Templates:
        return replace(self, labels=labels)

    def _label(self, kind: str, key: str, default: str) -> str:
        """The workbook's label of ``key`` in the report's language, else ``default``."""
        return self.labels.get(kind, key, self.language, default)

    def raw(self, dotted: str):
        value = self.texts
        for part in dotted.split("."):
            value = value[part]
        return value

    def text(self, dotted: str, **values) -> str:
        """The text at ``dotted`` with its placeholders filled from ``values``."""
        template = self.raw(dotted)
        if not isinstance(template, str):
            raise ReportTemplateError(f"{self.texts_path}: {dotted} should be a text in quotes, not {template!r}.")
        try:
            return _Strict().format(template, **values).strip()
        except KeyError as exc:
            offered = " ".join("{" + k + "}" for k in sorted(values))
            raise ReportTemplateError(f"{self.texts_path}: {dotted} uses the placeholder {{{exc.args[0]}}}, which "
                                      f"this text cannot have. Use one of: {offered} (or write {{{{ for a brace)."
                                      ) from None
        except (ValueError, IndexError) as exc:
            raise ReportTemplateError(f"{self.texts_path}: {dotted} has a malformed placeholder ({exc}). "
                                      "Write placeholders as {name}, and a literal brace as {{ or }}.") from None

    def variant(self, dotted: str, subjects: tuple[str, ...], **values) -> str:
        """``dotted.text_<subject>`` for the first subject that has one, else ``dotted.text``."""
        table = self.raw(dotted)
        key = next((f"text_{s}" for s in subjects if f"text_{s}" in table), "text")
        return self.text(f"{dotted}.{key}", **values)

    def stage(self, name: str) -> str:
        """A stage or part in the report's language: [stages], else the workbook's 'stage (ja)', else as is."""
        return str(self.texts.get("stages", {}).get(name, self._label("stage", name, name)))

    def route(self, comparison: str, route: str, default: str) -> str:
        """[routes], else the workbook's 'route label (ja)', else ``default`` (the workbook's label)."""
        key = f"{comparison}.{route}"
        return str(self.texts.get("routes", {}).get(key, self._label("route", key, default)))

    def route_short(self, comparison: str, route: str, default: str) -> str:
        """The name under a route's bar: the workbook's 'route short label', else its label in this
        language without what follows a bracket or colon ('Primary cathode'), at most SHORT_NAME long."""
        key = f"{comparison}.{route}"
        found = self._label("route_short", key, "")
        if not found:
            label = self.route(comparison, route, default)
            found = _QUALIFIER.sub("", label) or label
        return short(found)

    def product(self, product: str, default: str) -> str:
        """A product's label: the workbook's 'product label (ja)', else ``default``."""
        return self._label("product", product, default)

    def functional_unit(self, text: str) -> str:
        """A comparison's functional unit or basis label: the workbook's 'functional unit (ja)' or
        'basis label (ja)', else as written."""
        return self._label("functional_unit", text, text)

    def unit(self, unit: str) -> str:
        """A unit as the report writes it ([units] of the language, e.g. 'kilowatt hour' = 'kWh')."""
        return display_unit(str(self.texts.get("units", {}).get(unit, unit)))

    def parameter(self, parameter: str) -> str:
        """A parameter's description in this language (the workbook's 'label (ja)', else 'label'), else
        its id; shortened to fit beside a bar."""
        return short(self._label("parameter", parameter, self.labels.get("parameter", parameter, "en", parameter)),
                     2 * SHORT_NAME)

    def subject(self, comparison: str, default: str) -> str:
        return str(self.texts.get("subjects", {}).get(comparison, default))

    def comparison_name(self, comparison: str) -> str:
        """How the text names a comparison in a scenario label ([comparison_names]; default its id)."""
        return str(self.texts.get("comparison_names", {}).get(comparison, comparison))

    def quantity(self, key: str, default: str) -> str:
        """The label of a 'product quantity' ([quantities], else the workbook's 'product quantity label (ja)',
        else its label)."""
        return str(self.texts.get("quantities", {}).get(key, self._label("quantity", key, default)))

    def scenario(self, scenario) -> str:
        """A product scenario's label: its supply choices (lca.subjects.supply) in this language."""
        parts = [self.text("breakdown.supply_route", comparison=self.comparison_name(c.comparison),
                           route=c.route if self.language == "en" else self.route_short(c.comparison, c.route, c.route))
                 if c.route is not None else
                 self.text("breakdown.supply_share", comparison=self.comparison_name(c.comparison),
                           share=f"{c.share * 100:.3g}%")
                 for c in scenario.choices]
        return str(self.raw("breakdown.supply_separator")).join(parts)

    def sheet_keys(self) -> dict[str, str]:
        """Sheet title -> its key ([sheets], and the pathway report's sheets as pathway_summary, ...)."""
        keys = {str(title): key for key, title in self.texts["sheets"].items()}
        pathway = self.texts.get("pathway", {})
        keys.update({str(pathway[f"sheet_{key}"]): f"pathway_{key}" for key in ("summary", "assumptions", "chart_data")
                     if f"sheet_{key}" in pathway})
        return keys

    def print_setup(self, titles, *, preparer: str = "", title: str = "") -> PrintSetup:
        """The print set-up of a workbook whose sheets are ``titles`` ([page] of layout.toml: the default
        orientation, one per sheet key in [page.orientation_of], the sheets printed on one page)."""
        page = self.layout["page"]
        layout_path = self.folder / "layout.toml"
        chosen = {str(key): str(value) for key, value in page.get("orientation_of", {}).items()}
        for key, value in [("orientation", str(page["orientation"]))] + sorted(chosen.items()):
            if value not in _ORIENTATIONS:
                raise ReportTemplateError(f"{layout_path}: [page] {key} = {value!r}; write \"portrait\" or "
                                          "\"landscape\".")
        keys = self.sheet_keys()
        one_page = set(page["one_page"])
        return PrintSetup(
            paper=str(page["paper"]), default_orientation=str(page["orientation"]),
            orientation=tuple((t, chosen[keys[t]]) for t in titles if keys.get(t) in chosen),
            one_page=tuple(t for t in titles if keys.get(t) in one_page), fit_to_width=bool(page["fit_to_width"]),
            header_left=preparer, header_right=title)

    @property
    def font(self) -> str:
        return str(self.layout["fonts"].get(self.language, self.layout["fonts"]["en"]))

    def fingerprints(self) -> tuple[tuple[str, str], ...]:
        """(file name, SHA-256) of the files this report used."""
        return tuple((p.name, hashlib.sha256(p.read_bytes()).hexdigest())
                     for p in (self.folder / "layout.toml", self.texts_path))


def short(text: str, width: int = SHORT_NAME) -> str:
    """``text`` cut at a word before ``width`` characters, with an ellipsis."""
    if len(text) <= width:
        return text
    cut = text[:width - 1]
    if " " in cut[width // 2:]:
        cut = cut[:cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


def load_templates(folder: Path, language: str) -> Templates:
    if language not in LANGUAGES:
        raise ReportTemplateError(f"report language {language!r} is not offered; use one of: {', '.join(LANGUAGES)}.")
    shipped = shipped_templates()
    texts_path, layout_path = folder / f"{language}.toml", folder / "layout.toml"
    texts, layout = _read(texts_path), _read(layout_path)
    _check(texts_path, _read(shipped / "en.toml"), texts)
    _check(layout_path, _read(shipped / "layout.toml"), layout)
    return Templates(folder=folder, language=language, texts=texts, layout=layout, texts_path=texts_path)


def copy_shipped_templates(target: str | os.PathLike, *, overwrite: bool = False) -> list[Path]:
    """Copy the shipped template files into ``target`` (refusing to replace files unless told)."""
    folder = Path(target).expanduser().resolve()
    existing = [folder / name for name in _FILES if (folder / name).exists()]
    if existing and not overwrite:
        raise ReportTemplateError(f"{existing[0]} already exists; nothing was copied. Pass --overwrite to "
                                  "replace the template files, or choose another folder.")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in _FILES:
        (folder / name).write_bytes((shipped_templates() / name).read_bytes())
        written.append(folder / name)
    return written
