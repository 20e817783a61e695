"""What a visitor of the web explorer asks, checked, and the scenario that answers it.

A question is a situation (MS type, current therapy and how long on it, weight, sex, age) and
the options to compare (stay on the therapy, CD19, BCMA or mRNA CAR-T). It becomes an ordinary
cartsim scenario (:func:`cartsim.trial.parse_scenario`): the modeller's view shows that
scenario and offers it for download, so every answer can be rerun with ``cartsim run``.

Time runs from *today*, day 0, when the next dose of the current therapy would be due. The
current therapy's doses before today are part of the simulation (at most
:data:`MAX_HISTORY_YEARS` of them: what the model carries over from longer treatment is the
depletion, which the last doses already set); the CAR-T options stop it and infuse after a
washout, the one the model suggests (:func:`suggested_washout`) or the one asked for.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from cartsim.biology.products import PRODUCTS

__all__ = [
    "CURRENT_THERAPIES",
    "MAX_HISTORY_YEARS",
    "OPTION_NAMES",
    "Options",
    "Question",
    "Situation",
    "depleted",
    "scenario_table",
    "suggested_washout",
]

#: Doses of the current therapy before today that are simulated, at most (years).
MAX_HISTORY_YEARS = 2
#: Blood B cells (cells/uL) a CAR-T infusion should find: CAR T cells expand only on the antigen they meet.
WASHOUT_BCELLS = 40.0
#: Longest washout the explorer suggests or accepts (days).
MAX_WASHOUT_DAYS = 730
#: Days from the start of lymphodepletion to the infusion (Flu/Cy on days -5 to -3).
_LYMPHODEPLETION_LEAD = 5


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Situation(_Strict):
    """The visitor's own situation; age is asked but not used by the model (the page says so)."""

    ms_type: Literal["rrms", "ppms", "spms"] = Field(
        default="rrms", description="MS type: relapsing-remitting, primary or secondary progressive"
    )
    therapy: Literal["none", "ocrelizumab", "ofatumumab", "rituximab", "interferon"] = Field(
        default="ocrelizumab", description="the disease-modifying therapy taken now"
    )
    years_on_therapy: float = Field(default=2.0, ge=0, le=40, description="years on the current therapy")
    age: int = Field(default=40, ge=18, le=90, description="age in years (not used by the model)")
    weight_kg: float = Field(default=70.0, ge=35, le=200, description="body weight in kg (sets CAR-T doses given per kg)")
    sex: Literal["female", "male"] = Field(default="female", description="sex (sets the typical height, hence body surface for Flu/Cy)")


class Options(_Strict):
    """What to compare; at least one option."""

    stay: bool = Field(default=True, description="stay on the current therapy")
    cd19_cart: bool = Field(default=True, description="switch to CD19 CAR-T (KYV-101 dose and lymphodepletion)")
    bcma_cart: bool = Field(default=False, description="switch to BCMA CAR-T (CT103A dose and lymphodepletion)")
    mrna_cart: bool = Field(default=False, description="switch to mRNA BCMA CAR-T (Descartes-08: six weekly infusions, no lymphodepletion)")
    washout_days: int | None = Field(
        default=None, ge=0, le=MAX_WASHOUT_DAYS, description="days from today to the CAR-T infusion (empty: the washout the model suggests)"
    )

    @model_validator(mode="after")
    def _one_at_least(self) -> Options:
        if not (self.stay or self.cd19_cart or self.bcma_cart or self.mrna_cart):
            raise ValueError("at least one of stay, cd19_cart, bcma_cart, mrna_cart must be chosen")
        return self


class Question(_Strict):
    """One question to the explorer: a situation, options and how far to look."""

    situation: Situation = Field(default_factory=Situation)
    options: Options = Field(default_factory=Options)
    years: int = Field(default=5, ge=1, le=10, description="years to simulate from today")
    patients: int = Field(default=20, ge=5, le=200, description="virtual patients per option")

    @model_validator(mode="after")
    def _washout_within_horizon(self) -> Question:
        asked = self.options.washout_days
        if asked is not None and asked > 365 * self.years - 30:
            raise ValueError(f"options.washout_days at most {365 * self.years - 30} (a month before the end of the {self.years} years)")
        return self


#: Option field -> (arm name, product preset).
OPTION_NAMES: dict[str, tuple[str, str | None]] = {
    "stay": ("current therapy", None),
    "cd19_cart": ("CD19 CAR-T", "kyv-101"),
    "bcma_cart": ("BCMA CAR-T", "ct103a"),
    "mrna_cart": ("mRNA BCMA CAR-T", "descartes-08"),
}

#: Current therapy -> (regimen therapy name, start doses as (day, dose), maintenance dose, interval in days).
CURRENT_THERAPIES: dict[str, tuple[str, tuple[tuple[int, str], ...], str, int] | None] = {
    "none": None,
    "interferon": None,  # continuous from day 0 in the model: no history to carry over
    "ocrelizumab": ("ocrelizumab", ((0, "300 mg"), (14, "300 mg")), "600 mg", 168),
    "ofatumumab": ("ofatumumab", ((0, "20 mg"), (7, "20 mg"), (14, "20 mg")), "20 mg", 28),
    "rituximab": ("rituximab", ((0, "1000 mg"), (14, "1000 mg")), "1000 mg", 182),
}


def arm_name(option: str, therapy: str) -> str:
    """The name an option's arm has in the answer."""
    if option != "stay":
        return OPTION_NAMES[option][0]
    return "no treatment" if therapy == "none" else f"stay on {therapy}"


def _history(therapy: str, years: float) -> list[dict[str, Any]]:
    """Doses of ``therapy`` over the last ``years`` (at most MAX_HISTORY_YEARS), the last one an interval before today."""
    plan = CURRENT_THERAPIES[therapy]
    if plan is None or years <= 0:
        return []
    name, starts, dose, every = plan
    intervals = max(1, round(min(years, MAX_HISTORY_YEARS) * 365 / every))
    first = -intervals * every
    entries = [{"therapy": name, "day": first + day, "dose": amount} for day, amount in starts]
    if intervals > 1:
        entries.append({"therapy": name, "day": first + every, "dose": dose, "every_days": every, "count": intervals - 1})
    return entries


def _continued(therapy: str, horizon: int, started: bool) -> list[dict[str, Any]]:
    """The current therapy from today to the horizon."""
    if therapy == "interferon":
        return [{"therapy": "interferon-beta-1a", "day": 0}]
    plan = CURRENT_THERAPIES[therapy]
    if plan is None:
        return []
    name, starts, dose, every = plan
    if not started:  # a first course: the starting doses, then the maintenance dose
        first = [{"therapy": name, "day": day, "dose": amount} for day, amount in starts]
        return [*first, {"therapy": name, "day": every, "dose": dose, "every_days": every, "count": max(1, horizon // every)}]
    return [{"therapy": name, "day": 0, "dose": dose, "every_days": every, "count": horizon // every + 1}]


def _cart(option: str, day: int) -> list[dict[str, Any]]:
    product = PRODUCTS[OPTION_NAMES[option][1]]  # type: ignore[index]
    therapy = {"cd19": "cd19-cart", "bcma": "bcma-cart", "mrna-bcma": "mrna-bcma-cart"}[product.target]
    entries = (
        [] if product.lymphodepletion is None else [{"therapy": "flu-cy", "day": day - _LYMPHODEPLETION_LEAD, "product": product.name}]
    )
    return [*entries, {"therapy": therapy, "day": day, "product": product.name}]


@lru_cache(maxsize=64)
def suggested_washout(ms_type: str, therapy: str, years_on_therapy: float) -> int | None:
    """Days from today until a typical patient's blood B cells are back to :data:`WASHOUT_BCELLS`.

    None when the current therapy does not deplete B cells (no washout needed); the longest
    washout (:data:`MAX_WASHOUT_DAYS`) when they are not back by then.
    """
    if CURRENT_THERAPIES[therapy] is None or years_on_therapy <= 0:
        return None
    from cartsim.engine import simulate
    from cartsim.models import full_model
    from cartsim.population import POPULATIONS, Cohort, cohort_model
    from cartsim.protocol import parse_regimen

    history = _history(therapy, years_on_therapy)
    treatment = parse_regimen(history)
    start = min(treatment.dose_days)
    times = np.arange(start, MAX_WASHOUT_DAYS + 1.0)
    cohort = Cohort(POPULATIONS[ms_type], treatment, times, patients=1)
    typical = simulate(cohort_model(full_model(), cohort), treatment.regimen, dict(treatment.parameters), times=times)
    bcells = np.asarray(typical["bcells_blood"])[0]
    after = (times >= _LYMPHODEPLETION_LEAD) & (bcells >= WASHOUT_BCELLS)
    return int(math.ceil(times[after][0])) if after.any() else MAX_WASHOUT_DAYS


def depleted(question: Question) -> bool:
    """Whether the current therapy depletes B cells before today (then every option has a dose)."""
    s = question.situation
    return s.therapy in ("ocrelizumab", "ofatumumab", "rituximab") and s.years_on_therapy > 0


def washout(question: Question) -> int:
    """The washout the question runs with (asked for, or suggested; the lymphodepletion lead at least)."""
    s = question.situation
    asked = question.options.washout_days
    days = asked if asked is not None else suggested_washout(s.ms_type, s.therapy, s.years_on_therapy)
    return max(days or 0, _LYMPHODEPLETION_LEAD)


def scenario_table(question: Question) -> dict[str, Any]:
    """The cartsim scenario (as a TOML table) that answers ``question``."""
    s, options = question.situation, question.options
    horizon = 365 * question.years
    history = _history(s.therapy, s.years_on_therapy)
    day = washout(question)
    arms = []
    for option in OPTION_NAMES:
        if not getattr(options, option):
            continue
        regimen = history + (_continued(s.therapy, horizon, bool(history)) if option == "stay" else _cart(option, day))
        arms.append({"name": arm_name(option, s.therapy), "regimen": regimen})
    height = {"female": 165.0, "male": 178.0}[s.sex]
    return {
        "title": f"{s.ms_type.upper()}: " + " vs ".join(str(a["name"]) for a in arms),
        "population": s.ms_type,
        "patients": question.patients,
        "horizon_days": horizon,
        "seed": 1,
        "replicates": 100,
        "hypotheses": ["reset-none", "reset-partial", "reset-full"],
        "parameters": {
            "body_weight": {"value": f"{s.weight_kg:g} kg", "source": "the visitor's weight"},
            "height": {"value": f"{height:g} cm", "source": f"assumption: typical adult {s.sex} height"},
        },
        "outputs": {"observables": list(OUTPUTS[s.ms_type])},
        "arm": arms,
    }


_COMMON_OUTPUTS = ("bcells_blood", "cart_blood", "igg_total", "il6_serum")
#: Observables whose bands the explorer draws, by MS type (relapses for relapsing MS, progression for progressive).
OUTPUTS: dict[str, tuple[str, ...]] = {
    "rrms": (*_COMMON_OUTPUTS, "relapse_cumulative_hazard"),
    "ppms": (*_COMMON_OUTPUTS, "progression24_cumulative_hazard"),
    "spms": (*_COMMON_OUTPUTS, "progression24_cumulative_hazard"),
}
