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
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from .errors import ParameterError, ScenarioError

__all__ = ["Change", "ScenarioFile", "parse_set", "read_scenario", "find_scenario", "list_scenarios",
           "resolve_changes", "matrix_changes", "SCENARIO_FOLDER"]

SCENARIO_FOLDER = "scenarios"
_KEYS = ("name", "description", "source", "set")


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
        raise ParameterError(f"--set {text!r} is not NAME=VALUE; write e.g. --set grid_jp_co2=0.25")
    try:
        number = float(value)
    except ValueError:
        raise ParameterError(f"--set {text!r}: {value!r} is not a number; write a plain number in the parameter's "
                             "unit (see `lca params`)") from None
    if not math.isfinite(number):
        raise ParameterError(f"--set {text!r}: the value must be a finite number")
    return Change(name, number, "--set")


def read_scenario(path: Path) -> ScenarioFile:
    """Read and check a scenario file; errors name the file and line."""
    import yaml

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"Cannot read scenario file {path}: {exc.strerror or exc}.") from exc
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(f"{path}{where}: not valid YAML ({problem}). Fix the file; see "
                            "docs/uncertainty.md for the layout.") from exc
    if not isinstance(root, yaml.MappingNode):
        raise ScenarioError(f"{path}: a scenario is a mapping with keys {', '.join(_KEYS)}; "
                            "put the parameter values under 'set:'.")
    fields, set_node = {}, None
    for key_node, value_node in root.value:
        key = key_node.value
        line = key_node.start_mark.line + 1
        if key not in _KEYS:
            raise ScenarioError(f"{path}, line {line}: unknown key {key!r}; a scenario has the keys "
                                f"{', '.join(_KEYS)}.")
        if key == "set":
            set_node = value_node
        elif isinstance(value_node, yaml.ScalarNode):
            fields[key] = str(value_node.value)
        else:
            raise ScenarioError(f"{path}, line {line}: {key!r} must be a single line of text.")
    if not isinstance(set_node, yaml.MappingNode) or not set_node.value:
        raise ScenarioError(f"{path}: no parameter values; add a 'set:' mapping such as\n"
                            "set:\n  grid_jp_co2: 0.25")
    changes = []
    for key_node, value_node in set_node.value:
        line = value_node.start_mark.line + 1
        try:
            value = float(value_node.value) if isinstance(value_node, yaml.ScalarNode) else None
        except ValueError:
            value = None
        if value is None or not math.isfinite(value):
            raise ScenarioError(f"{path}, line {line}: the value of {key_node.value!r} is not a number "
                                f"({getattr(value_node, 'value', '')!r}); write a plain number in the "
                                "parameter's unit.")
        changes.append(Change(str(key_node.value), value, f"scenario {path.name}, line {line}"))
    return ScenarioFile(path=path, name=fields.get("name", path.stem), description=fields.get("description", ""),
                        source=fields.get("source", ""), changes=tuple(changes))


def _folders(inventories: Path | None) -> list[Path]:
    from .paths import shipped_inventories

    folders = []
    if inventories is not None:
        folders.append(Path(inventories) / SCENARIO_FOLDER)
    folders.append(shipped_inventories() / SCENARIO_FOLDER)
    return list(dict.fromkeys(folders))


def list_scenarios(inventories: Path | None = None) -> list[ScenarioFile]:
    """Scenarios of the inventories folder, then the shipped ones not shadowed by them."""
    found: dict[str, ScenarioFile] = {}
    for folder in _folders(inventories):
        for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
            if path.stem not in found:
                found[path.stem] = read_scenario(path)
    return list(found.values())


def find_scenario(text: str, inventories: Path | None = None) -> Path:
    """A scenario file path from a path or a scenario name."""
    path = Path(text)
    if path.is_file():
        return path
    for folder in _folders(inventories):
        candidate = folder / f"{text}.yaml"
        if candidate.is_file():
            return candidate
    names = sorted({p.stem for folder in _folders(inventories) if folder.is_dir() for p in folder.glob("*.yaml")})
    raise ScenarioError(f"--scenario {text!r}: no such file, and no scenario of that name (offered: "
                        f"{', '.join(names) or 'none'}). Give a path to a YAML file, or see `lca scenarios`.")


@dataclass(frozen=True)
class ResolvedChanges:
    """Parameter id -> value, with where each came from (for reports and provenance)."""

    values: dict
    origins: dict
    scenarios: tuple[ScenarioFile, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.values)


def resolve_changes(model, sets: tuple[str, ...] = (), scenarios: tuple[str, ...] = (),
                    inventories: Path | None = None) -> ResolvedChanges:
    """Scenario files (in order), then --set values, as parameter ids of ``model``."""
    files = tuple(read_scenario(find_scenario(s, inventories)) for s in scenarios)
    changes = [c for f in files for c in f.changes] + [parse_set(s) for s in sets]
    values, origins = {}, {}
    for change in changes:
        parameter = model.find(change.name, origin=change.origin)
        values.pop(parameter.id, None)
        values[parameter.id] = change.value
        origins[parameter.id] = change.origin
    return ResolvedChanges(values=values, origins=origins, scenarios=files)


def matrix_changes(model, resolved: ResolvedChanges):
    """The matrix changes (lca.matrices.MatrixChanges) for ``resolved``; None when nothing is set."""
    from .matrices import MatrixChanges

    if not resolved:
        return None
    origins = sorted(set(resolved.origins.values()))
    evaluation = model.evaluate(resolved.values, origin=origins[0] if len(origins) == 1 else "the parameter changes")
    settings = tuple((pid, value, resolved.origins[pid]) for pid, value in resolved.values.items())
    return MatrixChanges.from_amounts(model, evaluation.amounts, settings, evaluation.values)
