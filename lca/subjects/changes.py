"""Parameter changes for one run: ``--set NAME=VALUE`` and ``--scenario FILE``.

A scenario is a small YAML file::

    name: jp-grid-2030
    description: Japanese power sector at its FY2030 target
    source: ELCS target FY2030, 0.25 kg CO2/kWh (docs/inventory-data.md)
    set:
      grid_jp_co2: 0.25

``--scenario`` takes a file path, or the name of a scenario in the ``scenarios`` folder of the
inventories (the shipped ones: ``lca scenarios``). Scenarios apply in the order given, then each
``--set``; a later value of the same parameter wins. Values are in the parameter's unit, as
``lca params`` lists it.

A changed parameter obeys the rules its workbook value obeys (lca.parametric.ParametricModel.
check_changes), and a parameter that no result depends on is refused with the reason. Scenario
files are small: at most :data:`MAX_BYTES`, no YAML anchors or aliases (a few lines of aliases
can expand to billions of nodes), nesting at most :data:`MAX_DEPTH` deep.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from lca.errors import ParameterError, ScenarioError, SupplyParameterError
from lca.rules import brief, unknown_name

__all__ = ["Change", "ScenarioFile", "parse_set", "read_scenario", "find_scenario", "list_scenarios",
           "resolve_changes", "matrix_changes", "SCENARIO_FOLDER", "bounded_yaml",
           "refuse_without_effect", "parse_number", "yaml_folders", "list_yaml", "find_yaml", "settings_text"]


def settings_text(settings) -> str:
    """A run's parameter changes ((id, value, origin), ...) as one line: 'id = value (origin); ...'."""
    return "; ".join(f"{pid} = {value:g} ({origin})" for pid, value, origin in settings)

SCENARIO_FOLDER = "scenarios"
_KEYS = ("name", "description", "source", "set")
MAX_BYTES = 256 * 1024  # the shipped scenarios have under 1 kB
MAX_DEPTH = 4  # a scenario is a mapping holding one mapping ('set')
_MAX_EVENTS = 20_000  # YAML parse events: about 10,000 parameter values
_NON_FINITE = (".nan", ".inf", "-.inf", "+.inf", "nan", "inf", "-inf", "+inf", "infinity", "-infinity")


@dataclass(frozen=True)
class Change:
    name: str  # as written
    value: float
    origin: str  # "--set" or the scenario file


@dataclass(frozen=True)
class ScenarioFile:
    path: Path
    name: str
    description: str
    source: str
    changes: tuple[Change, ...]


def parse_set(text: str) -> Change:
    """'NAME=VALUE' -> Change; ParameterError saying how to write it."""
    name, sep, value = text.partition("=")
    name, value = name.strip(), value.strip()
    if not sep or not name or not value:
        raise ParameterError(f"--set {brief(text)} is not NAME=VALUE; write e.g. --set grid_jp_co2=0.43")
    try:
        number = float(value) if len(value) <= 100 else None
    except ValueError:
        number = None
    if number is None:
        raise ParameterError(f"--set {brief(text)}: {brief(value)} is not a number; write a plain number in the "
                             "parameter's unit (see `lca params`)")
    if not math.isfinite(number):
        raise ParameterError(f"--set {brief(text)}: {brief(value)} is not a finite number; write a plain number in "
                             "the parameter's unit (see `lca params`)")
    return Change(name, number, "--set")


def bounded_yaml(path: Path, text: str, *, what: str = "a scenario file", max_depth: int = MAX_DEPTH,
                 layout: str = "a scenario is a mapping with 'set:' holding 'parameter: value' lines",
                 error=ScenarioError) -> None:
    """Refuse anchors and aliases, deep nesting and very many nodes before the file is composed."""
    import yaml

    depth, events = 0, 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            events += 1
            line = event.start_mark.line + 1
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise error(f"{path}, line {line}: YAML anchors and aliases ('&', '*') are not allowed in {what} "
                            "(they can expand without bound). Write each value out.")
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > max_depth:
                    raise error(f"{path}, line {line}: nested more than {max_depth} levels deep; {layout}.")
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
            if events > _MAX_EVENTS:
                raise error(f"{path}, line {line}: too many entries for {what} (over {_MAX_EVENTS:,} YAML nodes). "
                            "Split it, or check that it is the file you meant.")
    except yaml.YAMLError:
        return  # composing reports the syntax error with its line


def parse_number(raw) -> float | None:
    """A YAML scalar's text as a finite number; None for anything else (a list, 'nan', '.inf', text)."""
    if not isinstance(raw, str) or len(raw) > 100 or raw.strip().lower() in _NON_FINITE:
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_scenario(path: Path) -> ScenarioFile:
    """Read and check a scenario file; errors name the file and line."""
    import yaml

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ScenarioError(f"Scenario file {path} has {size:,} bytes, more than {MAX_BYTES:,}: a scenario sets a "
                                "few parameters. Check that it is the file you meant.")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"Cannot read scenario file {path}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"Scenario file {path} is not UTF-8 text (byte {exc.start:,}). Save it as UTF-8.") from exc
    bounded_yaml(path, text)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{path}{where}: not valid YAML ({brief(problem, 120)}). Fix the file; see "
                            "docs/uncertainty.md for the layout.") from exc
    if not isinstance(root, yaml.MappingNode):
        raise ScenarioError(f"{path}: a scenario is a mapping with keys {', '.join(_KEYS)}; "
                            "put the parameter values under 'set:'.")
    fields, set_node = {}, None
    for key_node, value_node in root.value:
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
        line = key_node.start_mark.line + 1
        if key not in _KEYS:
            raise ScenarioError(f"{path}, line {line}: unknown key {brief(key if key is not None else '(a mapping)')}; "
                                f"a scenario has the keys {', '.join(_KEYS)}.")
        if key == "set":
            set_node = value_node
        elif isinstance(value_node, yaml.ScalarNode):
            fields[key] = str(value_node.value)
        else:
            raise ScenarioError(f"{path}, line {line}: {key!r} must be a single line of text.")
    if not isinstance(set_node, yaml.MappingNode) or not set_node.value:
        raise ScenarioError(f"{path}: no parameter values; add a 'set:' mapping such as\n"
                            "set:\n  grid_jp_co2: 0.43")
    changes, seen = [], {}
    for key_node, value_node in set_node.value:
        line = value_node.start_mark.line + 1
        if not isinstance(key_node, yaml.ScalarNode):
            raise ScenarioError(f"{path}, line {key_node.start_mark.line + 1}: a parameter name must be plain text.")
        name = str(key_node.value)
        if name in seen:
            raise ScenarioError(f"{path}, line {line}: {brief(name)} is set twice (also on line {seen[name]}); keep "
                                "one value.")
        seen[name] = line
        raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
        value = parse_number(raw)
        if value is None:
            shown = brief(raw) if raw is not None else "a list or mapping"
            raise ScenarioError(f"{path}, line {line}: the value of {brief(name)} is not a finite number "
                                f"({shown}); write a plain number in the parameter's unit.")
        changes.append(Change(name, value, f"scenario {path.name}, line {line}"))
    return ScenarioFile(path=path, name=fields.get("name", path.stem), description=fields.get("description", ""),
                        source=fields.get("source", ""), changes=tuple(changes))


def yaml_folders(inventories: Path | None, folder: str = SCENARIO_FOLDER) -> list[Path]:
    """``folder`` of the inventories folder (if given), then the shipped one."""
    from lca.paths import shipped_inventories

    folders = []
    if inventories is not None:
        folders.append(Path(inventories) / folder)
    folders.append(shipped_inventories() / folder)
    return list(dict.fromkeys(folders))


def list_yaml(inventories: Path | None, folder: str, read) -> list:
    """``read(path)`` of each YAML file of the folders, those of the inventories first (shadowing shipped ones)."""
    found: dict = {}
    for place in yaml_folders(inventories, folder):
        for path in sorted(place.glob("*.yaml")) if place.is_dir() else []:
            if path.stem not in found:
                found[path.stem] = read(path)
    return list(found.values())


def find_yaml(text: str, inventories: Path | None, folder: str) -> tuple[Path | None, list[str]]:
    """(the file ``text`` names, as a path or a name in the folders, or None; the names offered)."""
    def is_file(path: Path) -> bool:
        try:
            return path.is_file()
        except (OSError, ValueError):  # a name too long for the file system, a NUL character
            return False

    path = Path(text)
    if is_file(path):
        return path, []
    folders = yaml_folders(inventories, folder)
    for place in folders:
        candidate = place / f"{text}.yaml"
        if is_file(candidate):
            return candidate, []
    return None, sorted({p.stem for place in folders if place.is_dir() for p in place.glob("*.yaml")})


def list_scenarios(inventories: Path | None = None) -> list[ScenarioFile]:
    """Scenarios of the inventories folder, then the shipped ones not shadowed by them."""
    return list_yaml(inventories, SCENARIO_FOLDER, read_scenario)


def find_scenario(text: str, inventories: Path | None = None) -> Path:
    """A scenario file path from a path or a scenario name."""
    path, names = find_yaml(text, inventories, SCENARIO_FOLDER)
    if path is not None:
        return path
    raise ScenarioError(f"--scenario {brief(text)}: no such file, and {unknown_name('scenario', text, names)} Give a "
                        "path to a YAML file, or see `lca scenarios`.")


@dataclass(frozen=True)
class ResolvedChanges:
    """Parameter id -> value, with where each came from (for reports and provenance)."""

    values: dict
    origins: dict
    scenarios: tuple[ScenarioFile, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.values)


def resolve_changes(model, sets: tuple[str, ...] = (), scenarios: tuple[str, ...] = (),
                    inventories: Path | None = None, fixed: tuple[Change, ...] = ()) -> ResolvedChanges:
    """``fixed`` values (a ledger's period values, lca.ledger.links), then scenario files (in
    order), then --set values, as parameter ids of ``model``. A scenario or --set value for a
    parameter that ``fixed`` sets is refused: the two would disagree on what was calculated."""
    files = tuple(read_scenario(find_scenario(s, inventories)) for s in scenarios)
    changes = list(fixed) + [c for f in files for c in f.changes] + [parse_set(s) for s in sets]
    values, origins, pinned = {}, {}, set()
    for number, change in enumerate(changes):
        parameter = model.find(change.name, origin=change.origin)
        if parameter.id in pinned:
            raise ParameterError(f"{change.origin}: {parameter.id} = {change.value:g} contradicts "
                                 f"{origins[parameter.id]} ({parameter.id} = {values[parameter.id]:g}). Leave out "
                                 "the one you do not mean.")
        if number < len(fixed):
            pinned.add(parameter.id)
        values.pop(parameter.id, None)
        values[parameter.id] = change.value
        origins[parameter.id] = change.origin
    if values:
        model.check_changes(values, origins)
        refuse_without_effect(model, values, origins)
        evaluation = model.evaluate(values, origins=origins)  # derived parameters and amounts obey the rules
        from lca.inventory.route_rows import check_flag_values

        check_flag_values(evaluation.values)  # one by-product allocation for every workbook
    return ResolvedChanges(values=values, origins=origins, scenarios=files)


def refuse_without_effect(model, values: dict, origins: dict) -> None:
    """A change that no result depends on would be a silent no-op: refuse it, naming what does the job."""
    from lca.subjects.allocation import PARAMETERS

    idle = model.without_effect(live_names=PARAMETERS)
    for pid in values:
        reason = idle.get(pid)
        if reason is None:
            continue
        told = f"{origins[pid]}: {pid} = {values[pid]:g}"
        if reason.startswith("supply:"):
            comparison = reason.split(":", 1)[1]
            raise SupplyParameterError(
                f"{told} would change no result: it sets the route shares of the {comparison} supply mix, which "
                "every result sets itself (the blends of a comparison, the route choice of a product). Choose the "
                f"blend of comparison {comparison} or the supply of a product instead.", comparison=comparison)
        raise ParameterError(f"{told} would change no result: no exchange formula uses {pid}, directly or through "
                             "other parameters. Check the name (`lca params`), or use the parameter in a formula "
                             "of the workbook.")


def matrix_changes(model, resolved: ResolvedChanges):
    """The matrix changes (lca.matrices.MatrixChanges) for ``resolved``; None when nothing is set."""
    from lca.brightway.matrices import MatrixChanges

    if not resolved:
        return None
    evaluation = model.evaluate(resolved.values, origins=resolved.origins)
    settings = tuple((pid, value, resolved.origins[pid]) for pid, value in resolved.values.items())
    return MatrixChanges.from_amounts(model, evaluation.amounts, settings, evaluation.values)
