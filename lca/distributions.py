"""Uncertainty distributions as written in the workbooks (stats_arrays fields), checked and sampled.

The workbooks use the stats_arrays convention that Brightway and bw2io use: an ``uncertainty
type`` id and ``loc``, ``scale``, ``shape``, ``minimum``, ``maximum``. Supported here:

=====  ==========  ============================================================================
id     name        fields
=====  ==========  ============================================================================
0, 1   none        the amount is exact (``minimum``/``maximum`` of a parameter: allowed range)
2      lognormal   loc = ln(median) (defaults to ln|amount|), scale = sigma of ln(x)
3      normal      loc = mean (defaults to the amount), scale = standard deviation
4      uniform     minimum, maximum
5      triangular  minimum, loc = mode (defaults to the amount), maximum
=====  ==========  ============================================================================

Normal and lognormal may be truncated by ``minimum``/``maximum``. Draws are made by the
inverse CDF of uniform numbers, so one seeded stream of uniforms gives reproducible, paired
draws for every uncertain quantity, and the same code gives percentiles for sensitivity ranges.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["Distribution", "DistributionError", "TYPE_NAMES", "from_fields", "sample", "FIELDS"]

FIELDS = ("uncertainty type", "loc", "scale", "shape", "minimum", "maximum")
TYPE_NAMES = {0: "none", 1: "none", 2: "lognormal", 3: "normal", 4: "uniform", 5: "triangular"}
_BY_NAME = {"none": 1, "undefined": 0, "lognormal": 2, "normal": 3, "uniform": 4, "triangular": 5}
_OTHER_STATS_ARRAYS = {6: "Bernoulli", 7: "discrete uniform", 8: "Weibull", 9: "gamma", 10: "beta",
                       11: "generalized extreme value", 12: "Student's t"}
_RELATIVE = 1e-6


class DistributionError(ValueError):
    """Uncertainty fields that do not make a usable distribution; the message says which and why."""


# how Distribution.describe words a distribution (a report in another language passes its own)
PHRASES = {"lognormal": "lognormal, median {median}, sigma {sigma}", "normal": "normal, mean {mean}, sd {sd}",
           "uniform": "uniform {low} to {high}", "triangular": "triangular {low} to {high}, mode {mode}",
           "truncated": ", truncated {low} to {high}"}


@dataclass(frozen=True)
class Distribution:
    """One quantity's distribution, in the units of its amount (negative amounts included)."""

    kind: str  # lognormal, normal, uniform, triangular
    amount: float
    loc: float | None = None
    scale: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def type_id(self) -> int:
        return _BY_NAME[self.kind]

    def fields(self) -> dict[str, float]:
        """The stats_arrays fields, as Brightway stores them."""
        out = {"uncertainty type": self.type_id}
        for name in ("loc", "scale", "minimum", "maximum"):
            value = getattr(self, name)
            if value is not None:
                out[name] = value
        if self.kind == "lognormal" and self.amount < 0:
            out["negative"] = True
        return out

    def describe(self, phrases: dict | None = None) -> str:
        """Short text such as 'triangular 0.40 to 0.44, mode 0.421' for tables; ``phrases`` give its
        wording in another language (keys lognormal, normal, uniform, triangular, truncated, as in
        :data:`PHRASES`)."""
        words = PHRASES if phrases is None else phrases
        n = lambda value: "" if value is None else f"{value:.4g}"  # noqa: E731
        if self.kind == "lognormal":
            text = words["lognormal"].format(median=n(math.copysign(math.exp(self.loc), self.amount)),
                                             sigma=n(self.scale))
        elif self.kind == "normal":
            text = words["normal"].format(mean=n(self.loc), sd=n(self.scale))
        elif self.kind == "uniform":
            return words["uniform"].format(low=n(self.minimum), high=n(self.maximum))
        else:
            return words["triangular"].format(low=n(self.minimum), high=n(self.maximum), mode=n(self.loc))
        if self.minimum is not None or self.maximum is not None:
            text += words["truncated"].format(low=n(self.minimum), high=n(self.maximum))
        return text

    def _frozen(self):
        from scipy import stats

        if self.kind == "lognormal":
            return stats.lognorm(s=self.scale, scale=math.exp(self.loc))
        if self.kind == "normal":
            return stats.norm(loc=self.loc, scale=self.scale)
        if self.kind == "uniform":
            return stats.uniform(loc=self.minimum, scale=self.maximum - self.minimum)
        width = self.maximum - self.minimum
        return stats.triang(c=(self.loc - self.minimum) / width if width else 0.5, loc=self.minimum, scale=width)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Quantiles for probabilities ``u`` (truncation respected; negative lognormals mirrored)."""
        u = np.asarray(u, dtype=float)
        frozen = self._frozen()
        sign = -1.0 if self.kind == "lognormal" and self.amount < 0 else 1.0
        if self.kind in ("normal", "lognormal") and (self.minimum is not None or self.maximum is not None):
            low, high = self.minimum, self.maximum
            if sign < 0:  # bounds are on the signed value; the frozen law is of its magnitude
                low, high = (None if high is None else -high), (None if low is None else -low)
            lo_p = 0.0 if low is None else float(frozen.cdf(low))
            hi_p = 1.0 if high is None else float(frozen.cdf(high))
            u = lo_p + u * (hi_p - lo_p)
        if self.kind == "uniform" and self.maximum == self.minimum:
            return np.full_like(u, self.minimum)
        return sign * frozen.ppf(u)

    def interval(self, probability: float = 0.95) -> tuple[float, float]:
        """Central interval; uniform and triangular give their bounds."""
        if self.kind in ("uniform", "triangular"):
            return self.minimum, self.maximum
        tail = (1 - probability) / 2
        low, high = self.ppf(np.array([tail, 1 - tail]))
        return float(min(low, high)), float(max(low, high))


def _number(value):
    if value is None or value == "":
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return float(value)


def type_id(value) -> int | None:
    """The stats_arrays id of an 'uncertainty type' cell (a number, or a name such as 'triangular')."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _BY_NAME:
            return _BY_NAME[text]
        try:
            value = float(text)
        except ValueError:
            raise DistributionError(
                f"uncertainty type {value!r} is not known; write a stats_arrays id (2 lognormal, 3 normal, "
                "4 uniform, 5 triangular) or its name") from None
    number = float(value)
    if not number.is_integer():
        raise DistributionError(f"uncertainty type {value!r} is not a whole number; use 2, 3, 4 or 5")
    number = int(number)
    if number in _OTHER_STATS_ARRAYS:
        raise DistributionError(
            f"uncertainty type {number} ({_OTHER_STATS_ARRAYS[number]}) is not supported by this tool; "
            "use 2 lognormal, 3 normal, 4 uniform or 5 triangular")
    if number not in TYPE_NAMES:
        raise DistributionError(f"uncertainty type {number} is not a stats_arrays id; use 2, 3, 4 or 5")
    return number


def from_fields(amount: float, fields: dict) -> Distribution | None:
    """The distribution described by ``fields`` (keys from FIELDS), or None when the amount is exact.

    Raises DistributionError naming the field to fix.
    """
    kind_id = type_id(fields.get("uncertainty type"))
    values = {k: _number(fields.get(k)) for k in ("loc", "scale", "minimum", "maximum")}
    low, high = values["minimum"], values["maximum"]
    if low is not None and high is not None and low > high:
        raise DistributionError(f"minimum {low:g} is above maximum {high:g}; swap them")
    if kind_id in (None, 0, 1):
        return None
    kind = TYPE_NAMES[kind_id]
    loc, scale = values["loc"], values["scale"]
    if kind == "lognormal":
        if amount == 0:
            raise DistributionError("a lognormal distribution needs a non-zero amount; use normal or uniform")
        expected = math.log(abs(amount))
        if loc is None:
            loc = expected
        elif abs(math.exp(loc) - abs(amount)) > _RELATIVE * abs(amount):
            raise DistributionError(
                f"loc {loc:g} of a lognormal must be ln|amount| = {expected:.6g} (the amount is the median); "
                "leave loc empty to have it filled in")
        if scale is None or not scale > 0:
            raise DistributionError("a lognormal distribution needs scale > 0 (sigma of ln x, e.g. 0.2)")
    elif kind == "normal":
        if loc is None:
            loc = amount
        elif abs(loc - amount) > _RELATIVE * max(1.0, abs(amount)):
            raise DistributionError(f"loc {loc:g} of a normal must equal the amount {amount:g} (the mean); "
                                    "leave loc empty to have it filled in")
        if scale is None or not scale > 0:
            raise DistributionError("a normal distribution needs scale > 0 (the standard deviation)")
    else:
        if low is None or high is None:
            raise DistributionError(f"a {kind} distribution needs both minimum and maximum")
        if kind == "triangular":
            if loc is None:
                loc = amount
            if not low <= loc <= high:
                raise DistributionError(f"the mode (loc, else the amount) {loc:g} lies outside {low:g} to {high:g}")
        else:
            loc = None
        scale = None
    if low is not None and amount < low - _RELATIVE * max(1.0, abs(low)) or \
            high is not None and amount > high + _RELATIVE * max(1.0, abs(high)):
        raise DistributionError(f"the amount {amount:g} lies outside its minimum/maximum {low} to {high}")
    return Distribution(kind=kind, amount=float(amount), loc=loc, scale=scale, minimum=low, maximum=high)


def sample(distributions: list[Distribution], uniforms: np.ndarray) -> np.ndarray:
    """Draws, one row per distribution, from a matching array of uniforms (rows x iterations)."""
    out = np.empty_like(uniforms, dtype=float)
    for i, distribution in enumerate(distributions):
        out[i] = distribution.ppf(uniforms[i])
    return out
