"""Test set-up: every Brightway folder lives under a temporary directory.

BRIGHTWAY2_DIR, XDG_DATA_HOME and LCA_INVENTORIES are set before anything imports bw2data,
so no test can read or write a user's Brightway data or change their inventories.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

_ROOT = Path(tempfile.mkdtemp(prefix="lca-cfp-tests-"))
os.environ["BRIGHTWAY2_DIR"] = str(_ROOT / "brightway")
os.environ["XDG_DATA_HOME"] = str(_ROOT / "xdg-data")
os.environ.pop("LCA_INVENTORIES", None)
(_ROOT / "brightway").mkdir()
sys.path.insert(0, str(Path(__file__).parent))

import json  # noqa: E402

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from lca.cli.main import cli  # noqa: E402

TEST_ROOT = _ROOT


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """One Brightway data folder shared by the session (the base project is built once)."""
    return _ROOT / "brightway"


class Run:
    """Call the CLI in-process with CliRunner; stdout and stderr kept apart."""

    def __init__(self, data_dir: Path):
        self.data_dir = data_dir

    def __call__(self, *args, data_dir=True):
        argv = [str(a) for a in args]
        if data_dir and argv and argv[0] in ("compare",):
            argv += ["--data-dir", str(self.data_dir)]
        return CliRunner().invoke(cli, argv, catch_exceptions=False)

    def json(self, *args):
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture(scope="session")
def run(data_dir) -> Run:
    return Run(data_dir)
