"""bw2data pointed at a data folder, kept quiet, and the tool's state file in a project folder
(shared by :mod:`lca.brightway.project` and :mod:`lca.brightway.repair`)."""

from __future__ import annotations

import contextlib
import io
import json
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["quiet", "import_brightway", "load_state", "read_state", "write_state", "STATE_FILE"]

STATE_FILE = "lca-cfp-state.json"


@contextmanager
def quiet() -> Iterator[None]:
    """Keep Brightway's own prints, progress bars and pypardiso advice off our output."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()), \
            warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="(?s).*pypardiso")
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        warnings.filterwarnings("ignore", category=ResourceWarning)
        yield


def import_brightway(data_dir: Path):
    """Import bw2data pointed at ``data_dir`` and return the module.

    bw2data reads BRIGHTWAY2_DIR once, at import; a process that already imported it (a test
    run) is moved with ``projects.change_base_directories``.
    """
    os.environ["BRIGHTWAY2_DIR"] = str(data_dir)
    with quiet():
        import bw2data as bd

        if Path(bd.projects._base_data_dir).resolve() != data_dir.resolve():
            (data_dir / "logs").mkdir(exist_ok=True)  # bw2data refuses a logs folder that does not exist yet
            bd.projects.change_base_directories(data_dir, base_logs_dir=data_dir / "logs",
                                                project_name="default", update=False)
    return bd


def read_state(project_dir: Path) -> dict:
    return load_state(project_dir)[0]


def load_state(project_dir: Path) -> tuple[dict, str | None]:
    """The tool's state of a project folder, and what is wrong with the file (None if sound)."""
    try:
        state = json.loads((project_dir / STATE_FILE).read_bytes())
    except FileNotFoundError:
        return {}, "missing"
    except OSError as exc:
        return {}, f"unreadable ({exc.strerror or exc})"
    except ValueError:
        return {}, "not valid JSON"
    if not isinstance(state, dict):
        return {}, "not a JSON object"
    return state, None


def write_state(project_dir: Path, state: dict) -> None:
    path = project_dir / STATE_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2, sort_keys=True))
    os.replace(temporary, path)
