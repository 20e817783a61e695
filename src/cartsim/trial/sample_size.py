"""Patients per arm for a given power on an endpoint (normal-approximation formulas).

* ``binary``: two proportions, normal approximation without continuity correction
  (Chow, Shao & Wang, *Sample Size Calculations in Clinical Research*, section 4.2; with
  ``pooled_variance=True`` the variance under the null hypothesis uses the pooled
  proportion, as in Fleiss).
* ``time_to_event``: Schoenfeld (1983): the events needed to detect a hazard ratio, then the
  patients needed to observe them given each arm's probability of an event by the end of
  follow-up.
* ``continuous``: two means with a common standard deviation (normal approximation).

Arm ``a`` is the reference; ``allocation`` is the number of patients in arm ``b`` per patient
in arm ``a``. Quantiles come from ``scipy.stats.norm``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from scipy.stats import norm

from cartsim.errors import InputError

__all__ = ["ENDPOINT_KINDS", "SampleSize", "patients_per_arm"]

ENDPOINT_KINDS = ("binary", "time_to_event", "continuous")
EndpointKind = Literal["binary", "time_to_event", "continuous"]


@dataclass(frozen=True)
class SampleSize:
    """Patients needed in each arm (rounded up), and events for a time-to-event endpoint.

    Attributes
    ----------
    kind
        Endpoint kind the size is for.
    arm_a, arm_b
        Patients in the reference arm a and in arm b.
    events
        Total events needed (time-to-event endpoints only; None otherwise).
    power, alpha
        Power and significance level used.
    """

    kind: str
    arm_a: int
    arm_b: int
    events: int | None
    power: float
    alpha: float

    @property
    def per_arm(self) -> int:
        """The larger arm (the patients per arm under 1:1 allocation)."""
        return max(self.arm_a, self.arm_b)

    @property
    def total(self) -> int:
        """Patients in both arms."""
        return self.arm_a + self.arm_b


def _number(field: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise InputError(field, value, "a finite number")
    return float(value)


def _open_unit(field: str, value: object) -> float:
    number = _number(field, value)
    if not 0 < number < 1:
        raise InputError(field, value, "a number strictly between 0 and 1")
    return number


def _pair(field: str, value: object) -> tuple[object, object]:
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        raise InputError(field, value, "a pair (arm a, arm b)")
    return value[0], value[1]


def patients_per_arm(
    endpoint_kind: EndpointKind,
    effect: float | tuple[float, float],
    power: float = 0.8,
    alpha: float = 0.05,
    *,
    sd: float | None = None,
    event_probability: float | tuple[float, float] | None = None,
    allocation: float = 1.0,
    two_sided: bool = True,
    pooled_variance: bool = False,
) -> SampleSize:
    """Patients per arm to detect ``effect`` with the given power.

    Parameters
    ----------
    endpoint_kind
        ``"binary"``, ``"time_to_event"`` or ``"continuous"``.
    effect
        binary: the proportions ``(p_a, p_b)`` with the event in each arm;
        time_to_event: the hazard ratio of b vs a (> 0, not 1);
        continuous: the difference in means b - a (not 0), or the means ``(mean_a, mean_b)``.
    power
        Probability of rejecting the null hypothesis when ``effect`` is true, in (0, 1).
    alpha
        Significance level, in (0, 1).
    sd
        Common standard deviation (continuous endpoints; required there).
    event_probability
        Probability that a patient has the event during follow-up (time-to-event endpoints;
        required there): one value for both arms or ``(p_a, p_b)``, each in (0, 1].
    allocation
        Patients in arm b per patient in arm a (> 0).
    two_sided
        Two-sided test (alpha split over both tails) or one-sided.
    pooled_variance
        Binary endpoints: use the pooled proportion for the variance under the null
        hypothesis (Fleiss) instead of the unpooled variance (Chow et al.).

    Returns
    -------
    SampleSize
        Patients in each arm (rounded up) and, for time-to-event endpoints, events needed.

    Raises
    ------
    InputError
        Unknown kind, power or alpha outside (0, 1), proportions outside (0, 1) or equal, a
        hazard ratio <= 0 or equal to 1, a zero difference, a missing or non-positive ``sd``,
        a missing or invalid ``event_probability``, or a non-positive ``allocation``.

    Examples
    --------
    >>> patients_per_arm("binary", (0.5, 0.35)).per_arm
    167
    >>> patients_per_arm("time_to_event", 0.7, event_probability=1.0).events
    247
    """
    if endpoint_kind not in ENDPOINT_KINDS:
        raise InputError("endpoint_kind", endpoint_kind, "one of " + ", ".join(ENDPOINT_KINDS))
    power = _open_unit("power", power)
    alpha = _open_unit("alpha", alpha)
    k = _number("allocation", allocation)
    if k <= 0:
        raise InputError("allocation", allocation, "a positive number of arm-b patients per arm-a patient")
    z_alpha = float(norm.ppf(1 - alpha / 2 if two_sided else 1 - alpha))
    z_beta = float(norm.ppf(power))

    events: int | None = None
    if endpoint_kind == "binary":
        first, second = _pair("effect", effect)
        p_a, p_b = _open_unit("effect[0]", first), _open_unit("effect[1]", second)
        if p_a == p_b:
            raise InputError("effect", effect, "two different proportions (p_a, p_b)")
        alternative = math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b) / k)
        if pooled_variance:
            pooled = (p_a + k * p_b) / (1 + k)
            null = math.sqrt(pooled * (1 - pooled) * (1 + 1 / k))
        else:
            null = alternative
        n_a = ((z_alpha * null + z_beta * alternative) / (p_a - p_b)) ** 2
    elif endpoint_kind == "continuous":
        if isinstance(effect, (tuple, list)):
            first, second = _pair("effect", effect)
            difference = _number("effect[1]", second) - _number("effect[0]", first)
        else:
            difference = _number("effect", effect)
        if difference == 0:
            raise InputError("effect", effect, "a non-zero difference in means (b - a)")
        if sd is None:
            raise InputError("sd", sd, "the common standard deviation (> 0) of a continuous endpoint")
        sigma = _number("sd", sd)
        if sigma <= 0:
            raise InputError("sd", sd, "a positive standard deviation")
        n_a = (z_alpha + z_beta) ** 2 * sigma**2 * (1 + 1 / k) / difference**2
    else:
        hazard_ratio = _number("effect", effect)
        if hazard_ratio <= 0 or hazard_ratio == 1:
            raise InputError("effect", effect, "a hazard ratio > 0 and != 1")
        if event_probability is None:
            raise InputError("event_probability", None, "the probability of an event during follow-up, in (0, 1], or (p_a, p_b)")
        pair = _pair("event_probability", event_probability) if isinstance(event_probability, (tuple, list)) else (event_probability,) * 2
        probabilities = [_number(f"event_probability[{i}]", p) for i, p in enumerate(pair)]
        if not all(0 < p <= 1 for p in probabilities):
            raise InputError("event_probability", event_probability, "probabilities in (0, 1]")
        needed = (z_alpha + z_beta) ** 2 * (1 + k) ** 2 / (k * math.log(hazard_ratio) ** 2)
        events = math.ceil(needed - 1e-9)
        n_a = needed / (probabilities[0] + k * probabilities[1])
    # A tiny tolerance so that exact integers are not bumped up by rounding error.
    return SampleSize(endpoint_kind, math.ceil(n_a - 1e-9), math.ceil(k * n_a - 1e-9), events, power, alpha)
