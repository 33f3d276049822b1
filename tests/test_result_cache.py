"""Warm commands answered from the stored result (lca.runs.result_cache), and every input that must
make it stale.

The program is run as a user runs it, in fresh processes (``python -m lca``); a replayed run is
recognised by its not importing bw2data. The replayed numbers are checked against a new calculation
(the cache off) and against plain bw2calc on the route activities, for every shipped comparison.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from lca.runs import result_cache

# runs argv as `lca` would, then says on stderr whether Brightway was imported
_PROBE = ("import sys\nfrom lca.cli.entry import main\nsys.argv = ['lca'] + sys.argv[1:]\ntry:\n    main()\n"
          "finally:\n    sys.stderr.write('\\nbrightway imported: %s\\n' % ('bw2data' in sys.modules))\n")


def _environment(**extra) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith("LCA_")}
    env.update(extra)
    return env


def lca(*argv, env=None, check=True) -> subprocess.CompletedProcess:
    """``lca ARGV`` in a fresh process; ``.replayed`` says whether it was answered from the store."""
    done = subprocess.run([sys.executable, "-c", _PROBE, *map(str, argv)], capture_output=True, text=True,
                          env=env or _environment(), timeout=600)
    if check:
        assert done.returncode == 0, done.stderr
    done.replayed = "brightway imported: False" in done.stderr
    return done


@pytest.fixture
def folder(tmp_path, prebuilt_data_dir, monkeypatch) -> Path:
    """A data folder of the test's own; this process's environment as the runs' (no LCA_* variable, as
    ``_environment`` gives them), so that ``result_cache.replay`` here looks up the records they store."""
    for name in [name for name in os.environ if name.startswith("LCA_")]:
        monkeypatch.delenv(name)
    return prebuilt_data_dir(tmp_path / "brightway")


def _shipped_comparisons(folder: Path) -> list[str]:
    from lca.runs import Where, open_session

    with open_session(Where(data_dir=str(folder))) as session:
        return sorted(session.comparisons)


def test_every_shipped_comparison_replays_what_bw2calc_calculates(folder):
    import bw2calc as bc
    import bw2data as bd

    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project

    comparisons = _shipped_comparisons(folder)
    assert {"copper", "nickel"} <= set(comparisons)
    outputs = {}
    for comparison in comparisons:
        argv = ("compare", comparison, "--format", "json", "--data-dir", folder)
        first = lca(*argv)
        assert not first.replayed  # calculated, then stored
        warm = lca(*argv)
        assert warm.replayed, f"{comparison}: the warm run imported Brightway"
        again = lca(*argv, env=_environment(LCA_RESULT_CACHE="off"))
        assert not again.replayed
        assert warm.stdout == first.stdout == again.stdout
        outputs[comparison] = json.loads(warm.stdout)
    with open_project(data_dir=folder) as project:  # plain bw2calc, on the routes' activities
        for comparison, result in outputs.items():
            method = get_method(result["method"]["id"]).name
            for route in result["routes"]:
                nodes = [node for name in project.databases for node in bd.Database(name)
                         if node["name"] == route["activity"]]
                assert len(nodes) == 1, (comparison, route["id"])
                lca_ = bc.LCA({nodes[0]: 1}, method=method)
                lca_.lci()
                lca_.lcia()
                assert route["total"] == pytest.approx(lca_.score, rel=1e-5), (comparison, route["id"])


def _double_fuel_oil_of_smelting(workbook: Path) -> None:
    """Smelting's heavy fuel oil doubled (amount and formula), as a user would edit it."""
    import openpyxl

    book = openpyxl.load_workbook(workbook)
    for row in book["inventory"].iter_rows():
        if row[0].value == "heat, heavy fuel oil, combusted" and str(row[8].value or "").startswith("smelt_hfo"):
            row[1].value, row[8].value = float(row[1].value) * 2, f"2 * {row[8].value}"
            break
    else:
        raise AssertionError(f"smelting's fuel oil not found in {workbook}")
    book.save(workbook)


def test_an_edited_workbook_reaches_the_next_result(folder, tmp_path):
    inventories = tmp_path / "inventories"
    lca("inventory", "init", inventories)
    argv = ("compare", "copper", "--format", "json", "--data-dir", folder, "--inventories", inventories)
    before = json.loads(lca(*argv).stdout)
    assert lca(*argv).replayed
    _double_fuel_oil_of_smelting(inventories / "copper.xlsx")
    edited = lca(*argv)
    assert not edited.replayed
    after = json.loads(edited.stdout)
    assert after["routes"][0]["total"] > before["routes"][0]["total"]  # more fuel oil in smelting
    assert after["routes"][1]["total"] == before["routes"][1]["total"]
    assert after["provenance"]["inventory_fingerprint"] != before["provenance"]["inventory_fingerprint"]
    assert json.loads(lca(*argv).stdout) == after  # and the new result is the one kept


def test_a_new_file_in_the_inventory_folder_is_a_miss(folder, tmp_path):
    inventories = tmp_path / "inventories"
    lca("inventory", "init", inventories)
    argv = ("compare", "copper", "--data-dir", folder, "--inventories", inventories)
    lca(*argv)
    assert lca(*argv).replayed
    (inventories / "notes.txt").write_text("a new file\n", encoding="utf-8")
    assert not lca(*argv, check=False).replayed


def test_a_project_written_by_another_program_is_a_miss(folder):
    argv = ["compare", "copper", "--data-dir", str(folder)]
    lca(*argv)
    assert result_cache.replay(argv) is not None
    project = next(path for path in folder.iterdir() if path.name.startswith("lca-cfp-inventories"))
    database = next(project.rglob("*.db"))
    stat = database.stat()
    os.utime(database, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert result_cache.replay(argv) is None
    assert not lca(*argv).replayed


def test_a_named_file_is_part_of_the_record(folder, tmp_path):
    scenario = tmp_path / "grid.yaml"
    scenario.write_text((Path(__file__).parent.parent / "inventories" / "scenarios" / "jp-grid-2030.yaml")
                        .read_text(encoding="utf-8"), encoding="utf-8")
    argv = ["compare", "copper", "--data-dir", str(folder), "--scenario", str(scenario)]
    first = lca(*argv)
    assert lca(*argv).replayed
    scenario.write_text(scenario.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert result_cache.replay(argv) is None
    assert lca(*argv).stdout == first.stdout  # a comment changes no number


def test_notes_are_written_again_when_replayed(folder):
    argv = ("compare", "copper", "--data-dir", folder, "--set", "cfp_copper.smelt_hfo_mj_per_t=9000")
    first = lca(*argv)
    assert "note:" in first.stderr
    warm = lca(*argv)
    assert warm.replayed
    notes = [line for line in first.stderr.splitlines() if line.startswith("note:")]
    assert notes and [line for line in warm.stderr.splitlines() if line.startswith("note:")] == notes


def test_a_failed_command_is_not_kept(folder):
    argv = ("compare", "copper", "--data-dir", folder, "--set", "cfp_copper.no_such_parameter=1")
    assert lca(*argv, check=False).returncode == 1
    assert not (folder / result_cache.FOLDER).exists() or not any((folder / result_cache.FOLDER).iterdir())


@pytest.mark.parametrize(("argv", "kept"), [
    (["compare", "copper"], True),
    (["footprint", "air-conditioner"], True),
    (["uncertainty", "copper", "--seed", "3"], True),
    (["uncertainty", "copper"], False),  # a fresh seed each run
    (["sensitivity", "copper"], False),
    (["report", "copper", "-o", "x.xlsx"], False),  # writes a file
    (["compare", "copper", "--plot", "x.png"], False),
    (["compare", "--help"], False),
    (["ledger", "statement", "x.xlsx"], False),
])
def test_which_commands_are_kept(argv, kept, monkeypatch):
    monkeypatch.delenv(result_cache.OFF_ENV, raising=False)
    assert result_cache.cacheable(argv) is kept
    monkeypatch.setenv(result_cache.OFF_ENV, "off")
    assert result_cache.cacheable(argv) is False


def test_a_file_named_by_an_environment_variable_is_part_of_the_record(tmp_path, monkeypatch):
    mapping = tmp_path / "mapping.xlsx"
    mapping.write_bytes(b"first")
    monkeypatch.setenv("LCA_BACKGROUND", str(mapping))
    argv = ["compare", "copper"]
    assert str(mapping) in result_cache._named_files(argv)
    before = result_cache._named_files(argv)[str(mapping)]
    mapping.write_bytes(b"other")
    assert result_cache._named_files(argv)[str(mapping)] != before
