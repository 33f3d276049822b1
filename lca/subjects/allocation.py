"""Recycling allocation: cut-off, avoided burden and the PEF Circular Footprint Formula, on one inventory.

The inventory is modelled cut-off: the recycled route carries collection, sorting, transport and
refining, and its scrap enters free of burden. With Ev the primary route's result and Erec the
recycled route's (both per unit of metal, computed by the tool), the material part of the
Circular Footprint Formula (PEF, Recommendation (EU) 2021/2279, Annex I, 4.4.8) for a product
with recycled content R1 is

    (1 - R1) Ev + R1 (A Erec + (1 - A) Ev Qsin/Qp) + (1 - A) R2 (ErecEoL - E*v Qsout/Qp)

The three approaches are this formula with A = 1 (cut-off, 100:0), A = 0 (avoided burden,
end of life, 0:100) and A from the workbook (CFF). The results are cradle to gate, so the
end-of-life term is not applied (R2 must be 0; PEF applies no end-of-life term to intermediate
products), and E*v, ErecEoL do not enter. Each route's result is then

    primary route (R1 = 0):  Ev
    recycled route:          alpha x Erec + beta x Ev,  alpha = R1 A,  beta = (1 - R1) + R1 (1 - A) Qsin/Qp

which is what :meth:`Allocation.coefficients` returns, and how every result is formed: a
comparison's stages (the recycled route's stages times alpha, plus one stage for beta x Ev), the
matrices of a product footprint (the recycled route's column), and the Monte Carlo draws.

The parameters are database parameters of the workbook that holds the routes (``cff_A``,
``cff_R1``, ``cff_R2``, ``cff_Qsin_Qp``, ``cff_Qsout_Qp``), each with its source, so ``lca params`` lists them and
``--set`` changes them.
"""

from __future__ import annotations

from dataclasses import dataclass

from lca.choices import RecyclingAllocation
from lca.errors import ParameterError

__all__ = ["APPROACHES", "Allocation", "Transform", "allocation_for", "comparison_allocation", "transforms_for",
           "apply_transforms",
           "PRIMARY_BURDEN_STAGE"]

APPROACHES = RecyclingAllocation.values()  # ("cut-off", "avoided-burden", "cff")
PARAMETERS = ("cff_A", "cff_R1", "cff_R2", "cff_Qsin_Qp", "cff_Qsout_Qp")
PRIMARY_BURDEN_STAGE = "primary material burden (allocation)"


def allocated(own, primary, alpha: float, beta: float):
    """The recycled route under a recycling allocation: alpha x Erec (its own burden) + beta x Ev (the
    primary route's), for numbers, arrays or data-quality vectors alike. The one place of the formula;
    calculate splits its two terms into stages, the Monte Carlo solver and the ratings call this."""
    return own * alpha + primary * beta


@dataclass(frozen=True)
class Allocation:
    approach: str  # one of APPROACHES
    A: float
    R1: float
    Qsin_Qp: float
    R2: float = 0.0
    Qsout_Qp: float = 1.0  # only in the end-of-life term, which is not applied (R2 = 0)
    database: str = ""  # where the parameters came from
    sources: tuple[tuple[str, str], ...] = ()  # (parameter id, source)

    @property
    def key(self) -> str:
        """The template key form: cut_off, avoided_burden, cff."""
        return self.approach.replace("-", "_")

    def coefficients(self) -> tuple[float, float]:
        """(alpha, beta): the recycled route's result is alpha x Erec + beta x Ev."""
        alpha = self.R1 * self.A
        beta = (1 - self.R1) + self.R1 * (1 - self.A) * self.Qsin_Qp
        return alpha, beta

    def apply(self, own, primary):
        """alpha x ``own`` + beta x ``primary`` (:func:`allocated`)."""
        return allocated(own, primary, *self.coefficients())

    def coefficients_text(self) -> str:
        """'0.8 x Erec + 0.2 x Ev (A = ..., R1 = ...)'."""
        alpha, beta = self.coefficients()
        return f"{alpha:g} x Erec + {beta:g} x Ev ({self.parameters_text()})"

    def parameters_text(self) -> str:
        return (f"A = {self.A:g}, R1 = {self.R1:g}, Qsin/Qp = {self.Qsin_Qp:g}, R2 = {self.R2:g}, "
                f"Qsout/Qp = {self.Qsout_Qp:g}")

    def formula_text(self, primary: float, recycled: float) -> str:
        """How the recycled route's result is formed, with the numbers."""
        alpha, beta = self.coefficients()
        return (f"(1 - R1) x Ev + R1 x (A x Erec + (1 - A) x Ev x Qsin/Qp) with {self.parameters_text()}, "
                f"Ev = {primary:,.1f} (primary route), Erec = {recycled:,.1f} (recycled route, cut-off): "
                f"{alpha:g} x {recycled:,.1f} + {beta:g} x {primary:,.1f} = {self.apply(recycled, primary):,.1f}")


def allocation_for(approach: str, parametric, database: str, values: dict | None = None) -> Allocation:
    """The allocation for routes of ``database``; ``values`` (parameter id -> value) override the
    workbook (from --set/--scenario). Cut-off needs no parameters and uses R1 = 1 when absent."""
    if approach not in APPROACHES:
        raise ParameterError(f"recycling allocation {approach!r} is not one of {', '.join(APPROACHES)}.")
    values = values or {}

    def value(name, default=None):
        pid = f"{database}.{name}"
        if pid in values:
            return float(values[pid])
        parameter = parametric.by_id.get(pid)
        if parameter is None:
            if default is not None:
                return default
            raise ParameterError(
                f"recycling allocation {approach}: the workbook of database {database} has no parameter {name}. Add "
                f"the CFF parameters ({', '.join(PARAMETERS)}) with their sources to its 'Database parameters' "
                "(docs/allocation.md).")
        if parameter.distribution is not None:
            raise ParameterError(f"{pid} has a distribution; the allocation parameters must be exact values.")
        return float(parameter.amount)

    needed = approach != "cut-off"
    r1 = value("cff_R1", None if needed else 1.0)
    qs = value("cff_Qsin_Qp", None if needed else 1.0)
    r2 = value("cff_R2", None if needed else 0.0)
    qs_out = value("cff_Qsout_Qp", 1.0)
    a = {"cut-off": 1.0, "avoided-burden": 0.0}.get(approach)
    if a is None:
        a = value("cff_A")
    for name, number, low, high in (("cff_A", a, 0, 1), ("cff_R1", r1, 0, 1), ("cff_Qsin_Qp", qs, 0, 1)):
        if not low <= number <= high:
            raise ParameterError(f"{database}.{name} = {number:g} is outside {low} to {high}.")
    if needed and r2 != 0:
        raise ParameterError(
            f"{database}.cff_R2 = {r2:g}: the end-of-life term of the Circular Footprint Formula is outside this "
            "tool's cradle-to-gate boundary (PEF applies none to intermediate products). Set cff_R2 to 0; "
            "docs/allocation.md shows the end-of-life term by hand.")
    sources = tuple((f"{database}.{name}", parametric.by_id[f"{database}.{name}"].source)
                    for name in PARAMETERS if f"{database}.{name}" in parametric.by_id)
    return Allocation(approach, A=a, R1=r1, Qsin_Qp=qs, R2=r2, Qsout_Qp=qs_out, database=database, sources=sources)


@dataclass(frozen=True)
class Transform:
    """The recycled route's column becomes alpha x itself plus beta x one unit of the primary route."""

    recycled: int  # node ids
    primary: int
    alpha: float
    beta: float


def transforms_for(comparisons: dict, approach: str, parametric, values: dict | None = None,
                   primary_routes: dict | None = None) -> tuple[Transform, ...]:
    """One transform per comparison with a primary and a recycled route (the default primary route,
    or ``primary_routes[comparison id]``). Cut-off with R1 = 1 changes nothing and gives none."""
    from lca.subjects.routes import select_pair

    out = []
    for model in comparisons.values():
        if len(model.routes) < 2:
            continue
        reference, recycled = select_pair(model, (primary_routes or {}).get(model.id))
        alpha, beta = allocation_for(approach, parametric, recycled.database, values).coefficients()
        if (alpha, beta) != (1.0, 0.0):
            out.append(Transform(recycled.node_id, reference.node_id, alpha, beta))
    return tuple(out)


def apply_transforms(lca, transforms: tuple[Transform, ...]) -> None:
    """Rewrite the recycled routes' columns of a loaded LCA's matrices (before factorisation)."""
    from scipy import sparse

    if not transforms:
        return
    technosphere = lca.technosphere_matrix.tocsc(copy=True)
    biosphere = lca.biosphere_matrix.tocsc(copy=True)
    additions = []
    transforms = tuple(t for t in transforms if t.recycled in lca.dicts.activity)  # routes this LCA reaches
    if not transforms:
        return
    for t in transforms:
        column, own_row = lca.dicts.activity[t.recycled], lca.dicts.product[t.recycled]
        start, end = technosphere.indptr[column], technosphere.indptr[column + 1]
        keep = technosphere.indices[start:end] == own_row  # the production exchange stays
        technosphere.data[start:end] = [value if own else t.alpha * value
                                        for value, own in zip(technosphere.data[start:end], keep, strict=True)]
        b_start, b_end = biosphere.indptr[column], biosphere.indptr[column + 1]
        biosphere.data[b_start:b_end] *= t.alpha
        production = technosphere[own_row, column]
        additions.append((lca.dicts.product[t.primary], column, -t.beta * production))
    rows, cols, data = zip(*additions, strict=True)
    technosphere = technosphere + sparse.csc_matrix((data, (rows, cols)), shape=technosphere.shape)
    lca.technosphere_matrix = technosphere.tocsr()
    lca.biosphere_matrix = biosphere.tocsr()


def comparison_allocation(model, approach: str, parametric, values: dict | None = None,
                          primary_route: str | None = None) -> Allocation:
    """The allocation of a comparison: the parameters of the workbook that holds its recycled route."""
    from lca.subjects.routes import select_pair

    _, recycled = select_pair(model, primary_route)
    return allocation_for(approach, parametric, recycled.database, values)
