"""Per-patient numbers: parameter values, derived parameters and the initial state.

The data matrix has one row per patient and the columns ``model.data_names``
(parameters, derived parameters, infusion inputs). Derived parameters and initial values
are evaluated once per batch with NumPy, from the same SymPy expressions the solvers use.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from cartsim.engine import numpy_functions
from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.units import conversion_factor

__all__ = ["PatientData", "patient_data", "ParameterValues"]

ParameterValues = Mapping[str, "float | str | np.ndarray | list[float]"]


class PatientData:
    """Data matrix and initial states of a batch (plain arrays, built by :func:`patient_data`)."""

    __slots__ = ("data", "y0", "n")

    def __init__(self, data: np.ndarray, y0: np.ndarray) -> None:
        self.data = data
        self.y0 = y0
        self.n = data.shape[0]


def _column(name: str, value: object, unit: str, n: int | None) -> np.ndarray:
    if isinstance(value, str):
        from cartsim.units import parse_quantity

        q = parse_quantity(value, f"parameters[{name!r}]", f"a value in {unit}")
        value = q.magnitude * conversion_factor(str(q.units), unit, field=f"parameters[{name!r}]")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"parameters[{name!r}]", value, f"a number or an array of numbers in {unit}") from None
    if arr.ndim > 1 or (n is not None and arr.ndim == 1 and arr.size != n):
        raise InputError(f"parameters[{name!r}]", f"array of shape {arr.shape}", f"a scalar or a 1-D array of length {n}")
    if not np.all(np.isfinite(arr)):
        raise InputError(f"parameters[{name!r}]", value, "finite numbers")
    return arr


def patient_data(model: Model, parameters: ParameterValues | None = None, n_patients: int | None = None) -> PatientData:
    """Build the data matrix for a batch.

    Parameters
    ----------
    model
        The composed model.
    parameters
        Overrides of parameter values by name: a scalar (all patients) or an array with one
        value per patient, in the unit the model declares (see ``model.unit_of(name)``), or a
        string with a unit (``"80 kg"``). Parameters not given take their typical value.
    n_patients
        Batch size; inferred from the arrays when omitted (1 if all are scalars).

    Raises
    ------
    InputError
        For an unknown parameter name, a value that is not finite, a value outside the
        parameter's bounds, or arrays of different lengths.
    """
    parameters = dict(parameters or {})
    names = model.parameter_names
    unknown = sorted(set(parameters) - set(names))
    if unknown:
        raise InputError("parameters", unknown[0], f"a parameter of the model ({', '.join(sorted(names))})")
    lengths = {np.size(v) for k, v in parameters.items() if not isinstance(v, str) and np.ndim(v) == 1}
    if len(lengths) > 1:
        raise InputError("parameters", f"arrays of lengths {sorted(lengths)}", "arrays of one common length (one value per patient)")
    n = n_patients if n_patients is not None else (lengths.pop() if lengths else 1)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise InputError("n_patients", n_patients, "a whole number >= 1")
    columns = []
    for p in model.parameters:
        col = _column(p.name, parameters[p.name], p.unit, n) if p.name in parameters else np.asarray(p.value)
        low, high = p.bounds
        if np.any(col < low) or np.any(col > high):
            bad = col[(col < low) | (col > high)].flat[0]
            raise InputError(f"parameters[{p.name!r}]", float(bad), f"values in [{low}, {high}] {p.unit}")
        columns.append(np.broadcast_to(col, (n,)).astype(float))
    derived_fns, init_fn = numpy_functions.derived_and_initial(model)
    for fn in derived_fns:
        columns.append(np.broadcast_to(np.asarray(fn(*columns), dtype=float), (n,)).astype(float))
    y0 = np.stack([np.broadcast_to(np.asarray(v, dtype=float), (n,)) for v in init_fn(*columns)], axis=1)
    inputs = np.zeros((n, len(model.routes)))
    data = np.ascontiguousarray(np.column_stack(columns + [inputs]) if columns else inputs)
    return PatientData(data, np.ascontiguousarray(y0))
