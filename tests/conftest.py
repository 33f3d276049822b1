"""Test set-up: every Brightway folder lives under a temporary directory.

BRIGHTWAY2_DIR, XDG_DATA_HOME and LCA_INVENTORIES are set before anything imports bw2data,
so no test can read or write a user's Brightway data or change their inventories.
"""

from __future__ import annotations

import gc
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


def pytest_addoption(parser, pluginmanager):
    """With pytest-xdist disabled (``-p no:xdist``), accept and ignore the ``--numprocesses=2
    --dist=loadfile`` of setup.cfg's addopts, so the suite runs in one process (as with ``-n 0``)."""
    if not pluginmanager.has_plugin("xdist"):
        group = parser.getgroup("xdist", "pytest-xdist is disabled: these options are ignored")
        group.addoption("--numprocesses", dest="numprocesses", default=None, help="ignored")
        group.addoption("--dist", dest="dist", default="no", help="ignored")


def pytest_collection_finish(session):
    """Freeze the objects that exist once the tests are collected (modules, test items, bw2data,
    pandas, ...): bw2data calls gc.collect() at every projects.set_current (twice, in
    bw2data.sqlite.change_path), and a full collection over that import graph costs 0.1-0.3 s,
    most of a CLI call's time in this process. Frozen objects are left out of collections; whatever
    the tests create is collected as before."""
    gc.collect()
    gc.freeze()


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_ROOT, ignore_errors=True)


@pytest.fixture(autouse=True)
def _default_data_dir():
    """BRIGHTWAY2_DIR back to the session's folder after each test: ``import_brightway(folder)``
    (lca.brightway.session) sets it to any folder a test passes, which would otherwise be the default
    of every later test (and, with pytest-xdist, of whichever tests follow on that worker)."""
    yield
    os.environ["BRIGHTWAY2_DIR"] = str(_ROOT / "brightway")


@pytest.fixture(scope="session")
def brightway_template() -> Path:
    """A Brightway data folder built once per test process (once per pytest-xdist worker), below the
    session's temporary folder: the base project (biosphere3 + methods) and the shipped inventories'
    project, as the first run of the tool leaves them. Never written to after it is built: copy it
    (``prebuilt_data_dir``) instead of building a data folder from nothing, which takes seconds."""
    from lca.brightway.project import open_project

    template = _ROOT / "template"
    template.mkdir()
    with open_project(data_dir=template):
        pass
    os.environ["BRIGHTWAY2_DIR"] = str(_ROOT / "brightway")
    return template


@pytest.fixture
def prebuilt_data_dir(brightway_template):
    """``prebuilt_data_dir(folder)``: ``folder`` made a copy of ``brightway_template`` (it must not
    exist yet); for a test that needs a data folder of its own, and does not check the first build."""
    def copy(folder: Path) -> Path:
        shutil.copytree(brightway_template, folder)
        return folder

    return copy


@pytest.fixture(scope="session")
def data_dir(brightway_template) -> Path:
    """One Brightway data folder shared by the session; it starts as a copy of ``brightway_template``
    (the base project and the shipped inventories' project are built once)."""
    folder = _ROOT / "brightway"
    if not any(folder.iterdir()):  # nothing has used it yet
        shutil.copytree(brightway_template, folder, dirs_exist_ok=True)
    return folder


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
