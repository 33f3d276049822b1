"""What drives the difference? One-at-a-time ranges (a tornado) and Sobol indices (SALib).

Both vary the parameters that have a distribution in the workbooks (those fixed by --set or a
scenario stay fixed). Exchanges keep their amounts, so the indices are shares of the variance
that the parameters cause.

* One at a time: each parameter goes to the low and the high end of its range, the others stay
  at their values. The range is the distribution's bounds (uniform, triangular) or its central
  95 % interval (normal, lognormal). The swing is |difference at high - difference at low|.
* Sobol: Saltelli's scheme as implemented by SALib (``sample.sobol``, ``analyze.sobol``, first
  and total order with bootstrap confidence intervals), with the unit-hypercube sample mapped
  through each parameter's inverse CDF, so the indices refer to the distributions themselves.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from lca.errors import ParameterError

__all__ = ["TornadoRow", "SobolRow", "Sensitivity", "one_at_a_time", "sobol_indices", "analyse"]


@dataclass(frozen=True)
class TornadoRow:
    parameter: str  # id
    unit: str
    value: float
    low: float
    high: float
    difference_low: float
    difference_high: float
    reference_low: float
    reference_high: float
    alternative_low: float
    alternative_high: float

    @property
    def swing(self) -> float:
        return abs(self.difference_high - self.difference_low)


@dataclass(frozen=True)
class SobolRow:
    parameter: str
    first: float
    first_conf: float
    total: float
    total_conf: float


@dataclass(frozen=True)
class Sensitivity:
    subject: str
    functional_unit: str
    method: object
    unit: str
    reference: tuple[str, str]  # (id, label)
    alternative: tuple[str, str]
    difference: float  # at the parameters' values
    tornado: tuple[TornadoRow, ...]  # largest swing first
    sobol: tuple[SobolRow, ...]  # largest total index first
    samples: int  # SALib base sample size N (evaluations: N x (D + 2))
    seed: int | None
    parameters: tuple = ()  # ((parameter id, value, origin), ...) fixed for the run


def _varied(system) -> list:
    parameters = list(system.relevant)
    if not parameters:
        raise ParameterError("No parameter of these routes has a distribution (or all are fixed by --set), so "
                             "there is nothing to vary. Give parameters an 'uncertainty type' in the workbooks "
                             "(docs/uncertainty.md).")
    return parameters


def one_at_a_time(system, progress=None) -> tuple[TornadoRow, ...]:
    parameters = _varied(system)
    points = 2 * len(parameters)
    values = {p.id: np.full(points, p.amount) for p in parameters}
    ranges = []
    for k, p in enumerate(parameters):
        low, high = p.distribution.interval(0.95)
        values[p.id][2 * k], values[p.id][2 * k + 1] = low, high
        ranges.append((low, high))
    scores = system.evaluate(values, progress)
    reference, alternative = scores["reference"], scores["alternative"]
    difference = reference - alternative
    rows = [TornadoRow(parameter=p.id, unit=p.unit, value=p.amount, low=ranges[k][0], high=ranges[k][1],
                       difference_low=float(difference[2 * k]), difference_high=float(difference[2 * k + 1]),
                       reference_low=float(reference[2 * k]), reference_high=float(reference[2 * k + 1]),
                       alternative_low=float(alternative[2 * k]), alternative_high=float(alternative[2 * k + 1]))
            for k, p in enumerate(parameters)]
    return tuple(sorted(rows, key=lambda r: -r.swing))


def sobol_indices(system, samples: int, seed: int | None, progress=None) -> tuple[SobolRow, ...]:
    if samples < 2 or samples & (samples - 1):
        raise ParameterError(f"a Sobol base sample size of {samples} is not a power of 2; Sobol sequences need one, "
                             "e.g. 512 or 1024.")
    parameters = _varied(system)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's import-time and convergence notices
        from SALib.analyze import sobol as analyze
        from SALib.sample import sobol as sample

        problem = {"num_vars": len(parameters), "names": [p.id for p in parameters],
                   "bounds": [[0.0, 1.0]] * len(parameters)}
        unit = sample.sample(problem, samples, calc_second_order=False, seed=seed)
        unit = np.clip(unit, 1e-9, 1 - 1e-9)
        values = {p.id: p.distribution.ppf(unit[:, k]) for k, p in enumerate(parameters)}
        scores = system.evaluate(values, progress)
        output = scores["reference"] - scores["alternative"]
        if np.ptp(output) == 0:
            return tuple(SobolRow(p.id, 0.0, 0.0, 0.0, 0.0) for p in parameters)
        indices = analyze.analyze(problem, output, calc_second_order=False, seed=seed, print_to_console=False)
    rows = [SobolRow(parameter=p.id, first=float(indices["S1"][k]), first_conf=float(indices["S1_conf"][k]),
                     total=float(indices["ST"][k]), total_conf=float(indices["ST_conf"][k]))
            for k, p in enumerate(parameters)]
    return tuple(sorted(rows, key=lambda r: -r.total))


def analyse(system, *, subject: str, functional_unit: str, method, unit: str, labels, samples: int,
            seed: int | None, settings=(), progress=None) -> Sensitivity:
    """The one-at-a-time ranking and the Sobol indices; ``progress(n, total)`` after each chunk of ``n`` of the
    ``total`` evaluations (2 per parameter, and N x (parameters + 2) for Sobol)."""
    static = system.static()
    count = len(system.relevant)
    total = 2 * count + (samples * (count + 2) if samples else 0)
    advance = (lambda n: progress(n, total)) if progress is not None else None
    return Sensitivity(subject=subject, functional_unit=functional_unit, method=method, unit=unit,
                       reference=labels[0], alternative=labels[1],
                       difference=static["reference"] - static["alternative"], tornado=one_at_a_time(system, advance),
                       sobol=sobol_indices(system, samples, seed, advance) if samples else (), samples=samples,
                       seed=seed, parameters=settings)
