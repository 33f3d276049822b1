"""The names and folders of the tool's Brightway projects, known without opening them."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

__all__ = ["_project_name", "_project_dir"]


def _project_name(inventories: Path) -> str:
    """'lca-cfp-<folder name>-<hash of the full path>': readable in Activity Browser's project list,
    and one project per inventory folder (two folders of the same name differ in the hash)."""
    slug = re.sub(r"[^a-z0-9]+", "-", Path(inventories).name.lower()).strip("-")[:40].strip("-") or "inventories"
    return f"lca-cfp-{slug}-" + hashlib.sha256(str(inventories).encode()).hexdigest()[:12]


def _project_dir(data_dir: Path, name: str) -> Path:
    """The folder bw2data keeps project ``name`` in (known without opening the project)."""
    from bw_processing import safe_filename

    return data_dir / safe_filename(name, full=False)
