"""NONMEM-style event datasets: read into regimens, observations and covariates, and write back.

One row per event, the columns pharmacometricians use (NONMEM, nlmixr2, Monolix, Pumas):

- ``ID``, ``TIME`` (required); ``EVID`` (0 observation, 1 dose, 2 other, 3 reset, 4 reset and
  dose; default from ``MDV``/``AMT``); ``AMT``, ``RATE`` (an infusion: duration AMT/RATE; 0 a
  bolus), ``CMT`` (the compartment), ``II`` and ``ADDL`` (ADDL more doses every II), ``SS``;
- ``DV`` and ``MDV`` (1: no observation); ``CENS`` or ``BLQ`` (1: below the limit of
  quantification, as Beal's M3 reads it; ``DV`` or ``LLOQ`` holds the limit) and ``LLOQ``;
- ``C``: a row whose ``C`` is ``C`` or ``#`` is a comment (NONMEM's ``IGNORE=C``) and skipped;
- any other column may be a covariate: constant per ID, mapped to a model parameter with its unit.

Compartment numbers mean nothing to cartsim by themselves: the caller says which dose route
(with the unit of AMT) and which observable (with the unit of DV) each CMT is. Times are in
``time_unit`` (hours by default, the field's usual choice) and become days. An observation
listed before a dose at the same time is a pre-dose value (``predose``). Modelled rates and
durations (RATE -1/-2, a DUR column), steady state (SS 1-3), resets (EVID 3/4) and censoring
above a limit are refused with a clear error rather than read approximately.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from cartsim.errors import InputError
from cartsim.model import Model
from cartsim.protocol import Dose, Regimen
from cartsim.units import conversion_factor, ureg

__all__ = ["EventData", "read_events", "write_events"]

_KNOWN = ("ID", "TIME", "EVID", "AMT", "RATE", "CMT", "II", "ADDL", "SS", "DV", "MDV", "CENS", "BLQ", "LLOQ", "DUR")
_WHOLE = ("ID", "EVID", "CMT", "ADDL", "SS", "MDV")
_OBSERVATION_COLUMNS = ["id", "day", "observable", "value", "unit", "censored", "lloq", "predose"]


@dataclass(frozen=True)
class EventData:
    """What a dataset says: each subject's regimen, the observations and the covariates.

    Attributes
    ----------
    regimens
        Subject ID -> :class:`~cartsim.protocol.Regimen` (dose routes of the model).
    observations
        One row per observation: ``id, day, observable, value, unit, censored, lloq, predose``
        (``censored``: below the limit of quantification, ``value`` then holds the limit;
        ``predose``: listed before a dose at the same time, so it is the value before that dose).
    covariates
        One row per subject (index ``id``), one column per model parameter.
    covariate_units
        Parameter -> the unit of its column in ``covariates``.
    """

    regimens: Mapping[int, Regimen]
    observations: pd.DataFrame = field(repr=False)
    covariates: pd.DataFrame = field(repr=False)
    covariate_units: Mapping[str, str] = field(default_factory=dict)

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(sorted(set(self.regimens) | set(self.observations["id"]) | set(self.covariates.index)))


def _where(frame: pd.DataFrame, i: int, column: str) -> str:
    """Row ``i`` as the user counts it (data rows from 1 after the header, blank and comment rows included), its ID, the column."""
    return f"row {int(frame.index[i]) + 1} (ID {frame['ID'].iloc[i]}), {column}"


def _frame(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        frame = source.reset_index(drop=True)
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("dataset", str(path), "a CSV file of a NONMEM-style event dataset")
        # NONMEM writes "." for a missing value; blank lines are kept so that row numbers match the file.
        frame = pd.read_csv(path, na_values=["."], skipinitialspace=True, skip_blank_lines=False, dtype=str)
    frame.columns = [str(c).strip().lstrip("#").strip().upper() for c in frame.columns]
    frame = frame[~frame.isna().all(axis=1)]
    if "C" in frame:  # NONMEM's comment column: rows marked C or # are not data
        frame = frame[~frame["C"].astype(str).str.strip().isin(["C", "#"])].drop(columns="C")
    for required in ("ID", "TIME"):
        if required not in frame:
            raise InputError("dataset", list(frame.columns), f"a {required} column (and {', '.join(_KNOWN[2:])} as the events need)")
    frame = frame.copy()
    for column in frame.columns:
        if column in _KNOWN:
            frame[column] = _numbers(frame, column, whole=column in _WHOLE)
    if "DUR" in frame and (frame["DUR"].fillna(0) != 0).any():
        i = int(np.flatnonzero((frame["DUR"].fillna(0) != 0).to_numpy())[0])
        raise InputError(_where(frame, i, "DUR"), frame["DUR"].iloc[i], "no DUR: give the infusion as RATE = AMT / duration")
    return frame


def _numbers(frame: pd.DataFrame, column: str, whole: bool = False) -> pd.Series:
    """The column as numbers; the first entry that is not one (or not whole, where it must be) is an error naming its row."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = values.isna() & frame[column].notna()
    if whole:
        bad |= values.notna() & (values != np.round(values))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(_where(frame, i, column), frame[column].iloc[i], "a whole number" if whole else "a number (or '.' for none)")
    return values


def _value(frame: pd.DataFrame, i: int, column: str, default: float) -> float:
    if column not in frame:
        return default
    v = frame[column].iloc[i]
    return default if pd.isna(v) else float(v)


def _evid(frame: pd.DataFrame, i: int) -> int:
    if "EVID" in frame and not pd.isna(frame["EVID"].iloc[i]):
        return int(frame["EVID"].iloc[i])
    if _value(frame, i, "AMT", 0.0) > 0:
        return 1
    return 2 if _value(frame, i, "MDV", 0.0) == 1 else 0


def _days(value: float, unit: str) -> float:
    return float((value * ureg(unit)).to(ureg.day).magnitude)


def read_events(
    source: str | Path | pd.DataFrame,
    *,
    doses: Mapping[int, tuple[str, str]],
    observations: Mapping[int, tuple[str, str]] | None = None,
    covariates: Mapping[str, tuple[str, str]] | None = None,
    time_unit: str = "h",
    model: Model | None = None,
) -> EventData:
    """Read a NONMEM-style event dataset (a CSV file or a DataFrame).

    Parameters
    ----------
    doses
        CMT -> (dose route of the model, unit of AMT): ``{1: ("ocrelizumab_iv", "mg")}``.
    observations
        CMT -> (observable, unit of DV): ``{2: ("ocrelizumab_concentration", "ug/mL")}``.
        Observation rows of other compartments are an error.
    covariates
        Column -> (model parameter, unit): ``{"WT": ("body_weight", "kg")}``; each must be
        constant within a subject. Columns not named here are ignored.
    time_unit
        Unit of TIME and II (hours by default).
    model
        When given, every route, observable and parameter named must be the model's, in a unit
        that converts to the model's.

    Raises
    ------
    InputError
        A missing ID or TIME column; a value that is not a number (or not whole, for ID, EVID,
        CMT, ADDL, SS, MDV); time going backwards within a subject; a dose without an amount,
        to an unmapped compartment, or with a modelled rate or duration, steady state or reset;
        an observation without a value or of an unmapped compartment; a covariate that is not a
        number or changes within a subject. Each names the row (counted from 1 after the
        header), the subject and the column.

    Examples
    --------
    >>> data = pd.DataFrame({"ID": [1, 1, 1], "TIME": [0, 24, 168], "AMT": [600, 0, 0], "DV": [0, 150, 60],
    ...                      "CMT": [1, 2, 2], "EVID": [1, 0, 0], "WT": [70, 70, 70]})
    >>> events = read_events(data, doses={1: ("ocrelizumab_iv", "mg")},
    ...                      observations={2: ("ocrelizumab_concentration", "ug/mL")},
    ...                      covariates={"WT": ("body_weight", "kg")})
    >>> events.regimens[1].doses[0].amount, list(events.observations["day"])
    ('600 mg', [1.0, 7.0])
    """
    observed = dict(observations or {})
    named = dict(covariates or {})
    if model is not None:
        _check_names(model, doses, observed, named)
    try:
        ureg(time_unit).to(ureg.day)
    except Exception:
        raise InputError("time_unit", time_unit, "a unit of time such as 'h' or 'day'") from None
    frame = _frame(source)
    for column in named:
        if column.upper() not in frame:
            raise InputError("covariates", column, "a column of the dataset: " + ", ".join(frame.columns))
    regimens: dict[int, list[Dose]] = {}
    rows: list[dict[str, object]] = []
    at: dict[tuple[int, float], list[dict[str, object]]] = {}  # observations by (subject, time), for pre-dose values
    last: dict[int, float] = {}
    for i in range(len(frame)):
        subject = frame["ID"].iloc[i]
        if pd.isna(subject):
            raise InputError(_where(frame, i, "ID"), subject, "a whole number")
        subject = int(subject)
        time = frame["TIME"].iloc[i]
        if pd.isna(time) or not math.isfinite(time):
            raise InputError(_where(frame, i, "TIME"), time, f"a time in {time_unit}")
        if time < last.get(subject, -math.inf):
            raise InputError(_where(frame, i, "TIME"), time, f"a time no earlier than the subject's previous row ({last[subject]:g})")
        last[subject] = float(time)
        evid = _evid(frame, i)
        if evid in (3, 4):
            raise InputError(_where(frame, i, "EVID"), evid, "0 (observation), 1 (dose) or 2 (other): resets are not supported")
        if evid not in (0, 1, 2):
            raise InputError(_where(frame, i, "EVID"), evid, "0 (observation), 1 (dose) or 2 (other)")
        cmt = int(_value(frame, i, "CMT", 1.0))
        if evid == 1:
            regimens.setdefault(subject, []).append(_dose(frame, i, cmt, doses, time_unit))
            for row in at.get((subject, float(time)), []):  # listed before a dose at the same time: its pre-dose value
                row["predose"] = True
        elif evid == 0 and _value(frame, i, "MDV", 0.0) != 1:
            rows.append(_observation(frame, i, cmt, observed, time_unit))
            at.setdefault((subject, float(time)), []).append(rows[-1])
    table = pd.DataFrame(rows, columns=_OBSERVATION_COLUMNS)
    return EventData(
        {k: Regimen(tuple(v)) for k, v in regimens.items()},
        table.astype({"censored": bool, "predose": bool}),
        _covariates(frame, named),
        {parameter: unit for parameter, unit in named.values()},
    )


def _check_names(
    model: Model, doses: Mapping[int, tuple[str, str]], observed: Mapping[int, tuple[str, str]], named: Mapping[str, tuple[str, str]]
) -> None:
    routes = {r.name: r for r in model.routes}
    for cmt, (route, unit) in doses.items():
        if route not in routes:
            raise InputError(f"doses[{cmt}]", route, "a dose route of the model: " + ", ".join(routes))
        conversion_factor(unit, routes[route].unit, f"doses[{cmt}] unit")
    for cmt, (observable, unit) in observed.items():
        if observable not in model.observable_names:
            raise InputError(f"observations[{cmt}]", observable, "an observable of the model: " + ", ".join(model.observable_names))
        conversion_factor(unit, model.unit_of(observable), f"observations[{cmt}] unit")
    for column, (parameter, unit) in named.items():
        if parameter not in model.parameter_names:
            raise InputError(f"covariates[{column}]", parameter, "a parameter of the model (`cartsim models --parameters`)")
        conversion_factor(unit, model.unit_of(parameter), f"covariates[{column}] unit")


def _dose(frame: pd.DataFrame, i: int, cmt: int, doses: Mapping[int, tuple[str, str]], time_unit: str) -> Dose:
    if cmt not in doses:
        raise InputError(_where(frame, i, "CMT"), cmt, "a dose compartment given in doses: " + ", ".join(map(str, doses)))
    route, unit = doses[cmt]
    amount = _value(frame, i, "AMT", 0.0)
    if not amount > 0:
        raise InputError(_where(frame, i, "AMT"), amount, f"an amount > 0 in {unit} for a dose (EVID 1)")
    rate = _value(frame, i, "RATE", 0.0)
    if rate < 0:
        raise InputError(
            _where(frame, i, "RATE"), rate, "0 (bolus) or a rate > 0 in amount per time unit: modelled rates (-1, -2) are not supported"
        )
    if _value(frame, i, "SS", 0.0) != 0:
        raise InputError(_where(frame, i, "SS"), _value(frame, i, "SS", 0.0), "0: steady-state doses are not supported (give the doses)")
    extra, every = int(_value(frame, i, "ADDL", 0.0)), _value(frame, i, "II", 0.0)
    if extra < 0:
        raise InputError(_where(frame, i, "ADDL"), extra, "a number of additional doses >= 0")
    if extra > 0 and not every > 0:
        raise InputError(_where(frame, i, "II"), every, "an interval > 0 between the ADDL additional doses")
    duration = _days(amount / rate, time_unit) if rate > 0 else 0.0
    day = _days(float(frame["TIME"].iloc[i]), time_unit)
    try:
        return Dose(
            route,
            f"{amount:.12g} {unit}",
            day=day,
            duration=duration,
            every_days=_days(every, time_unit) if extra else None,
            count=extra + 1,
        )
    except InputError as error:  # the dose itself refused it (too many additional doses ...): say which row
        raise InputError(_where(frame, i, "ADDL" if "count" in error.field else "AMT"), error.value, error.allowed) from None


def _observation(frame: pd.DataFrame, i: int, cmt: int, observed: Mapping[int, tuple[str, str]], time_unit: str) -> dict[str, object]:
    if cmt not in observed:
        raise InputError(_where(frame, i, "CMT"), cmt, "an observation compartment given in observations: " + ", ".join(map(str, observed)))
    observable, unit = observed[cmt]
    column = "CENS" if "CENS" in frame else "BLQ"
    flag = _value(frame, i, column, 0.0)
    if flag not in (0.0, 1.0):
        raise InputError(
            _where(frame, i, column), flag, "0, or 1 for a value below the limit of quantification (-1, above a limit, is not supported)"
        )
    value = _value(frame, i, "DV", math.nan)
    lloq = _value(frame, i, "LLOQ", value if flag else math.nan)
    if flag and math.isnan(value):
        value = lloq  # below the limit with no DV: the limit is what is known
    if math.isnan(value):
        what = "the limit of quantification in DV or LLOQ" if flag else "a measured value (or MDV = 1 for a row without one)"
        raise InputError(_where(frame, i, "DV"), None, what)
    return {
        "id": int(frame["ID"].iloc[i]),
        "day": _days(float(frame["TIME"].iloc[i]), time_unit),
        "observable": observable,
        "value": value,
        "unit": unit,
        "censored": bool(flag),
        "lloq": lloq,
        "predose": False,
    }


def _covariates(frame: pd.DataFrame, named: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    ids = frame["ID"].astype(int)
    table = pd.DataFrame(index=pd.Index(sorted(ids.unique()), name="id"))
    for column, (parameter, _unit) in named.items():
        values = _numbers(frame, column.upper())
        first: dict[int, float] = {}
        for i, (subject, value) in enumerate(zip(ids, values, strict=True)):
            if pd.isna(value):
                continue
            if subject in first and value != first[subject]:
                raise InputError(
                    _where(frame, i, column.upper()),
                    value,
                    f"{first[subject]:g}, the subject's value on its earlier rows (time-varying covariates are not supported)",
                )
            first.setdefault(subject, float(value))
        table[parameter] = [first.get(s, math.nan) for s in table.index]
    return table


def write_events(
    data: EventData,
    *,
    doses: Mapping[str, tuple[int, str]],
    observations: Mapping[str, tuple[int, str]],
    covariates: Mapping[str, str] | None = None,
    time_unit: str = "h",
) -> pd.DataFrame:
    """The dataset of ``data``, in time order per subject (pre-dose values before their dose).

    ``doses``: route -> (CMT, unit of AMT); ``observations``: observable -> (CMT, unit of DV and
    LLOQ); ``covariates``: parameter -> column. Repeated doses are written with II and ADDL.
    :func:`read_events` reads the result back to the same regimens, observations and
    covariates (for data it read; a dose given per kg has no AMT until a weight is chosen and is
    refused). Subjects with covariates but no event are not written.
    """
    per_day = float((1.0 * ureg.day).to(time_unit).magnitude)
    rows = []
    for subject, regimen in data.regimens.items():
        for dose in regimen.doses:
            if dose.route not in doses:
                routes = sorted({d.route for r in data.regimens.values() for d in r.doses})
                raise InputError("doses", dose.route, "a CMT for every dose route of the data: " + ", ".join(routes))
            cmt, unit = doses[dose.route]
            try:
                amount = float(dose.quantity.to(ureg(unit)).magnitude)
            except Exception:
                raise InputError(f"subject {subject} dose on day {dose.day:g}", dose.amount, f"an amount in {unit} (not per kg)") from None
            rate = amount / (dose.duration_days * per_day) if dose.duration_days > 0 else 0.0
            every = (dose.every_days or 0.0) * per_day
            rows.append(
                {"ID": subject, "TIME": dose.day * per_day, "ORDER": 1, "EVID": 1, "AMT": amount, "RATE": rate, "CMT": cmt}
                | {"II": every, "ADDL": dose.count - 1, "DV": np.nan, "MDV": 1, "CENS": 0, "LLOQ": np.nan}
            )
    for r in data.observations.itertuples(index=False):
        if r.observable not in observations:
            raise InputError("observations", r.observable, "a CMT for every observable of the data")
        cmt, unit = observations[r.observable]
        factor = conversion_factor(r.unit, unit, f"observations[{r.observable}] unit")
        rows.append(
            {"ID": r.id, "TIME": r.day * per_day, "ORDER": 0 if r.predose else 2, "EVID": 0, "AMT": 0.0, "RATE": 0.0, "CMT": cmt}
            | {"II": 0.0, "ADDL": 0, "DV": r.value * factor, "MDV": 0, "CENS": int(r.censored), "LLOQ": r.lloq * factor}
        )
    table = pd.DataFrame(rows).sort_values(["ID", "TIME", "ORDER"], kind="stable").drop(columns="ORDER").reset_index(drop=True)
    for parameter, column in (covariates or {}).items():
        table[column] = table["ID"].map(data.covariates[parameter])
    return table
