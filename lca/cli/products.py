"""`lca products` and `lca footprint`: product footprints with the metal supply routes chosen."""

from __future__ import annotations

import json

import click

from lca.cli.common import (
    FORMATS,
    SHARE,
    UserError,
    allocation_option,
    changed_values,
    location_options,
    parameter_changes,
    parameter_options,
    progress_to_stderr,
    reports_errors,
)


@click.command()
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@location_options
@reports_errors
def products(fmt, data_dir, inventories):
    """List the products with unit, declared mass and the mass their materials add up to."""
    from lca.brightway.project import open_project
    from lca.output.results import rows_csv
    from lca.subjects.products import list_products

    with open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr()) as project:
        import bw2data as bd

        found = list_products(bd, project.databases)
    rows = [{"product": p.id, "label": p.label, "unit": p.unit, "declared_mass_kg": p.declared_mass_kg,
             "materials_mass_kg": round(p.materials_mass_kg, 6),
             "mass_gap": round((p.materials_mass_kg - p.declared_mass_kg) / p.declared_mass_kg, 6)}
            for p in found.values()]
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(rows_csv(rows), nl=False)
    else:
        width = max([len(r["product"]) for r in rows] + [8]) + 2
        click.echo(f"{'product':<{width}}{'unit':<16}{'declared kg':>12}{'materials kg':>14}{'gap':>8}  label")
        for r in rows:
            click.echo(f"{r['product']:<{width}}{r['unit']:<16}{r['declared_mass_kg']:>12,.3f}"
                       f"{r['materials_mass_kg']:>14,.3f}{r['mass_gap']:>8.1%}  {r['label']}")


@click.command()
@click.argument("product", required=False)
@click.option("--all", "all_products", is_flag=True, help="Every product, in one table (one factorisation).")
@click.option("--copper", "copper", default=None, help="Copper route for the copper parts: primary (default) or scrap.")
@click.option("--recycled-nickel", "recycled_nickel", type=SHARE, default=None, metavar="SHARE",
              help="Share (0 to 1) of recycled nickel in the cathode material; default 0.")
@click.option("--compare", is_flag=True, help="Also the alternative routes (copper scrap and, unless given, 20 % "
              "recycled nickel, or the closed loop's maximum if lower), side by side with the saving.")
@click.option("--method", "method_text", default=None, help="Impact method id (default ipcc2021-gwp100).")
@allocation_option()
@parameter_options
@click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)
@location_options
@reports_errors
def footprint(product, all_products, copper, recycled_nickel, compare, method_text, allocation, sets, scenarios,
              byproducts, fmt, data_dir, inventories):
    """Cradle-to-gate CFP of PRODUCT per unit, by part, with the metal supply routes chosen."""
    from lca.analysis.dataquality import footprint_quality
    from lca.analysis.footprint import CONVENTIONAL, Scenario, chosen_scenario, footprints
    from lca.brightway.methods import get_method
    from lca.brightway.project import open_project
    from lca.output.results import (
        comparison_of_footprints,
        footprint_dict,
        footprint_table,
        footprints_rows,
        parameters_list,
        rounded,
        rows_csv,
    )
    from lca.subjects.allocation import transforms_for
    from lca.subjects.byproducts import comparisons_statement
    from lca.subjects.products import find_products, list_products
    from lca.subjects.routes import list_comparisons

    if bool(product) == bool(all_products):
        raise UserError("Name one PRODUCT, or pass --all (see `lca products`).")
    method = get_method(method_text)
    chosen = Scenario(copper=copper or "primary", recycled_nickel=recycled_nickel or 0.0)
    base = CONVENTIONAL
    with open_project(data_dir=data_dir, inventories=inventories, progress=progress_to_stderr()) as project:
        import bw2data as bd

        items = list(list_products(bd, project.databases).values()) if all_products else \
            find_products(bd, project.databases, [product])
        comparisons = list_comparisons(bd, project.databases)
        changes = parameter_changes(project, sets, scenarios, byproducts=byproducts)
        if compare:  # the default chosen supply: the target share, or the closed loop's maximum if lower
            chosen = chosen_scenario(bd, items, comparisons, copper, recycled_nickel, changes)
            if chosen.note:
                click.echo(f"note: {chosen.note}", err=True)
        transforms = transforms_for(comparisons, allocation, project.parametric_model(), changed_values(changes))
        results = footprints(bd, items, comparisons, chosen, method, changes, transforms)
        baseline = footprints(bd, items, comparisons, base, method, changes, transforms) if compare else None
        unit = bd.Method(method.name).metadata.get("unit", "")
        by_product = [  # lca.dataquality: {product: DataQuality} per scenario shown, in table order
            footprint_quality(bd, items, comparisons, s, method, changes, transforms, project.databases)
            for s in ((base, chosen) if compare else (chosen,))] if fmt == "json" or not all_products else []
        qualities = [] if all_products else [q[items[0].id] for q in by_product]
        statement = comparisons_statement(bd, comparisons, project.parametric_model(), changes)
    if all_products:
        rows = footprints_rows(baseline or results, results if compare else None)
        if fmt == "json":
            for row in rows:
                for key, quality in zip(("data_quality", "alternative_data_quality"), by_product, strict=False):
                    row[key] = quality[row["product"]].as_dict()
            click.echo(json.dumps({"method": list(method.name), "method_id": method.id,
                                   "unit": f"{unit} per product unit", "products": rows,
                                   "parameters": parameters_list(changes.settings if changes else ()),
                                   "byproduct_allocation": statement.as_dict()},
                                  indent=2, ensure_ascii=False))
        elif fmt == "csv":
            click.echo(rows_csv(rows), nl=False)
        else:
            click.echo(f"Method: {' | '.join(method.name)}  [{method.id}]; {unit} per product unit; "
                       + (f"{base.label} vs {chosen.label}" if compare else chosen.label))
            click.echo(f"{'product':<22}{'unit':<16}{'total':>14}"
                       + (f"{'alternative':>14}{'saving':>12}{'saving':>8}" if compare else "") + "  label")
            for row in rows:
                extra = (f"{row['alternative_total']:>14,.3f}{row['saving']:>12,.3f}{row['saving_relative']:>8.1%}"
                         if compare else "")
                click.echo(f"{row['product']:<22}{row['unit']:<16}{row['total']:>14,.3f}{extra}  {row['label']}")
        return
    if compare:
        if fmt == "json":
            click.echo(json.dumps(comparison_of_footprints(baseline[0], results[0], method=method, unit=unit,
                                                           qualities=qualities, byproducts=statement), indent=2,
                                  ensure_ascii=False))
        elif fmt == "csv":
            click.echo(rows_csv(footprints_rows(baseline, results)), nl=False)
        else:
            click.echo(footprint_table([baseline[0], results[0]], method=method, unit=unit, qualities=qualities,
                                       byproducts=statement), nl=False)
        return
    if fmt == "json":
        click.echo(json.dumps(footprint_dict(results[0], method=method, unit=unit, quality=qualities[0],
                                             byproducts=statement), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(rows_csv([{"product": results[0].product, "part": part, "score": rounded(score)}
                             for part, score in results[0].parts]
                            + [{"product": results[0].product, "part": "total", "score": rounded(results[0].total)}]),
                   nl=False)
    else:
        click.echo(footprint_table(results, method=method, unit=unit, qualities=qualities, byproducts=statement),
                   nl=False)
