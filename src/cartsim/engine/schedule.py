"""Dose events for a batch: state jumps and infusion-rate changes at breakpoints.

Every backend integrates between breakpoints and applies the events there, so dose
semantics are defined once, here:

* a bolus adds ``amount * scale`` to the route's state (kind ``JUMP``);
* an infusion adds ``amount * scale / duration`` to the route's input at its start and
  removes it at its end (kind ``RATE``);
* an output at the time of a dose reports the state *after* the dose;
* events and output times less than :data:`SIMULTANEOUS_DAYS` apart are taken as
  simultaneous (events first): no solver can step across a gap of 1e-14 days.

Events are returned as padded arrays of shape (patients, events), sorted by time per
patient; padding has time ``+inf``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pint

from cartsim.engine import numpy_functions
from cartsim.errors import InputError, UnitError
from cartsim.model import Model
from cartsim.protocol import Dose, Regimen
from cartsim.units import parse_unit, ureg

__all__ = ["Schedule", "build_schedule", "regimen_events", "JUMP", "RATE", "SIMULTANEOUS_DAYS"]

JUMP = 0
RATE = 1
#: Events closer than this (in days, about 0.1 ms) are applied at the same instant.
SIMULTANEOUS_DAYS = 1e-9


@dataclass(frozen=True)
class Schedule:
    """Padded event arrays: ``times``, ``kinds``, ``targets`` (state or data-column index), ``values``,
    and ``routes`` (the index of the dose route in ``model.routes``; -1 for padding)."""

    times: np.ndarray
    kinds: np.ndarray
    targets: np.ndarray
    values: np.ndarray
    routes: np.ndarray

    def of(self, patients: np.ndarray) -> Schedule:
        """The events of some patients (indices into the batch)."""
        return Schedule(self.times[patients], self.kinds[patients], self.targets[patients], self.values[patients], self.routes[patients])

    def delivered(self, route: int, t_out: np.ndarray) -> np.ndarray:
        """Amount given on ``route`` by each output time, in its state's unit, shape (patients, times).

        A dose at an output time counts at that time (outputs report the state after the dose);
        an infusion counts in proportion to the time it has run. An output within
        :data:`SIMULTANEOUS_DAYS` of an event is taken as at it, as the engines do.
        """
        total = np.zeros((self.times.shape[0], t_out.size))
        for e in range(self.n_events):
            for kind in (JUMP, RATE):
                mine = (self.routes[:, e] == route) & (self.kinds[:, e] == kind)
                if not np.any(mine):
                    continue
                start, value = self.times[mine, e][:, None], self.values[mine, e][:, None]
                if kind == JUMP:
                    total[mine] += value * (t_out[None, :] >= start - SIMULTANEOUS_DAYS)
                else:
                    elapsed = t_out[None, :] - start
                    total[mine] += value * np.where(np.abs(elapsed) <= SIMULTANEOUS_DAYS, 0.0, np.clip(elapsed, 0.0, None))
        return total

    @property
    def n_events(self) -> int:
        return self.times.shape[1]


#: Doses may be given per unit of body size: the data column that scales them.
NORMALISERS = (("kg", "body_weight"), ("m**2", "body_surface_area"))


def _amount_factor(dose: Dose, route_unit: str, field: str) -> tuple[float, str | None]:
    """Factor converting the dose amount to the route unit, and the body-size column it is per."""
    unit = parse_unit(route_unit)
    for per, column in ((None, None), *NORMALISERS):
        target = unit if per is None else unit / ureg(per).units
        try:
            return float(dose.quantity.to(target).magnitude), column
        except pint.DimensionalityError:
            continue
    raise UnitError(field, dose.amount, f"an amount in {route_unit}, {route_unit}/kg or {route_unit}/m**2")


def _scale_values(model: Model, data: np.ndarray) -> np.ndarray:
    """Route scales for every patient, shape (patients, routes)."""
    if not model.routes:
        return np.zeros((data.shape[0], 0))
    values = numpy_functions.route_scales(model)(*data.T)
    return np.stack([np.broadcast_to(np.asarray(v, dtype=float), (data.shape[0],)) for v in values], axis=1)


def regimen_events(model: Model, regimen: Regimen, label: str) -> list[tuple[float, int, int, int, float, str | None, float]]:
    """The events of one regimen, before patient-specific scaling, sorted by time.

    Rows are ``(time, kind, target, route index, amount factor, per, multiplier)``: the
    value of an event for a patient is ``factor * multiplier * route scale``, times the
    patient's value of the data column ``per`` (body weight, body surface area) unless None. Shared by the engine and the SBML export so both give doses the
    same meaning.
    """
    rows = []
    first_input = len(model.data_names) - len(model.routes)
    for j, dose in enumerate(regimen.doses):
        field = f"{label}.doses[{j}]"
        if dose.route not in model.route_names:
            raise InputError(f"{field}.route", dose.route, f"one of the model's dose routes: {', '.join(model.route_names)}")
        r = model.route_names.index(dose.route)
        factor, per = _amount_factor(dose, model.routes[r].unit, f"{field}.amount")
        if per is not None and per not in model.data_names:
            raise InputError(f"{field}.amount", dose.amount, f"an absolute amount: this model has no {per} to scale by")
        state = model.state_names.index(model.routes[r].state)
        for t in dose.times:
            if dose.duration_days == 0:
                rows.append((float(t), JUMP, state, r, factor, per, 1.0))
            else:
                rate = 1.0 / dose.duration_days
                rows.append((float(t), RATE, first_input + r, r, factor, per, rate))
                rows.append((float(t + dose.duration_days), RATE, first_input + r, r, factor, per, -rate))
    rows.sort(key=lambda row: row[0])
    return rows


def build_schedule(model: Model, regimens: Regimen | Sequence[Regimen], data: np.ndarray) -> Schedule:
    """Turn regimens (one shared, or one per patient) into event arrays for a batch.

    ``targets`` index the state vector for jumps, and the data vector (the route's input
    column) for rate changes.
    """
    n = data.shape[0]
    shared = isinstance(regimens, Regimen)
    per_patient: list[Regimen] = [regimens] * n if isinstance(regimens, Regimen) else list(regimens)
    if len(per_patient) != n:
        raise InputError("regimen", f"{len(per_patient)} regimens", f"one regimen, or one per patient ({n})")
    scales = _scale_values(model, data)
    size = {column: data[:, model.data_names.index(column)] for _, column in NORMALISERS if column in model.data_names}
    rows_per_patient = (
        [regimen_events(model, per_patient[0], "regimen")] * n
        if shared
        else [regimen_events(model, reg, f"regimen[{i}]") for i, reg in enumerate(per_patient)]
    )
    width = max((len(rows) for rows in rows_per_patient), default=0)
    times = np.full((n, width), np.inf)
    kinds = np.zeros((n, width), dtype=np.int64)
    targets = np.zeros((n, width), dtype=np.int64)
    values = np.zeros((n, width))
    routes = np.full((n, width), -1, dtype=np.int64)
    if shared and rows_per_patient and rows_per_patient[0]:
        rows = rows_per_patient[0]
        times[:] = [row[0] for row in rows]
        kinds[:] = [row[1] for row in rows]
        targets[:] = [row[2] for row in rows]
        routes[:] = [row[3] for row in rows]
        for e, (_, _, _, r, factor, per, mult) in enumerate(rows):
            values[:, e] = factor * mult * scales[:, r] * (size[per] if per is not None else 1.0)
    elif not shared:
        for i, rows in enumerate(rows_per_patient):
            for e, (t, kind, target, r, factor, per, mult) in enumerate(rows):
                times[i, e], kinds[i, e], targets[i, e], routes[i, e] = t, kind, target, r
                values[i, e] = factor * mult * scales[i, r] * (size[per][i] if per is not None else 1.0)
    return Schedule(times, kinds, targets, values, routes)
