r"""Serious infections: a hazard raised by what the treatments take away from host defence.

The serious-infection rate (infections needing hospital care or intravenous antibiotics) of a
population without the treatment's effects is :math:`\lambda_0`; each defect the treatments
cause adds a relative risk (each a modelling hypothesis with its own source):

.. math::

   \lambda &= \lambda_0 \left(1 + a_N\, n + a_G\, g + a_T\, t + a_B\, b\right), \qquad
   \frac{dH_{inf}}{dt} = \lambda, \quad H_{inf}(0) = 0

with :math:`n` the depth of severe neutropenia (:math:`\max(0, 1 - ANC/500)`, from the
neutrophil module), :math:`g = \max(0, 1 - IgG/IgG_{LLN})` the IgG deficit below the lower
limit of normal (plasma-cell module), :math:`t` the host T-cell deficit after lymphodepletion
and :math:`b` the B-cell deficit (anti-CD20, CAR-T). Every read is optional: a model without
the module that causes a defect has none. :math:`H_{inf}` is the expected number of serious
infections since day 0; endpoints draw the infections per patient from it.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["infections"]

_RATE = (
    "infection_rate_baseline*(1 + infection_neutropenia_factor*neutropenia + infection_low_igg_factor*igg_deficit"
    " + infection_lymphopenia_factor*t_cell_deficit + infection_bcell_factor*bcell_deficit)"
)

infections = Module(
    name="infections",
    description="Serious-infection hazard from neutropenia, low IgG, T-cell and B-cell depletion",
    states=(State("infection_hazard", "1", "0", "expected serious infections since day 0"),),
    parameters=(
        Quantity("infection_rate_baseline", "1/day", "serious-infection rate of the population without treatment effects"),
        Quantity("infection_neutropenia_factor", "1", "relative rise of the infection rate during severe neutropenia"),
        Quantity("infection_low_igg_factor", "1", "relative rise of the infection rate as IgG falls from its lower limit to 0"),
        Quantity("infection_lymphopenia_factor", "1", "relative rise of the infection rate with host T cells fully depleted"),
        Quantity("infection_bcell_factor", "1", "relative rise of the infection rate with B cells fully depleted"),
    ),
    reads=(
        Quantity("neutropenia", "1", "depth of severe neutropenia (0 at or above 500 cells/uL)", optional=True),
        Quantity("igg_deficit", "1", "IgG deficit below the lower limit of normal", optional=True),
        Quantity("t_cell_deficit", "1", "host T-cell deficit", optional=True),
        Quantity("bcell_deficit", "1", "B-cell deficit", optional=True),
    ),
    rates={"infection_hazard": _RATE},
    observables=(
        Expression("infection_cumulative_hazard", "infection_hazard", "1", "expected serious infections since day 0"),
        Expression("serious_infection_rate", _RATE, "1/day", "serious-infection rate at this moment"),
    ),
    references=("Baird2021",),
)
