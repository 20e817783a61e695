"""NONMEM-style event datasets: read into regimens, observations and covariates, and write back.

One row per event, the columns pharmacometricians use (NONMEM, nlmixr2, Monolix, Pumas):

- ``ID``, ``TIME`` (required); ``EVID`` (0 observation, 1 dose, 2 other, 3 reset, 4 reset and
  dose; default from ``MDV``/``AMT``); ``AMT``, ``RATE`` (an infusion: duration AMT/RATE; 0 a
  bolus), ``CMT`` (the compartment), ``II`` and ``ADDL`` (ADDL more doses every II), ``SS``;
- ``DV`` and ``MDV`` (1: no observation); ``CENS`` or ``BLQ`` (1: DV is below the limit of
  quantification and holds that limit, as for Beal's M3) and ``LLOQ``;
- any other column is a covariate: constant per ID, mapped to a model parameter with its unit.

Compartment numbers mean nothing to cartsim by themselves: the caller says which dose route
(with the unit of AMT) and which observable (with the unit of DV) each CMT is. Times are in
``time_unit`` (hours by default, the field's usual choice) and become days. Modelled rates and
durations (RATE -1/-2), steady state (SS 1-3) and resets (EVID 3/4) are refused with a clear
error rather than read approximately.
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
from cartsim.units import ureg

__all__ = ["EventData", "read_events", "write_events"]

_KNOWN = ("ID", "TIME", "EVID", "AMT", "RATE", "CMT", "II", "ADDL", "SS", "DV", "MDV", "CENS", "BLQ", "LLOQ")
_OBSERVATION_COLUMNS = ["id", "day", "observable", "value", "unit", "censored", "lloq"]


@dataclass(frozen=True)
class EventData:
    """What a dataset says: each subject's regimen, the observations and the covariates.

    Attributes
    ----------
    regimens
        Subject ID -> :class:`~cartsim.protocol.Regimen` (dose routes of the model).
    observations
        One row per observation: ``id, day, observable, value, unit, censored, lloq``
        (``censored``: below the limit of quantification, ``value`` then holds the limit).
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


def _where(row: int, subject: object, column: str) -> str:
    return f"row {row + 1} (ID {subject}), {column}"


def _frame(source: str | Path | pd.DataFrame) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("dataset", str(path), "a CSV file of a NONMEM-style event dataset")
        # NONMEM writes "." for a missing value; a leading "#" or "C" comment column is common in the field.
        frame = pd.read_csv(path, na_values=["."], skipinitialspace=True)
    frame.columns = [str(c).strip().upper() for c in frame.columns]
    for required in ("ID", "TIME"):
        if required not in frame:
            raise InputError("dataset", list(frame.columns), f"a {required} column (and {', '.join(_KNOWN[2:])} as the events need)")
    for column in frame.columns:
        if column in _KNOWN:
            values = pd.to_numeric(frame[column], errors="coerce")
            bad = values.isna() & frame[column].notna()
            if bad.any():
                i = int(np.flatnonzero(bad.to_numpy())[0])
                raise InputError(_where(i, frame["ID"].iloc[i], column), frame[column].iloc[i], "a number (or '.' for none)")
            frame[column] = values
    return frame


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
        CMT -> (observable, unit of DV): ``{2: ("ocrelizumab_serum", "ug/mL")}``. Observation
        rows of other compartments are an error.
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
        A missing ID or TIME column, a value that is not a number, time going backwards within
        a subject, a dose without an amount, to an unmapped compartment, or with a modelled rate,
        steady state or reset, an observation of an unmapped compartment, a covariate that
        changes within a subject; each error names the row (1-based, after the header), the
        subject and the column.

    Examples
    --------
    >>> data = pd.DataFrame({"ID": [1, 1, 1], "TIME": [0, 24, 168], "AMT": [600, 0, 0], "DV": [0, 150, 60],
    ...                      "CMT": [1, 2, 2], "EVID": [1, 0, 0], "WT": [70, 70, 70]})
    >>> events = read_events(data, doses={1: ("ocrelizumab_iv", "mg")}, observations={2: ("ocrelizumab_serum", "ug/mL")},
    ...                      covariates={"WT": ("body_weight", "kg")})
    >>> events.regimens[1].doses[0].amount, list(events.observations["day"])
    ('600 mg', [1.0, 7.0])
    """
    frame = _frame(source)
    observed = dict(observations or {})
    named = dict(covariates or {})
    if model is not None:
        _check_names(model, doses, observed, named)
    for column in named:
        if column.upper() not in frame:
            raise InputError("covariates", column, "a column of the dataset: " + ", ".join(frame.columns))
    try:
        ureg(time_unit).to(ureg.day)
    except Exception:
        raise InputError("time_unit", time_unit, "a unit of time such as 'h' or 'day'") from None
    regimens: dict[int, list[Dose]] = {}
    rows: list[dict[str, object]] = []
    last: dict[int, float] = {}
    for i in range(len(frame)):
        subject = frame["ID"].iloc[i]
        if pd.isna(subject) or float(subject) != int(subject):
            raise InputError(_where(i, subject, "ID"), subject, "a whole number")
        subject = int(subject)
        time = frame["TIME"].iloc[i]
        if pd.isna(time) or not math.isfinite(time):
            raise InputError(_where(i, subject, "TIME"), time, f"a time in {time_unit}")
        if time < last.get(subject, -math.inf):
            raise InputError(_where(i, subject, "TIME"), time, f"a time no earlier than the subject's previous row ({last[subject]:g})")
        last[subject] = float(time)
        evid = _evid(frame, i)
        if evid in (3, 4):
            raise InputError(_where(i, subject, "EVID"), evid, "0 (observation), 1 (dose) or 2 (other): resets are not supported")
        if evid not in (0, 1, 2):
            raise InputError(_where(i, subject, "EVID"), evid, "0 (observation), 1 (dose) or 2 (other)")
        cmt = int(_value(frame, i, "CMT", 1.0))
        if evid == 1:
            regimens.setdefault(subject, []).append(_dose(frame, i, subject, cmt, doses, time_unit))
        elif evid == 0 and _value(frame, i, "MDV", 0.0) != 1 and "DV" in frame and not pd.isna(frame["DV"].iloc[i]):
            rows.append(_observation(frame, i, subject, cmt, observed, time_unit))
    return EventData(
        {k: Regimen(tuple(v)) for k, v in regimens.items()},
        pd.DataFrame(rows, columns=_OBSERVATION_COLUMNS),
        _covariates(frame, named),
        {parameter: unit for parameter, unit in named.values()},
    )


def _check_names(
    model: Model, doses: Mapping[int, tuple[str, str]], observed: Mapping[int, tuple[str, str]], named: Mapping[str, tuple[str, str]]
) -> None:
    from cartsim.units import conversion_factor

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


def _dose(frame: pd.DataFrame, i: int, subject: int, cmt: int, doses: Mapping[int, tuple[str, str]], time_unit: str) -> Dose:
    if cmt not in doses:
        raise InputError(_where(i, subject, "CMT"), cmt, "a dose compartment given in doses: " + ", ".join(map(str, doses)))
    route, unit = doses[cmt]
    amount = _value(frame, i, "AMT", 0.0)
    if not amount > 0:
        raise InputError(_where(i, subject, "AMT"), amount, f"an amount > 0 in {unit} for a dose (EVID 1)")
    rate = _value(frame, i, "RATE", 0.0)
    if rate < 0:
        raise InputError(
            _where(i, subject, "RATE"), rate, "0 (bolus) or a rate > 0 in amount per time unit: modelled rates (-1, -2) are not supported"
        )
    if _value(frame, i, "SS", 0.0) != 0:
        raise InputError(_where(i, subject, "SS"), _value(frame, i, "SS", 0.0), "0: steady-state doses are not supported (give the doses)")
    extra, every = int(_value(frame, i, "ADDL", 0.0)), _value(frame, i, "II", 0.0)
    if extra < 0 or (extra > 0 and not every > 0):
        raise InputError(_where(i, subject, "ADDL"), extra, "a number of additional doses >= 0, with II > 0 when above 0")
    duration = _days(amount / rate, time_unit) if rate > 0 else 0.0
    day = _days(float(frame["TIME"].iloc[i]), time_unit)
    return Dose(
        route, f"{amount:.12g} {unit}", day=day, duration=duration, every_days=_days(every, time_unit) if extra else None, count=extra + 1
    )


def _observation(
    frame: pd.DataFrame, i: int, subject: int, cmt: int, observed: Mapping[int, tuple[str, str]], time_unit: str
) -> dict[str, object]:
    if cmt not in observed:
        raise InputError(
            _where(i, subject, "CMT"), cmt, "an observation compartment given in observations: " + ", ".join(map(str, observed))
        )
    observable, unit = observed[cmt]
    column = "CENS" if "CENS" in frame else "BLQ"
    flag = _value(frame, i, column, 0.0)
    if flag not in (0.0, 1.0):
        raise InputError(
            _where(i, subject, "CENS"), flag, "0, or 1 for a value below the limit of quantification (-1, above a limit, is not supported)"
        )
    value = float(frame["DV"].iloc[i])
    lloq = _value(frame, i, "LLOQ", value if flag else math.nan)
    return {
        "id": subject,
        "day": _days(float(frame["TIME"].iloc[i]), time_unit),
        "observable": observable,
        "value": value,
        "unit": unit,
        "censored": bool(flag),
        "lloq": lloq,
    }


def _covariates(frame: pd.DataFrame, named: Mapping[str, tuple[str, str]]) -> pd.DataFrame:
    table = pd.DataFrame(index=pd.Index(sorted(int(s) for s in frame["ID"].unique()), name="id"))
    for column, (parameter, _unit) in named.items():
        values = frame.groupby("ID")[column.upper()].agg(lambda s: s.dropna().unique().tolist())
        for subject, seen in values.items():
            if len(seen) > 1:
                raise InputError(f"ID {subject}, {column}", seen, "one value per subject (time-varying covariates are not supported)")
        table[parameter] = [float(values[s][0]) if values[s] else math.nan for s in table.index]
    return table


def write_events(
    data: EventData,
    *,
    doses: Mapping[str, tuple[int, str]],
    observations: Mapping[str, tuple[int, str]],
    covariates: Mapping[str, str] | None = None,
    time_unit: str = "h",
) -> pd.DataFrame:
    """The dataset that :func:`read_events` reads back to ``data``: doses and observations in time order per subject.

    ``doses``: route -> (CMT, unit of AMT); ``observations``: observable -> (CMT, unit of DV);
    ``covariates``: parameter -> column. Repeated doses are written with II and ADDL.
    """
    per_day = float((1.0 * ureg.day).to(time_unit).magnitude)
    rows = []
    for subject, regimen in data.regimens.items():
        for dose in regimen.doses:
            if dose.route not in doses:
                raise InputError(
                    "doses",
                    dose.route,
                    "a CMT for every dose route of the data: "
                    + ", ".join(sorted({d.route for r in data.regimens.values() for d in r.doses})),
                )
            cmt, unit = doses[dose.route]
            amount = float(dose.quantity.to(ureg(unit)).magnitude)
            rate = amount / (dose.duration_days * per_day) if dose.duration_days > 0 else 0.0
            addl = dose.count - 1
            ii = (dose.every_days or 0.0) * per_day
            rows.append(
                {
                    "ID": subject,
                    "TIME": dose.day * per_day,
                    "EVID": 1,
                    "AMT": amount,
                    "RATE": rate,
                    "CMT": cmt,
                    "II": ii,
                    "ADDL": addl,
                    "DV": np.nan,
                    "MDV": 1,
                    "CENS": 0,
                    "LLOQ": np.nan,
                }
            )
    for r in data.observations.itertuples(index=False):
        if r.observable not in observations:
            raise InputError("observations", r.observable, "a CMT for every observable of the data")
        cmt, unit = observations[r.observable]
        value = float((r.value * ureg(r.unit)).to(ureg(unit)).magnitude)
        rows.append(
            {
                "ID": r.id,
                "TIME": r.day * per_day,
                "EVID": 0,
                "AMT": 0.0,
                "RATE": 0.0,
                "CMT": cmt,
                "II": 0.0,
                "ADDL": 0,
                "DV": value,
                "MDV": 0,
                "CENS": int(r.censored),
                "LLOQ": r.lloq,
            }
        )
    table = pd.DataFrame(rows).sort_values(["ID", "TIME", "EVID"], ascending=[True, True, False], kind="stable").reset_index(drop=True)
    for parameter, column in (covariates or {}).items():
        table[column] = table["ID"].map(data.covariates[parameter])
    return table
