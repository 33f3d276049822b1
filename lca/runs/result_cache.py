"""Warm commands without Brightway: a result command's output, kept with everything it came from.

A result command (``lca compare copper``, ``lca footprint ...``) prints text that depends on its
arguments, the working folder, the ``LCA_*`` and ``BRIGHTWAY2_DIR`` environment, the tool's code and
the libraries it calculates with, the files of the inventory folder, any file named on the command
line, and the Brightway project the command opened. After a successful run the printed output (and
the notes it wrote on stderr) is stored in the data folder, ``lca-cfp-results/``, with a record of
all of these: the hash of every input file, and the size and modification time of every file of
the project folder. The next identical command first checks that record; when every input is as it
was, it prints the stored output without importing Brightway, numpy or pandas (a few tens of
milliseconds in place of seconds). Any change (a workbook edited, a scenario file saved, another
program writing the project, a new version of the tool or of a library) fails the check, and the
command runs and stores anew, so an edit always reaches the next result.

Not kept: a command that writes a file (``-o``, ``--plot``, ``--draws``), a random one (uncertainty
and sensitivity without ``--seed``), a failed one, and any output while ``LCA_RESULT_CACHE=off``.
Nothing here raises: a record that cannot be read or written is a miss.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FOLDER", "Replay", "Recording", "replay", "start", "opened", "noted", "cacheable"]

FOLDER = "lca-cfp-results"
SCHEMA = "1"
OFF_ENV = "LCA_RESULT_CACHE"
KEEP = 200  # records kept per data folder (the oldest go first)

# commands whose output is a function of their inputs (the others write files, or are lists without a project)
_COMMANDS = frozenset({"compare", "footprint", "products", "params", "scenarios", "pathway", "pathways",
                       "uncertainty", "sensitivity"})
_SEEDED = frozenset({"uncertainty", "sensitivity"})  # random unless --seed is given
_WRITES = ("-o", "--output", "--plot", "--draws", "--overwrite", "--help", "-h", "--version")
_LIBRARIES = ("bw2calc", "bw2data", "bw2io", "bw2parameters", "bw_processing", "matrix_utils", "numpy", "scipy",
              "pandas", "openpyxl", "click")
_SKIPPED_FILES = ("lca-cfp.lock",)  # the data folder's lock: taken by every run


@dataclass(frozen=True)
class Replay:
    """A stored output whose inputs are all unchanged."""

    stdout: str
    notes: tuple[str, ...]


def _off() -> bool:
    return os.environ.get(OFF_ENV, "").strip().lower() in ("off", "0", "no", "false")


def cacheable(argv: list[str]) -> bool:
    """Whether the command line ``argv`` (without the program name) names a command kept here."""
    command = next((token for token in argv if not token.startswith("-")), None)
    if command not in _COMMANDS or _off():
        return False
    options = {token.split("=", 1)[0] for token in argv if token.startswith("-")}
    if options & set(_WRITES):
        return False
    return command not in _SEEDED or "--seed" in options


def _option_value(argv: list[str], name: str) -> str | None:
    for index, token in enumerate(argv):
        if token == name and index + 1 < len(argv):
            return argv[index + 1]
        if token.startswith(name + "="):
            return token.split("=", 1)[1]
    return None


def _data_dir(argv: list[str]) -> Path:
    """The data folder the command will use, found as the CLI finds it (--data-dir, BRIGHTWAY2_DIR, default)."""
    from lca.paths import resolve_data_dir

    return resolve_data_dir(_option_value(argv, "--data-dir"))


def _stamp(path: Path) -> list:
    try:
        status = path.stat()
    except OSError:
        return [str(path), None]
    return [str(path), status.st_size, status.st_mtime_ns]


def _code_stamp() -> list:
    """Size and modification time of the tool's own files and of each calculating library's entry file."""
    import importlib.util

    package = Path(__file__).resolve().parent.parent
    stamps = [_stamp(path) for pattern in ("*.py", "*.toml") for path in sorted(package.rglob(pattern))]
    stamps += [_stamp(path) for path in sorted((package.parent / "reports").glob("*.toml"))]  # a checkout's
    for name in _LIBRARIES:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        stamps.append(_stamp(Path(spec.origin)) if spec and spec.origin else [name, None])
    return stamps


def _key(argv: list[str]) -> str:
    environment = sorted((name, value) for name, value in os.environ.items()
                         if (name.startswith("LCA_") and name != OFF_ENV) or name == "BRIGHTWAY2_DIR")
    from lca import __version__

    text = json.dumps([SCHEMA, __version__, list(argv), os.getcwd(), environment, _code_stamp()])
    return hashlib.sha256(text.encode()).hexdigest()


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _folder_hashes(folder: Path) -> dict[str, str | None]:
    """SHA-256 of every file below ``folder`` (hidden files and office lock files left out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in relative.parts) or not path.is_file():
            continue
        found[str(relative)] = _sha(path)
    return found


def _named_files(argv: list[str]) -> dict[str, str | None]:
    """SHA-256 of every file the command line or an ``LCA_*`` variable names (scenario, pathway,
    mapping files: ``--background FILE.xlsx`` or ``LCA_BACKGROUND=FILE.xlsx``)."""
    found = {}
    named = [value for name, value in os.environ.items() if name.startswith("LCA_") and name != OFF_ENV]
    for token in [*argv, *named]:
        for candidate in {token, token.split("=", 1)[-1]}:
            path = Path(candidate).expanduser()
            try:
                if candidate and path.is_file():
                    found[str(path.resolve())] = _sha(path)
            except OSError:
                continue
    return found


def _project_state(data_dir: Path, projects: list[str]) -> list:
    """Size and modification time of the data folder's own files and of every file of the projects used."""
    stamps = [_stamp(path) for path in sorted(data_dir.iterdir())
              if path.is_file() and path.name not in _SKIPPED_FILES]
    for project in projects:
        stamps += [_stamp(path) for path in sorted(Path(project).rglob("*")) if path.is_file()]
    return stamps


def _inputs(argv: list[str], folders: list[str], data_dir: Path, projects: list[str]) -> dict:
    return {"folders": {folder: _folder_hashes(Path(folder)) for folder in folders},
            "files": _named_files(argv), "projects": projects,
            "state": _project_state(data_dir, projects)}


def _record_path(data_dir: Path, key: str) -> Path:
    return data_dir / FOLDER / f"{key[:40]}.json"


def replay(argv: list[str]) -> Replay | None:
    """The stored output of ``argv`` if every input is unchanged since it was stored; else None."""
    try:
        if not cacheable(argv):
            return None
        data_dir = _data_dir(argv)
        key = _key(argv)
        record = json.loads(_record_path(data_dir, key).read_text(encoding="utf-8"))
        if record.get("key") != key:
            return None
        inputs = record["inputs"]
        if _inputs(argv, list(inputs["folders"]), data_dir, inputs["projects"]) != inputs:
            return None
        return Replay(record["stdout"], tuple(record["notes"]))
    except Exception:  # noqa: BLE001 - a record that cannot be read is a miss, never an error
        return None


# --- recording a run ----------------------------------------------------------------------------


@dataclass
class _Tee:
    """sys.stdout that also keeps what is written."""

    stream: object
    parts: list = field(default_factory=list)

    def write(self, text):
        written = self.stream.write(text)  # first: click probes with write(b"") and expects a text stream to refuse
        self.parts.append(text)
        return written

    def __getattr__(self, name):
        return getattr(self.stream, name)


@dataclass
class Recording:
    """One command being run: what it prints and which projects it opens (see :func:`start`)."""

    argv: list[str]
    data_dir: Path
    key: str
    tee: _Tee
    sessions: list = field(default_factory=list)  # (data folder, inventory folder, project folder)
    notes: list = field(default_factory=list)
    opened_inputs: dict | None = None
    failed: bool = False

    def store(self) -> None:
        """Keep the output, if the run opened one project in the expected data folder and no input
        changed while it ran."""
        try:
            if self.failed or not self.sessions or self.opened_inputs is None:
                return
            if any(Path(data_dir) != self.data_dir for data_dir, _, _ in self.sessions):
                return
            folders = sorted({folder for _, folder, _ in self.sessions})
            projects = sorted({project for _, _, project in self.sessions if project})
            inputs = _inputs(self.argv, folders, self.data_dir, projects)
            if inputs != self.opened_inputs:
                return
            record = {"key": self.key, "inputs": inputs, "stdout": "".join(self.tee.parts), "notes": self.notes}
            _write(_record_path(self.data_dir, self.key), json.dumps(record))
            _prune(self.data_dir / FOLDER)
        except Exception:  # noqa: BLE001 - the cache never fails a command
            return

    def stop(self) -> None:
        global _RECORDING
        if sys.stdout is self.tee:
            sys.stdout = self.tee.stream
        _RECORDING = None


_RECORDING: Recording | None = None


def start(argv: list[str]) -> Recording | None:
    """Begin recording ``argv``'s run (None when it is not kept); stdout is teed until ``stop()``."""
    global _RECORDING
    try:
        if not cacheable(argv):
            return None
        recording = Recording(list(argv), _data_dir(argv), _key(argv), _Tee(sys.stdout))
    except Exception:  # noqa: BLE001
        return None
    sys.stdout = recording.tee
    _RECORDING = recording
    return recording


def opened(data_dir: Path, inventories: Path, project: Path | None) -> None:
    """Called by lca.runs.session when a command's project is open (built and current)."""
    recording = _RECORDING
    if recording is None:
        return
    try:
        recording.sessions.append((str(data_dir), str(inventories), str(project) if project else ""))
        folders = sorted({folder for _, folder, _ in recording.sessions})
        projects = sorted({p for _, _, p in recording.sessions if p})
        recording.opened_inputs = _inputs(recording.argv, folders, recording.data_dir, projects)
    except Exception:  # noqa: BLE001
        recording.failed = True


def noted(message: str) -> None:
    """A note the command wrote on stderr: replayed with the stored output."""
    if _RECORDING is not None:
        _RECORDING.notes.append(message)


def _write(path: Path, text: str) -> None:
    from lca.xlsx import write_atomically  # the outputs' writer: whole or not at all, in the user's file mode

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(text.encode("utf-8"), path, overwrite=True, suffix=".json")


def _prune(folder: Path) -> None:
    records = sorted(folder.glob("*.json"), key=lambda path: path.stat().st_mtime_ns)
    for path in records[:-KEEP]:
        path.unlink(missing_ok=True)
