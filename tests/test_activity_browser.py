"""The written project is safe to open in Activity Browser (issue 18): readable project names, no
parameter bounds AB refuses; bw2data's own recalculation gives the tool's amounts (see also
test_shipped_inventories.test_the_project_is_parametric_for_other_brightway_tools)."""

from __future__ import annotations

from pathlib import Path

from lca.brightway.project import _project_name, open_project


def test_project_names_are_readable_and_still_one_per_folder(tmp_path):
    first, second = tmp_path / "a" / "Copper Study 2026", tmp_path / "b" / "Copper Study 2026"
    assert _project_name(first).startswith("lca-cfp-copper-study-2026-")
    assert _project_name(first) != _project_name(second)
    assert _project_name(Path("/x/インベントリ")).startswith("lca-cfp-inventories-")  # nothing ASCII to show


def test_no_parameter_has_bounds_activity_browser_refuses(data_dir):
    with open_project(data_dir=data_dir):
        import bw2data as bd
        from bw2data.parameters import DatabaseParameter

        assert bd.projects.current.startswith("lca-cfp-inventories-")
        records = [(p.database, p.name, p.data) for p in DatabaseParameter.select()]
        assert len(records) > 100
        fixed = [(db, name) for db, name, data in records
                 if data.get("minimum") is not None and data.get("minimum") == data.get("maximum")
                 and data.get("uncertainty type") in (None, 0, 1)]
        assert fixed == []
        # the check the workbook states is still the tool's: composition_sum keeps its range there
        composition = next(data for db, name, data in records if name == "composition_sum")
        assert "minimum" not in composition and "maximum" not in composition
