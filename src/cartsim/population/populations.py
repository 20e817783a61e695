"""Virtual populations: named sets of parameter changes with sources, and correlations.

A :class:`Population` changes the typical value and/or the between-patient spread of some
model parameters (:class:`~cartsim.model.Change`, each with its source) and may correlate
the spreads of pairs of parameters. :meth:`Population.apply` returns the model with the
changes made (``Model.with_changes``), so the references a run used follow from the model
it ran (``cartsim cite``); parameters the model does not have are skipped, so one
population serves any module combination. Virtual patients are then drawn from the
changed model by :func:`cartsim.population.sample_parameters`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from cartsim.errors import InputError
from cartsim.model import Change, Model
from cartsim.parameters.MSActivity import MS_TYPE_PARAMETER_SETS

__all__ = ["Correlation", "POPULATIONS", "POPULATION_NAMES", "Population", "builtin_population"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$")


@dataclass(frozen=True)
class Correlation:
    """Correlation ``rho`` between the log-normal deviates of two parameters, with its source."""

    first: str
    second: str
    rho: float
    source: str

    def __post_init__(self) -> None:
        where = f"correlation {self.first}-{self.second}"
        if self.first == self.second:
            raise InputError(f"{where}.parameters", [self.first, self.second], "two different parameters")
        if isinstance(self.rho, bool) or not isinstance(self.rho, (int, float)) or not -1 < self.rho < 1:
            raise InputError(f"{where}.rho", self.rho, "a number between -1 and 1 (exclusive)")
        if not isinstance(self.source, str) or not self.source.strip():
            raise InputError(f"{where}.source", self.source, "a citation key or 'assumption: why'")


@dataclass(frozen=True)
class Population:
    """A virtual population.

    Parameters
    ----------
    name
        Short name (``"rrms"``).
    description
        Who the virtual patients are, in words.
    changes
        Changes of typical values and spreads, each with its source.
    correlations
        Correlations between parameters' spreads; the correlation matrix must be positive definite.
    endpoints
        The endpoints that matter for this population (catalogue names): what a trial reports
        when its scenario lists none.

    Examples
    --------
    >>> from cartsim import full_model
    >>> from cartsim.model import Change
    >>> heavier = Population("heavier", "adults of 90 kg", (Change("body_weight", 90.0, "assumption: example", unit="kg"),))
    >>> heavier.apply(full_model()).parameter("body_weight").value
    90.0
    """

    name: str
    description: str
    changes: tuple[Change, ...] = ()
    correlations: tuple[Correlation, ...] = ()
    endpoints: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not _NAME.match(self.name):
            raise InputError("population.name", self.name, "a name of 1-64 letters, digits, spaces, '-', '_' or '.'")
        if not isinstance(self.description, str) or not self.description.strip():
            raise InputError(f"population {self.name!r}.description", self.description, "a description in words")
        object.__setattr__(self, "changes", tuple(self.changes))
        object.__setattr__(self, "correlations", tuple(self.correlations))
        object.__setattr__(self, "endpoints", tuple(self.endpoints))
        names = [c.name for c in self.changes]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InputError(f"population {self.name!r}.parameters", twice, "each parameter changed once")
        correlation_matrix(self.correlations, sorted({n for c in self.correlations for n in (c.first, c.second)}))

    def apply(self, model: Model) -> Model:
        """``model`` with this population's changes (parameters the model lacks are skipped)."""
        return model.with_changes(self.changes, ignore_unknown=True, field=f"population {self.name!r}")


def correlation_matrix(correlations: tuple[Correlation, ...], names: list[str]) -> np.ndarray:
    """The correlation matrix over ``names``; an error when it is not positive definite."""
    index = {n: i for i, n in enumerate(names)}
    matrix = np.eye(len(names))
    for c in correlations:
        if c.first in index and c.second in index:
            matrix[index[c.first], index[c.second]] = matrix[index[c.second], index[c.first]] = c.rho
    if names and np.linalg.eigvalsh(matrix).min() <= 1e-10:
        raise InputError(
            "population.correlations",
            [f"{c.first}-{c.second}: {c.rho:g}" for c in correlations],
            "correlations that fit together (a positive definite correlation matrix)",
        )
    return matrix


def _changes(**values: tuple[float, str, str, float | None]) -> tuple[Change, ...]:
    """``name=(value, unit, source, omega)`` as changes."""
    return tuple(Change(name, value, source, omega, unit) for name, (value, unit, source, omega) in values.items())


_ADULT = _changes(body_weight=(70.0, "kg", "assumption: typical adult", 0.2), height=(170.0, "cm", "assumption: typical adult", 0.05))
_WOMEN = _changes(
    body_weight=(65.0, "kg", "assumption: mostly women (lupus, MS)", 0.2), height=(165.0, "cm", "assumption: mostly women", 0.05)
)


def _ms(ms_type: str) -> tuple[Change, ...]:
    """The MS type's disease-activity parameters, with their sources (``cartsim.parameters.MSActivity``)."""
    return tuple(Change(p.name, p.value, p.source, unit=p.unit) for p in MS_TYPE_PARAMETER_SETS[ms_type].parameters)


def _reduced_bcells(value: float, why: str, omega: float) -> tuple[Change, ...]:
    return (Change("bcell_blood_baseline", value, f"assumption: {why}", omega, "cells/uL"),)


#: NMOSD: AQP4-IgG-driven attacks that need B-cell help; AQP4-IgG partly from long-lived plasma cells.
_NMOSD = (
    *_WOMEN,
    Change(
        "flare_rate_untreated",
        0.5,
        "assumption: between the placebo arm of PREVENT, on background immunosuppressants "
        "(0.35, Wingerchuk2021), and patients on immunotherapy (0.60, Stellmann2017)",
        0.5,
        "1/year",
    ),
    Change(
        "drive_antibody_share",
        0.2,
        "assumption: attacks need B-cell help as well as AQP4-IgG: rituximab prevents most "
        "(relapse-rate ratio down by 0.79, Damato2016) although AQP4-IgG persists; calibrated to that ratio",
        unit="1",
    ),
    Change(
        "autoantibody_share_llpc",
        0.4,
        "assumption: AQP4-IgG persists under rituximab, so a large share comes from CD19- long-lived plasma cells",
        unit="1",
    ),
    Change(
        "autoantibody_share_pc_cd19",
        0.4,
        "assumption: AQP4-IgG titres partly track CD19+ cells under rituximab (Jarius et al. Brain 2008)",
        unit="1",
    ),
)
#: Myasthenia gravis with AChR antibodies: the score is MG-ADL.
_MG = (
    *_WOMEN,
    Change("flare_rate_untreated", 0.2, "assumption: a few myasthenic exacerbations per 10 patient-years on standard care", 0.5, "1/year"),
    Change("drive_antibody_share", 0.8, "assumption: AChR antibodies cause the weakness (complement at the endplate)", unit="1"),
    Change("disease_score_baseline", 9.0, "assumption: MG-ADL around 9 at entry into CAR-T trials (entry from 6)", 0.25, "1"),
    Change("disease_score_bcell_share", 0.8, "assumption: most of MG-ADL is antibody-driven and reversible", unit="1"),
    Change("autoantibody_share_pc_cd19", 0.3, "assumption: AChR antibodies come from CD19+ and CD19- plasma cells alike", unit="1"),
    Change("autoantibody_share_llpc", 0.3, "assumption: AChR antibodies come from CD19+ and CD19- plasma cells alike", unit="1"),
)
_PROGRESSIVE_EDSS = (
    Change(
        "ms_edss_step",
        0.5,
        "assumption: confirmed progression is 0.5 EDSS points from a score above "
        "5.5 (Montalban2017's definition); progressive MS mostly starts there",
        unit="1",
    ),
)


def _infections(per_100_patient_years: float, source: str) -> tuple[Change, ...]:
    """The population's serious-infection rate without treatment effects."""
    return (Change("infection_rate_baseline", per_100_patient_years / 100.0, source, None, "1/year"),)


_RMS_INFECTIONS = _infections(
    0.75,
    "assumption: calibrated to serious infections on ocrelizumab in OPERA I/II, 0.83 per 100 patient-years (Hauser2020; "
    "target opera-serious-infections-ocrelizumab), of which B-cell depletion adds a tenth",
)
_PMS_INFECTIONS = _infections(
    2.5,
    "assumption: calibrated to serious infections on ocrelizumab in ORATORIO, 2.74 per 100 patient-years (Montalban2017; "
    "target oratorio-serious-infections-ocrelizumab): older, more disabled patients",
)
_AUTOIMMUNE_INFECTIONS = _infections(
    5.0, "assumption: serious infections of refractory systemic autoimmune disease on immunosuppressants (~5 per 100 patient-years)"
)
_LYMPHOMA_INFECTIONS = _infections(
    10.0, "assumption: relapsed lymphoma after several lines of chemo-immunotherapy (~10 serious infections per 100 patient-years)"
)

_MYELOMA_INFECTIONS = _infections(
    15.0,
    "assumption: relapsed myeloma after several lines (immunoparesis, anti-CD38 antibodies): serious infections are more "
    "frequent than in relapsed lymphoma (~15 per 100 patient-years)",
)

#: What each kind of disease reports (a trial's default endpoints): B cells, the disease, then safety.
_SAFETY = ("crs_max_grade", "icans_max_grade", "total_igg_change_pct", "igg_below_lln", "serious_infection_rate", "severe_neutropenia_days")
_BCELLS = ("bcell_depletion_day", "bcell_recovery_day")
_RELAPSING_MS = (*_BCELLS, "annualized_relapse_rate", "gd_lesions", "new_t2_lesions", "cdp12", "cdp24", "edss_change", *_SAFETY)
_PROGRESSIVE_MS = (
    *_BCELLS,
    "cdp12",
    "cdp24",
    "pira",
    "edss_change",
    "csf_bcells_change_pct",
    "intrathecal_igg_change_pct",
    "ocb_present",
    "cart_csf_detectable",
    *_SAFETY,
)
_ANTIBODY_DISEASE = (*_BCELLS, "flare_free", "first_flare_day", "autoantibody_change_pct", "disease_score_change", *_SAFETY)
_ATTACKS = (*_BCELLS, "annualized_flare_rate", "first_flare_day", "autoantibody_change_pct", *_SAFETY)

_LBCL = (
    *_changes(
        body_weight=(78.0, "kg", "assumption: older adults with lymphoma", 0.2),
        height=(170.0, "cm", "assumption: typical adult", 0.05),
        tumour_baseline=(
            4e4,
            "cells/uL",
            "assumption: relapsed lymphoma of ~2e11 cells (ZUMA-1 median SPD ~37 cm2, of the order of 200 cm3; about twice the "
            "body's B cells)",
            1.0,
        ),
    ),
    *_reduced_bcells(30.0, "few B cells after rituximab-containing chemotherapy", 1.0),
    *_LYMPHOMA_INFECTIONS,
)

_MM = (
    *_changes(
        body_weight=(80.0, "kg", "assumption: older adults with myeloma", 0.2),
        height=(170.0, "cm", "assumption: typical adult", 0.05),
        tumour_baseline=(
            5e4,
            "cells/uL",
            "assumption: relapsed myeloma of ~2.5e11 cells (a marrow about a third plasma cells, as typical of KarMMa and "
            "CARTITUDE-1 entry; Munshi2021, Berdeja2021)",
            1.0,
        ),
        tumour_growth=(0.01, "1/day", "assumption: relapsed refractory myeloma doubles in about two months", None),
    ),
    Change("tumour_bcma", 1.0, "assumption: myeloma cells carry BCMA and (mostly) no CD19 (Munshi2021)", unit="1"),
    *_reduced_bcells(50.0, "few B cells in relapsed myeloma after anti-CD38 antibodies and chemotherapy", 1.0),
    *_MYELOMA_INFECTIONS,
)

#: The built-in populations, by name (read-only).
POPULATIONS: Mapping[str, Population] = MappingProxyType(
    {
        p.name: p
        for p in (
            Population("healthy", "healthy adults", _ADULT, endpoints=(*_BCELLS, *_SAFETY)),
            Population(
                "sle",
                "refractory systemic lupus erythematosus (Mackensen2022 cohort)",
                (
                    *_WOMEN,
                    *_reduced_bcells(150.0, "B-lymphopenia of active lupus (about half the healthy count)", 0.6),
                    *_AUTOIMMUNE_INFECTIONS,
                ),
                endpoints=_ANTIBODY_DISEASE,
            ),
            Population(
                "ssc",
                "systemic sclerosis",
                (*_WOMEN, *_reduced_bcells(200.0, "mildly reduced B cells", 0.5), *_AUTOIMMUNE_INFECTIONS),
                endpoints=_ANTIBODY_DISEASE,
            ),
            Population(
                "iim",
                "idiopathic inflammatory myopathy",
                (*_WOMEN, *_reduced_bcells(200.0, "mildly reduced B cells", 0.5), *_AUTOIMMUNE_INFECTIONS),
                endpoints=_ANTIBODY_DISEASE,
            ),
            Population(
                "rrms", "relapsing-remitting multiple sclerosis", (*_WOMEN, *_ms("rrms"), *_RMS_INFECTIONS), endpoints=_RELAPSING_MS
            ),
            Population(
                "ppms",
                "primary progressive multiple sclerosis",
                (*_ADULT, *_ms("ppms"), *_PROGRESSIVE_EDSS, *_PMS_INFECTIONS),
                endpoints=_PROGRESSIVE_MS,
            ),
            Population(
                "spms",
                "secondary progressive multiple sclerosis",
                (*_WOMEN, *_ms("spms"), *_PROGRESSIVE_EDSS, *_PMS_INFECTIONS),
                endpoints=_PROGRESSIVE_MS,
            ),
            Population("nmosd", "neuromyelitis optica spectrum disorder (AQP4-IgG positive)", _NMOSD, endpoints=_ATTACKS),
            Population("mg", "generalised myasthenia gravis (AChR antibody positive)", _MG, endpoints=_ANTIBODY_DISEASE),
            Population("lbcl", "relapsed/refractory large B-cell lymphoma (oncology contrast)", _LBCL, endpoints=(*_BCELLS, *_SAFETY)),
            Population(
                "mm", "relapsed/refractory multiple myeloma (oncology contrast for BCMA CAR-T)", _MM, endpoints=(*_BCELLS, *_SAFETY)
            ),
        )
    }
)

#: Names accepted wherever a built-in population is named (targets files, scenarios).
POPULATION_NAMES: tuple[str, ...] = tuple(POPULATIONS)


def builtin_population(name: object, field: str = "population") -> Population:
    """The built-in population ``name``; anything else is an error listing them."""
    if not isinstance(name, str) or name not in POPULATIONS:
        raise InputError(field, name, "one of " + ", ".join(POPULATION_NAMES) + ", a population file or an inline table")
    return POPULATIONS[name]
