r"""Plasma cells and antibodies: plasmablasts, long-lived plasma cells, IgG, autoantibodies.

Short-lived plasmablasts (CD19+, CD20-, BCMA+) come from activated B cells and live days;
long-lived plasma cells (CD19-, CD20-, BCMA+) sit in the marrow (and, in MS, the CNS) for
years and are replenished only slowly. Total IgG comes from both and is cleared with the
FcRn half-life; protective (vaccine) IgG comes from long-lived cells, so a CD19 CAR-T
spares it; pathogenic autoantibody (anti-dsDNA, AQP4-IgG) comes from autoreactive
plasmablasts fed by autoreactive memory B cells, so it falls after B-cell depletion and
stays low while memory rebuilds (hypothesis of the "immune reset"). Intrathecal IgG comes
from CNS plasma cells. Antibody levels are relative to their untreated baseline (1).

.. math::

   \frac{dP}{dt} &= g\, a_M - \delta_P P - (\kappa_{19} + \kappa_{B}) P, \qquad
   \frac{dL}{dt} = \delta_L (a_M f) - \delta_L L - \kappa_B L \\
   \frac{dG}{dt} &= k_G \left(w_L \frac{L}{L_0} + (1 - w_L) \frac{P}{P_0} - G\right), \qquad
   \frac{dV}{dt} = k_G \left(\frac{L}{L_0} - V\right), \qquad
   \frac{dY}{dt} = k_G \left(\frac{P}{P_0} - Y\right) \\
   \frac{dL_N}{dt} &= \delta_{LN} (1 - L_N) - \kappa_{B,N} L_N, \qquad
   \frac{dG_N}{dt} = k_G (L_N - G_N)

where :math:`a_M` is memory B-cell activity (1 untreated), :math:`G, V, Y, G_N` total,
protective, auto- and intrathecal IgG relative to baseline, and :math:`k_G = \ln 2 / t_{1/2}`.

Infection risk is an output: the serious-infection rate rises as total IgG falls below its
lower limit of normal, :math:`r = r_0 \left(1 + a \max(0, 1 - IgG/IgG_{LLN})\right)`.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["plasma_cells"]

plasma_cells = Module(
    name="plasma_cells",
    description="Plasmablasts, long-lived plasma cells (marrow and CNS), total, protective, auto- and intrathecal IgG",
    states=(
        State("plasmablasts", "cells/uL", "plasmablast_baseline", "plasmablasts (CD19+ BCMA+; whole body per uL blood)"),
        State("llpc", "cells/uL", "llpc_baseline", "long-lived plasma cells (CD19- BCMA+; marrow, per uL blood)"),
        State("llpc_cns", "1", "1", "CNS plasma cells relative to baseline"),
        State("igg_total_rel", "1", "1", "total IgG relative to baseline"),
        State("igg_protective_rel", "1", "1", "protective (vaccine) IgG relative to baseline"),
        State("autoantibody_rel", "1", "1", "pathogenic autoantibody relative to baseline"),
        State("igg_intrathecal_rel", "1", "1", "intrathecal IgG relative to baseline"),
    ),
    parameters=(
        Quantity("plasmablast_baseline", "cells/uL", "plasmablasts before treatment (whole body per uL blood)"),
        Quantity("plasmablast_lifespan", "day", "mean lifespan of a plasmablast"),
        Quantity("llpc_baseline", "cells/uL", "long-lived plasma cells before treatment (per uL blood)"),
        Quantity("llpc_half_life", "day", "half-life of long-lived plasma cells"),
        Quantity("llpc_cns_half_life", "day", "half-life of CNS plasma cells"),
        Quantity("igg_half_life", "day", "serum IgG half-life (FcRn recycling)"),
        Quantity("igg_baseline", "g/L", "total IgG before treatment"),
        Quantity("igg_share_llpc", "1", "share of total IgG made by long-lived plasma cells"),
        Quantity("igg_lower_limit", "g/L", "lower limit of normal total IgG"),
        Quantity("infection_rate_baseline", "1/year", "serious-infection rate with normal IgG"),
        Quantity("infection_low_igg_factor", "1", "relative rise of the infection rate as IgG falls from its lower limit to 0"),
    ),
    derived=(
        Expression("plasmablast_loss", "1/plasmablast_lifespan", "1/day"),
        Expression("llpc_loss", "log(2)/llpc_half_life", "1/day"),
        Expression("llpc_cns_loss", "log(2)/llpc_cns_half_life", "1/day"),
        Expression("igg_clearance", "log(2)/igg_half_life", "1/day"),
    ),
    reads=(
        Quantity("memory_bcell_activity", "1", "memory B cells relative to baseline"),
        Quantity("cd19_kill_rate", "1/day", "killing of CD19+ cells", optional=True),
        Quantity("bcma_kill_rate", "1/day", "killing of BCMA+ cells", optional=True),
        Quantity("bcma_kill_rate_cns", "1/day", "killing of BCMA+ cells in the CNS", optional=True),
    ),
    contributes=(
        Expression("cd19_antigen", "plasmablasts", "cells/uL"),
        Expression("bcma_antigen", "plasmablasts + llpc", "cells/uL"),
    ),
    provides=(
        Expression("plasmablast_rel", "plasmablasts/plasmablast_baseline", "1"),
    ),
    rates={
        "plasmablasts": "plasmablast_loss*plasmablast_baseline*memory_bcell_activity - plasmablast_loss*plasmablasts"
        " - (cd19_kill_rate + bcma_kill_rate)*plasmablasts",
        "llpc": "llpc_loss*llpc_baseline*plasmablast_rel - llpc_loss*llpc - bcma_kill_rate*llpc",
        "llpc_cns": "llpc_cns_loss*(1 - llpc_cns) - bcma_kill_rate_cns*llpc_cns",
        "igg_total_rel": "igg_clearance*(igg_share_llpc*llpc/llpc_baseline + (1 - igg_share_llpc)*plasmablast_rel - igg_total_rel)",
        "igg_protective_rel": "igg_clearance*(llpc/llpc_baseline - igg_protective_rel)",
        "autoantibody_rel": "igg_clearance*(plasmablast_rel - autoantibody_rel)",
        "igg_intrathecal_rel": "igg_clearance*(llpc_cns - igg_intrathecal_rel)",
    },
    observables=(
        Expression("igg_total", "igg_baseline*igg_total_rel", "g/L", "total serum IgG"),
        Expression("igg_protective", "igg_protective_rel", "1", "protective (vaccine) IgG relative to baseline"),
        Expression("autoantibody", "autoantibody_rel", "1", "pathogenic autoantibody relative to baseline"),
        Expression("igg_intrathecal", "igg_intrathecal_rel", "1", "intrathecal IgG relative to baseline"),
        Expression("plasmablasts_blood", "plasmablasts", "cells/uL", "plasmablasts (whole body per uL blood)"),
        Expression(
            "serious_infection_rate",
            "infection_rate_baseline*(1 + infection_low_igg_factor*Max(0, 1 - igg_baseline*igg_total_rel/igg_lower_limit))",
            "1/year",
            "serious infections per patient-year",
        ),
    ),
    references=("Mei2015", "Landsverk2017"),
)
