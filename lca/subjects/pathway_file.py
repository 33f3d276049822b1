"""Pathway files: a baseline, a target and the levers that should reach it, as small YAML.

::

    name: cell-2031-halving
    description: Halve the footprint of North American 2170 cells by FY2031 against FY2022
    subject:
      product: cell-2170-kwh          # or  comparison: copper  with  route: scrap
    regions:                          # where the subject's sites run (`lca sites`), in every state
      cell plant: US
    baseline:
      year: 2022
      label: FY2022
      source: what the baseline values describe
      set:                            # parameter values (as --set), in the parameter's unit
        grid_us_co2: 0.3496
      supply:                         # supply choices (as --supply COMPARISON=ROUTE|SHARE)
        nickel: primary
    target:
      year: 2031
      reduction: 0.5                  # against the baseline; or  value: 38.6  (in the method's unit)
      source: Panasonic Energy, FY2031 target
    levers:                           # in the order they are taken (the waterfall's order)
      - name: Recycled nickel 20 %
        year: 2030
        source: where the lever's values come from
        supply:
          nickel: 0.2
        set:
          cfp_products.cathode_loop_other_share: 0.155
        regions:
          cell plant: US

Every lever needs a ``name``, a ``year`` and a ``source`` and changes something (``set``,
``supply`` or ``regions``). Years run from the baseline's through the levers' (in order, never
decreasing) to the target's. Parameter names, comparisons, routes, sites and regions are checked
against the inventories when the pathway runs (lca.analysis.pathway); here the file's shape,
its numbers and its years are checked, each error naming the file and line. Pathway files are
small and bounded like scenario files (lca.subjects.changes): no anchors or aliases.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lca.errors import PathwayError
from lca.rules import brief, unknown_name
from lca.subjects.changes import Change, bounded_yaml, find_yaml, list_yaml, parse_number

__all__ = ["PathwayFile", "Baseline", "Target", "Lever", "read_pathway", "find_pathway", "list_pathways",
           "PATHWAY_FOLDER", "MAX_LEVERS"]

PATHWAY_FOLDER = "pathways"
MAX_BYTES = 256 * 1024
MAX_DEPTH = 5  # root -> levers -> lever -> set
MAX_LEVERS = 12  # Shapley values need 2^levers deterministic solves
_ROOT_KEYS = ("name", "description", "subject", "regions", "baseline", "target", "levers", "method")
_BASELINE_KEYS = ("year", "label", "source", "set", "supply", "regions")
_TARGET_KEYS = ("year", "reduction", "value", "source", "label")
_LEVER_KEYS = ("name", "year", "source", "set", "supply", "regions")
_SUBJECT_KEYS = ("product", "comparison", "route")
_LAYOUT = "see docs/pathways.md for the layout (subject, baseline, target, levers)"


@dataclass(frozen=True)
class Baseline:
    year: int
    label: str
    source: str
    changes: tuple[Change, ...]  # parameter values, in the order written
    supply: tuple[tuple[str, str, str], ...]  # (comparison, value as written, origin)
    regions: tuple[tuple[str, str, str], ...]  # (site, region, origin)


@dataclass(frozen=True)
class Lever:
    name: str
    year: int
    source: str
    changes: tuple[Change, ...]
    supply: tuple[tuple[str, str, str], ...]
    regions: tuple[tuple[str, str, str], ...]
    line: int


@dataclass(frozen=True)
class Target:
    year: int
    reduction: float | None  # a fraction of the baseline (0.5 for -50 %)
    value: float | None  # or an absolute footprint, in the method's unit per unit of the subject
    source: str
    label: str

    def value_for(self, baseline: float) -> float:
        return baseline * (1.0 - self.reduction) if self.reduction is not None else float(self.value)

    @property
    def text(self) -> str:
        if self.reduction is not None:
            return f"-{self.reduction:.0%} against the baseline by {self.year}"
        return f"{self.value:,.4g} by {self.year}"


@dataclass(frozen=True)
class PathwayFile:
    path: Path
    name: str
    description: str
    subject_kind: str  # "product" or "route"
    subject: str  # product id, or comparison id
    route: str | None  # the route of the comparison (route subjects)
    method: str | None
    baseline: Baseline
    target: Target
    levers: tuple[Lever, ...]


class _Reader:
    def __init__(self, path: Path):
        self.path = path

    def fail(self, node, message: str):
        line = f", line {node.start_mark.line + 1}" if node is not None else ""
        raise PathwayError(f"{self.path}{line}: {message}")

    def mapping(self, node, keys: tuple[str, ...], what: str) -> dict:
        import yaml

        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{what} must be a mapping ({', '.join(keys)}); {_LAYOUT}.")
        found = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key not in keys:
                shown = brief(key) if key is not None else "(a list or mapping)"
                import difflib

                close = difflib.get_close_matches(str(key), keys, n=1) if key else []
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(key_node, f"unknown key {shown} in {what}{hint}; {what} has the keys {', '.join(keys)}.")
            if key in found:
                self.fail(key_node, f"{key!r} is given twice in {what}; keep one.")
            found[key] = (key_node, value_node)
        return found

    def text(self, entry, what: str, required: bool = True) -> str:
        import yaml

        if entry is None:
            if required:
                raise PathwayError(f"{self.path}: {what} is missing; {_LAYOUT}.")
            return ""
        key_node, node = entry
        if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
            self.fail(key_node, f"{what} must be one line of text.")
        return str(node.value).strip()

    def number(self, entry, what: str) -> float:
        import yaml

        key_node, node = entry
        value = parse_number(node.value) if isinstance(node, yaml.ScalarNode) else None
        if value is None:
            shown = brief(node.value) if isinstance(node, yaml.ScalarNode) else "a list or mapping"
            self.fail(node, f"{what} is not a finite number ({shown}); write a plain number.")
        return value

    def year(self, entry, what: str) -> int:
        if entry is None:
            raise PathwayError(f"{self.path}: {what} has no 'year'; give the year it describes (e.g. 2022).")
        value = self.number(entry, f"the year of {what}")
        if value != int(value) or not 1900 <= value <= 2200:
            self.fail(entry[1], f"the year of {what} is {value:g}; give a calendar or fiscal year such as 2031.")
        return int(value)

    def changes(self, entry, what: str) -> tuple[Change, ...]:
        if entry is None:
            return ()
        out = []
        for name, (key_node, value_node) in self.pairs(entry, f"'set' of {what}").items():
            value = self.number((key_node, value_node), f"the value of {brief(name)} in {what}")
            out.append(Change(name, value, f"pathway {self.path.name}, line {value_node.start_mark.line + 1}"))
        return tuple(out)

    def pairs(self, entry, what: str) -> dict:
        """A mapping of names to scalars, names unique, at least one."""
        import yaml

        key_node, node = entry
        if not isinstance(node, yaml.MappingNode) or not node.value:
            self.fail(key_node, f"{what} must be a mapping of names to values, e.g.\n  set:\n    grid_jp_co2: 0.25")
        found = {}
        for name_node, value_node in node.value:
            if not isinstance(name_node, yaml.ScalarNode) or not str(name_node.value).strip():
                self.fail(name_node, f"a name in {what} must be plain text.")
            name = str(name_node.value).strip()
            if name in found:
                self.fail(name_node, f"{brief(name)} is given twice in {what} (also on line "
                                     f"{found[name][0].start_mark.line + 1}); keep one.")
            if not isinstance(value_node, yaml.ScalarNode) or not str(value_node.value).strip():
                self.fail(value_node, f"the value of {brief(name)} in {what} must be one plain value.")
            found[name] = (name_node, value_node)
        return found

    def named(self, entry, what: str) -> tuple[tuple[str, str, str], ...]:
        """supply / regions: (name, value text, origin)."""
        if entry is None:
            return ()
        return tuple((name, str(v.value).strip(), f"pathway {self.path.name}, line {v.start_mark.line + 1}")
                     for name, (_, v) in self.pairs(entry, what).items())


def read_pathway(path: Path) -> PathwayFile:
    """Read and check a pathway file's shape, numbers and years; errors name the file and line."""
    import yaml

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise PathwayError(f"Pathway file {path} has {size:,} bytes, more than {MAX_BYTES:,}: a pathway holds a "
                               "baseline, a target and a few levers. Check that it is the file you meant.")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PathwayError(f"Cannot read pathway file {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise PathwayError(f"Pathway file {path} is not UTF-8 text (byte {exc.start:,}). Save it as UTF-8.") from exc
    bounded_yaml(path, text, what="a pathway file", max_depth=MAX_DEPTH, layout=_LAYOUT, error=PathwayError)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise PathwayError(f"{path}{where}: not valid YAML ({brief(problem, 120)}). Fix the file; {_LAYOUT}.") from exc
    r = _Reader(path)
    if root is None:
        raise PathwayError(f"{path}: the file is empty; {_LAYOUT}.")
    top = r.mapping(root, _ROOT_KEYS, "a pathway")
    for key in ("subject", "baseline", "target", "levers"):
        if key not in top:
            raise PathwayError(f"{path}: no {key!r}; a pathway has a subject, a baseline, a target and levers "
                               f"({_LAYOUT}).")
    kind, subject, route = _subject(r, top["subject"])
    baseline = _baseline(r, top["baseline"], top.get("regions"))
    target = _target(r, top["target"])
    levers = _levers(r, top["levers"])
    _check_years(r, baseline, levers, target, top)
    return PathwayFile(path=path, name=r.text(top.get("name"), "name", required=False) or path.stem,
                       description=r.text(top.get("description"), "description", required=False),
                       subject_kind=kind, subject=subject, route=route,
                       method=r.text(top.get("method"), "method", required=False) or None,
                       baseline=baseline, target=target, levers=levers)


def _subject(r: _Reader, entry):
    key_node, node = entry
    fields = r.mapping(node, _SUBJECT_KEYS, "the subject")
    if "product" in fields and ("comparison" in fields or "route" in fields):
        r.fail(key_node, "the subject is a product or a route of a comparison, not both; give 'product: ID' or "
                         "'comparison: ID' with 'route: ID'.")
    if "product" in fields:
        return "product", r.text(fields["product"], "the subject's product"), None
    if "comparison" in fields and "route" in fields:
        return "route", r.text(fields["comparison"], "the subject's comparison"), r.text(fields["route"],
                                                                                          "the subject's route")
    r.fail(key_node, "the subject names no product and no route: give 'product: ID' (see `lca products`) or "
                     "'comparison: ID' and 'route: ID' (see `lca compare --help`).")


def _baseline(r: _Reader, entry, regions_entry) -> Baseline:
    key_node, node = entry
    fields = r.mapping(node, _BASELINE_KEYS, "the baseline")
    regions = r.named(regions_entry, "'regions'") + r.named(fields.get("regions"), "the baseline's 'regions'")
    names = [site for site, _, _ in regions]
    if len(set(names)) < len(names):
        r.fail(key_node, "a site's region is given both in 'regions' and in the baseline's 'regions'; give it once.")
    return Baseline(year=r.year(fields.get("year"), "the baseline"), label=r.text(fields.get("label"), "label",
                                                                                    required=False),
                    source=r.text(fields.get("source"), "the baseline's source", required=False),
                    changes=r.changes(fields.get("set"), "the baseline"),
                    supply=r.named(fields.get("supply"), "the baseline's 'supply'"), regions=regions)


def _target(r: _Reader, entry) -> Target:
    key_node, node = entry
    fields = r.mapping(node, _TARGET_KEYS, "the target")
    if ("reduction" in fields) == ("value" in fields):
        r.fail(key_node, "the target needs exactly one of 'reduction' (a fraction of the baseline, 0.5 for -50 %) "
                         "and 'value' (an absolute footprint in the method's unit).")
    reduction = value = None
    if "reduction" in fields:
        reduction = r.number(fields["reduction"], "the target's reduction")
        if not 0 < reduction < 1:
            r.fail(fields["reduction"][1], f"the target's reduction is {reduction:g}; give a fraction between 0 and "
                                           "1 (0.5 for -50 %), not a percentage.")
    else:
        value = r.number(fields["value"], "the target's value")
        if value < 0:
            r.fail(fields["value"][1], f"the target's value is {value:g}; a footprint target is 0 or more.")
    return Target(year=r.year(fields.get("year"), "the target"), reduction=reduction, value=value,
                  source=r.text(fields.get("source"), "the target's source"),
                  label=r.text(fields.get("label"), "label", required=False))


def _levers(r: _Reader, entry) -> tuple[Lever, ...]:
    import yaml

    key_node, node = entry
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        r.fail(key_node, "'levers' must be a list of levers ('- name: ...'), at least one.")
    if len(node.value) > MAX_LEVERS:
        r.fail(key_node, f"{len(node.value)} levers; a pathway has at most {MAX_LEVERS} (their order-independent "
                         "attribution solves the system for every combination of levers). Merge levers that belong "
                         "together.")
    levers, names = [], {}
    for item in node.value:
        fields = r.mapping(item, _LEVER_KEYS, "a lever")
        name = r.text(fields.get("name"), f"the name of the lever on line {item.start_mark.line + 1}")
        if name in names:
            r.fail(item, f"lever {brief(name)} is named twice (also on line {names[name]}); give each lever its own "
                         "name.")
        names[name] = item.start_mark.line + 1
        what = f"lever {brief(name)}"
        lever = Lever(name=name, year=r.year(fields.get("year"), what),
                      source=r.text(fields.get("source"), f"the source of {what}"),
                      changes=r.changes(fields.get("set"), what), supply=r.named(fields.get("supply"),
                                                                                   f"'supply' of {what}"),
                      regions=r.named(fields.get("regions"), f"'regions' of {what}"), line=item.start_mark.line + 1)
        if not (lever.changes or lever.supply or lever.regions):
            r.fail(item, f"{what} changes nothing; give it 'set', 'supply' or 'regions'.")
        levers.append(lever)
    return tuple(levers)


def _check_years(r: _Reader, baseline: Baseline, levers, target: Target, top) -> None:
    if target.year <= baseline.year:
        r.fail(top["target"][1], f"the target's year {target.year} is not after the baseline's {baseline.year}.")
    previous, what = baseline.year, "the baseline"
    for lever in levers:
        if lever.year < previous:
            raise PathwayError(f"{r.path}, line {lever.line}: lever {brief(lever.name)} is dated {lever.year}, before "
                               f"{what} ({previous}); levers are listed in the order they are taken, so their years "
                               "never go down. Reorder the levers or correct the year.")
        if lever.year < baseline.year or lever.year > target.year:
            raise PathwayError(f"{r.path}, line {lever.line}: lever {brief(lever.name)} is dated {lever.year}, outside "
                               f"the baseline's {baseline.year} to the target's {target.year}.")
        if lever.year == baseline.year:
            raise PathwayError(f"{r.path}, line {lever.line}: lever {brief(lever.name)} is dated {lever.year}, the "
                               "baseline's year; what holds in the baseline year belongs in the baseline.")
        previous, what = lever.year, f"lever {brief(lever.name)}"


def list_pathways(inventories: Path | None = None) -> list[PathwayFile]:
    """Pathways of the inventories folder, then the shipped ones not shadowed by them."""
    return list_yaml(inventories, PATHWAY_FOLDER, read_pathway)


def find_pathway(text: str, inventories: Path | None = None) -> Path:
    """A pathway file from a path or a pathway name."""
    path, names = find_yaml(text, inventories, PATHWAY_FOLDER)
    if path is not None:
        return path
    raise PathwayError(f"pathway {brief(text)}: no such file, and {unknown_name('pathway', text, names)} Give a path "
                       "to a YAML file, or see `lca pathways`.")
