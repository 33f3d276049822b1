#!/usr/bin/env python3
"""Add the Japanese labels of the names a customer's report shows to the shipped workbooks
(lca.inventory.labels; docs/inventory-data.md, "Names in Japanese").

    python scripts/japanese_labels.py [INVENTORIES]     (default: the repository's inventories/)

* Under the ``Activity`` row of each activity in :data:`ROWS` (by ``code``): a ``... (ja)`` row
  after the row it translates (``route label``, ``product label``, ...), in that row's style.
* On every activity with a ``stage`` row: ``stage (ja)`` after it, from :data:`STAGES`.
* In the database parameter tables: the columns ``label`` and ``label (ja)`` (the first empty
  columns of the header row), filled for the parameters in :data:`PARAMETERS`.

Only labels are written; no number, name or other cell changes. A label already there with the
same text is left alone, so a second run changes nothing; one there with another text is reported
and kept (exit status 1). A workbook is written (atomically) only when something was added.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from battery_regulation_rows import _text, add_row, blocks  # noqa: E402

from lca.xlsx import save_atomically  # noqa: E402

# (activity code, row translated, its Japanese label)
ROWS = (
    ("route-cu-primary", "route label", "一次電気銅（輸入精鉱、国内製錬所）"),
    ("route-cu-primary", "functional unit", "電気銅 1 t"),
    ("route-cu-scrap", "route label", "スクラップ由来電気銅（家電スクラップ、マスバランス）"),
    ("route-cu-scrap", "functional unit", "電気銅 1 t"),
    ("cu-supply", "product quantity label", "電気銅（kg）"),
    ("route-ni-primary", "route label", "一次硫酸ニッケル：フィリピン産ラテライトの HPAL → 混合硫化物 → 新居浜製錬所"),
    ("route-ni-primary", "functional unit", "電池グレード硫酸ニッケル中のニッケル 1 t"),
    ("route-ni-primary-sulfide", "route label",
     "一次硫酸ニッケル：硫化鉱 → マット → 精製（Nickel Institute 2017、中国を除く世界）"),
    ("route-ni-primary-sulfide", "functional unit", "電池グレード硫酸ニッケル中のニッケル 1 t"),
    ("route-ni-primary-indonesia", "route label",
     "一次硫酸ニッケル：インドネシア産ラテライトの HPAL → 混合水酸化物 → 現地で硫酸ニッケル化、日本へ輸送"),
    ("route-ni-primary-indonesia", "functional unit", "電池グレード硫酸ニッケル中のニッケル 1 t"),
    ("route-ni-recycled", "route label",
     "リサイクル硫酸ニッケル：大阪の正極材製造スクラップ → 東予工場 → 新居浜製錬所（カットオフ）"),
    ("route-ni-recycled", "functional unit", "電池グレード硫酸ニッケル中のニッケル 1 t"),
    ("ni-basis-hexahydrate", "basis label", "電池グレード硫酸ニッケル六水和物（NiSO4.6H2O）1 t"),
    ("ni-basis-cam", "basis label", "正極活物質（NCA、組成は x_ni、x_co、x_al、x_mn による）1 t"),
    ("ni-basis-cam", "product quantity label", "正極材（kg）"),
    ("co-scrap-hydro-jp", "route label",
     "リサイクル硫酸コバルト：大阪の正極材製造スクラップ → 東予工場 → 新居浜製錬所"
     "、Ni-Co 共同精製のコバルト分（カットオフ）"),
    ("co-scrap-hydro-jp", "functional unit", "電池グレード硫酸コバルト中のコバルト 1 t"),
    ("co-basis-heptahydrate", "basis label", "電池グレード硫酸コバルト七水和物（CoSO4.7H2O）1 t"),
    ("route-co-primary", "route label",
     "一次硫酸コバルト：コンゴ民主共和国の銅コバルト鉱 → 水酸化コバルト → 中国で精製（Istrate et al. 2024）"),
    ("route-co-primary", "functional unit", "電池グレード硫酸コバルト中のコバルト 1 t"),
    ("route-li-primary", "route label",
     "一次水酸化リチウム：グリーンブッシュ産スポジュメン（豪州）→ 中国で転換（Istrate et al. 2024）"),
    ("route-li-primary", "functional unit", "電池グレード水酸化リチウム一水和物中のリチウム 1 t"),
    ("route-li-primary-brine", "route label",
     "一次水酸化リチウム：アタカマ塩湖のかん水（チリ）→ Li2CO3 → LiOH.H2O（Istrate et al. 2024）"),
    ("route-li-primary-brine", "functional unit", "電池グレード水酸化リチウム一水和物中のリチウム 1 t"),
    ("route-li-recycled", "route label",
     "リサイクル水酸化リチウム：大阪の正極材製造スクラップ → 東予工場のスラグ・ダスト "
     "→ Li2CO3 → LiOH.H2O（カットオフ）"),
    ("route-li-recycled", "functional unit", "電池グレード水酸化リチウム一水和物中のリチウム 1 t"),
    ("li-basis-monohydrate", "basis label", "電池グレード水酸化リチウム一水和物（LiOH.H2O）1 t"),
    ("prod-air-conditioner", "product label", "ルームエアコン 2.8 kW クラス（室内機＋室外機）"),
    ("prod-refrigerator", "product label", "冷蔵庫（家電リサイクル法の平均的な製品、約 400 L クラス）"),
    ("prod-washing-machine", "product label", "洗濯機（家電リサイクル法の平均的な製品、縦型）"),
    ("prod-flat-panel-tv", "product label", "薄型テレビ（液晶、家電リサイクル法の平均的な製品）"),
    ("prod-cell-2170", "product label", "車載用円筒形 2170 セル、高ニッケル NCA（パナソニック型）"),
    ("prod-cell-2170-kwh", "product label", "車載用 2170 NCA セル（公称セルエネルギー 1 kWh あたり）"),
)

STAGES = {
    "MSP shipping": "MSP の海上輸送", "NiSO4 shipping": "硫酸ニッケルの輸送", "anode": "負極",
    "anode refining": "アノード精製", "assembly": "組立", "brine extraction and conversion": "かん水の採取と転換",
    "cabinet and insulation": "キャビネット・断熱材", "calcination (CAM)": "焼成（CAM）", "can and cap": "缶・キャップ",
    "casing and chassis": "筐体・シャーシ", "cathode": "正極", "cell manufacturing": "セル製造", "compressor": "圧縮機",
    "concentrate shipping": "精鉱の海上輸送", "conversion to LiOH.H2O": "LiOH.H2O への転換", "copper parts": "銅部品",
    "current collectors": "集電体", "dismantling and sorting": "解体・選別",
    "electrolyte and separator": "電解液・セパレータ", "electronics (PCB)": "電子部品（基板）",
    "electrorefining": "電解精製", "fire refining and anode casting": "精製炉・アノード鋳造",
    "heat exchangers": "熱交換器", "hydrometallurgy": "湿式製錬",
    "lithium recovery from slag and dust": "スラグ・ダストからのリチウム回収", "mining and HPAL": "採掘・HPAL",
    "mining and concentration": "採掘・選鉱", "mining and refining": "採掘・精製", "motor": "モーター",
    "panel": "パネル",
    "pre-treatment": "前処理", "precursor (pCAM)": "前駆体（pCAM）", "pyrometallurgy": "乾式製錬",
    "refining to NiSO4": "硫酸ニッケルへの精製", "refrigerant charge": "冷媒充填",
    "scrap collection and transport": "スクラップ回収・輸送", "scrap smelting": "スクラップ溶錬",
    "scrap transport": "スクラップ輸送", "smelting and converting": "溶錬・転炉", "smelting to matte": "マット溶錬",
    "spodumene mining and conversion": "スポジュメンの採掘と転換",
}

# (database, parameter) -> (English label, Japanese label): the parameters that lead the shipped
# reports' tornado charts (copper, nickel, the battery cell); others are named by their id
PARAMETERS = {
    ("cfp_copper", "ore_grade"): ("Copper ore grade", "銅鉱石の品位"),
    ("cfp_copper", "er_au_g_per_t"):
        ("Gold recovered in electrorefining (value share)", "電解精製で回収する金（経済配分）"),
    ("cfp_copper", "conc_elec_kwh_per_t_ore"): ("Electricity of ore concentration", "選鉱の電力"),
    ("cfp_copper", "mine_diesel_mj_per_t_material"): ("Diesel of mining, per t moved", "採掘の軽油（移動量あたり）"),
    ("cfp_copper", "smelt_hfo_mj_per_t"): ("Heavy fuel oil of smelting", "溶錬の重油"),
    ("cfp_copper", "mill_recovery"): ("Copper recovery in concentration", "選鉱での銅回収率"),
    ("cfp_copper", "smelt_elec_kwh_per_t"): ("Electricity of smelting", "溶錬の電力"),
    ("cfp_copper", "cu_price_usd_per_t"): ("Copper price (economic allocation)", "銅価格（経済配分）"),
    ("cfp_copper", "stripping_ratio"): ("Stripping ratio of the open pit", "露天掘りの剥土比"),
    ("cfp_copper", "fire_ref_ng_mj_per_t"): ("Natural gas of fire refining", "精製炉の天然ガス"),
    ("cfp_copper", "grinding_media_kg_per_t_ore"): ("Grinding media steel per t ore", "粉砕媒体の鋼材（鉱石あたり）"),
    ("cfp_copper", "er_elec_kwh_per_t"): ("Electricity of electrorefining", "電解精製の電力"),
    ("cfp_copper", "scrap_yield"): ("Copper yield of the scrap route", "スクラップルートの銅歩留まり"),
    ("cfp_copper", "dismantling_elec_kwh_per_t"): ("Electricity of appliance dismantling", "家電解体の電力"),
    ("cfp_copper", "scrap_truck_km"): ("Truck distance of the scrap", "スクラップのトラック輸送距離"),
    ("cfp_background", "grid_cl_co2"): ("CO2 of Chilean grid electricity", "チリの系統電力の CO2"),
    ("cfp_background", "grid_ph_co2"): ("CO2 of Philippine grid electricity", "フィリピンの系統電力の CO2"),
    ("cfp_nickel", "hpal_acid_kg_per_t_ore"): ("Sulfuric acid of HPAL leaching", "HPAL 浸出の硫酸"),
    ("cfp_nickel", "hpal_elec_kwh_per_t_ore"): ("Electricity of HPAL", "HPAL の電力"),
    ("cfp_nickel", "hpal_neutralised_share"):
        ("Share of HPAL acid neutralised by limestone", "石灰石で中和する HPAL 硫酸の割合"),
    ("cfp_nickel", "hpal_ore_grade"): ("Nickel grade of the laterite ore", "ラテライト鉱のニッケル品位"),
    ("cfp_nickel", "hydro_h2o2_mol_per_mol"): ("Hydrogen peroxide of leaching", "浸出の過酸化水素"),
    ("cfp_nickel", "price_co_2022"): ("Cobalt price 2022 (economic allocation)", "コバルト価格 2022 年（経済配分）"),
    ("cfp_nickel", "hpal_ni_recovery"): ("Nickel recovery of HPAL", "HPAL のニッケル回収率"),
    ("cfp_nickel", "ni_ref_elec_kwh_per_kg_hex"): ("Electricity of refining to NiSO4", "硫酸ニッケル精製の電力"),
    ("cfp_nickel", "hydro_ni_steam_kg_per_kg_ni"): ("Steam of hydrometallurgy", "湿式製錬の蒸気"),
    ("cfp_nickel", "pyro_elec_kwh_per_t"): ("Electricity of the scrap smelter", "スクラップ製錬の電力"),
    ("cfp_nickel", "ni_ref_ng_mj_per_kg_hex"): ("Natural gas of refining to NiSO4", "硫酸ニッケル精製の天然ガス"),
    ("cfp_products", "cell_ah"): ("Cell capacity", "セル容量"),
    ("cfp_products", "prem_cu_foil"): ("Copper foil share of the cell", "セル中の銅箔の割合"),
    ("cfp_products", "prem_anode"): ("Anode share of the cell", "セル中の負極の割合"),
    ("cfp_products", "prem_cathode"): ("Cathode share of the cell", "セル中の正極の割合"),
    ("cfp_products", "can_steel_share"): ("Steel can share of the cell", "セル中の鋼製缶の割合"),
}


def _parameter_header(sheet) -> int | None:
    """The row of the labels name, amount, unit, ... below 'Database parameters'."""
    for row in range(1, sheet.max_row):
        if _text(sheet.cell(row, 1).value).lower() == "database parameters":
            return row + 1
    return None


def _database(sheet) -> str:
    return next((_text(sheet.cell(r, 2).value) for r in range(1, sheet.max_row + 1)
                 if _text(sheet.cell(r, 1).value) == "Database"), "")


def add_parameter_labels(sheet) -> tuple[list[str], bool, bool]:
    """The 'label' and 'label (ja)' columns of the sheet's parameter table, filled from PARAMETERS:
    (the report lines, whether all went well, whether the sheet changed)."""
    header, database = _parameter_header(sheet), _database(sheet)
    wanted = {name: labels for (db, name), labels in PARAMETERS.items() if db == database}
    if header is None or not wanted:
        return [], True, False
    columns = {_text(sheet.cell(header, c).value): c for c in range(1, sheet.max_column + 1)
               if _text(sheet.cell(header, c).value)}
    changed = False
    for key in ("label", "label (ja)"):
        if key not in columns:
            columns[key] = max(columns.values()) + 1
            sheet.cell(header, columns[key]).value = key
            changed = True
    lines, ok = [], True
    row = header + 1
    while _text(sheet.cell(row, 1).value):
        name = _text(sheet.cell(row, 1).value)
        for key, text in zip(("label", "label (ja)"), wanted.get(name, ()), strict=False):
            cell = sheet.cell(row, columns[key])
            if _text(cell.value) == text:
                continue
            if _text(cell.value):
                lines.append(f"{database}.{name}: '{key}' is {cell.value!r} (not changed)")
                ok = False
                continue
            cell.value = text
            changed = True
            lines.append(f"{database}.{name}: '{key}' = {text}: added")
        row += 1
    return lines, ok, changed


def apply(folder: Path) -> tuple[list[str], bool]:
    from openpyxl import load_workbook

    paths = [path for path in sorted(folder.glob("*.xlsx")) if not path.name.startswith(("~", "."))]
    books = {path: load_workbook(path) for path in paths}
    lines, ok, changed = [], True, set()
    for path, book in books.items():
        for sheet in book.worksheets:
            found = blocks(sheet)
            for code, key, value in ROWS:
                if code in found:
                    start, end = blocks(sheet)[code]
                    outcome = add_row(sheet, start, end, f"{key} (ja)", value,
                                      key if key != "functional unit" else "route label (ja)")
                    ok = ok and not outcome.startswith("differs")
                    changed.update([path] if outcome == "added" else [])
                    lines.append(f"{path.name}: {code}: '{key} (ja)': {outcome}")
            for code in list(found):
                start, end = blocks(sheet)[code]
                stage = next((_text(sheet.cell(r, 2).value) for r in range(start + 1, end)
                              if _text(sheet.cell(r, 1).value) == "stage"), "")
                keys = {_text(sheet.cell(r, 1).value) for r in range(start + 1, end)}
                if stage in STAGES:  # after the Battery Regulation's row that belongs to the stage, if there is one
                    anchor = "life-cycle stage" if "life-cycle stage" in keys else "stage"
                    outcome = add_row(sheet, start, end, "stage (ja)", STAGES[stage], anchor)
                    ok = ok and not outcome.startswith("differs")
                    changed.update([path] if outcome == "added" else [])
            parameter_lines, parameters_ok, parameters_changed = add_parameter_labels(sheet)
            lines += parameter_lines
            ok = ok and parameters_ok
            changed.update([path] if parameters_changed else [])
    for path in sorted(changed):
        save_atomically(books[path], path, overwrite=True, print_setup=None)  # an inventory workbook, not printed
    return lines, ok


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inventories", nargs="?", type=Path,
                        default=Path(__file__).resolve().parents[1] / "inventories")
    args = parser.parse_args(argv)
    lines, ok = apply(args.inventories)
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
