r"""Plasma cells and antibodies: plasmablasts, CD19+ and CD19- marrow plasma cells, IgG, autoantibodies.

Three antibody-secreting pools, as in the multilayer model of plasma-cell memory (Mei2015):

- short-lived **plasmablasts** :math:`P` (CD19+, BCMA+) come from activated memory B cells and
  live days;
- **CD19+ marrow plasma cells** :math:`Q` (the "dynamic" layer) are fed by plasmablasts and turn
  over in years, so they fade while B cells are depleted, and a CD19 CAR-T kills them;
- **CD19- long-lived plasma cells** :math:`L` (the "static" layer, marrow niches) survive
  for decades independently of new B cells (Landsverk2017, Amanna2007), resist anti-CD20
  therapy and CD19 CAR-T, and are killed only through BCMA.

Total IgG :math:`G` is made by the three pools in the shares :math:`s_P, s_Q, 1 - s_P - s_Q`
and cleared by the neonatal Fc receptor's saturable salvage (Kim2007): the fractional
catabolic rate :math:`\phi(C) = k_{int} - J_{max}/(K_m + C)` rises with the IgG concentration
:math:`C`, so a fall in production lowers IgG less than in proportion (its half-life
lengthens as it falls). The serum half-life at the patient's own baseline is
:math:`t_{1/2}`; every IgG species shares the total-IgG clearance. Protective (vaccine,
pathogen) IgG comes from CD19- long-lived cells. The pathogenic autoantibody comes from
the autoreactive lineage: autoreactive plasmablasts :math:`P_a` fed by the autoreactive
memory clones (:math:`a`, the B-cell module's ``autoreactive_activity``), and the CD19+ and
CD19- plasma cells they feed (:math:`Q_a, L_a`), in disease-specific shares (anti-dsDNA
falls after CD19 CAR-T but persists under rituximab; AQP4-IgG persists under rituximab).
Intrathecal IgG comes from CNS plasma cells. Antibody levels are relative to their
untreated baseline (1).

.. math::

   \frac{dP}{dt} &= \delta_P (P_0 a_M - P) - (\kappa_{19} + \kappa_{B}) P, \qquad
   \frac{dQ}{dt} = \delta_Q \left(Q_0 \frac{P}{P_0} - Q\right) - (\kappa_{19} + \kappa_{B}) Q, \qquad
   \frac{dL}{dt} = \delta_L \left(L_0 \frac{P}{P_0} - L\right) - \kappa_B L \\
   k(G) &= k_G \frac{\phi(G_0 G)}{\phi(G_0)}, \qquad
   \frac{dG}{dt} = k_G \left(s_P \frac{P}{P_0} + s_Q \frac{Q}{Q_0} + (1 - s_P - s_Q)\frac{L}{L_0}\right) - k(G)\, G \\
   \frac{dP_a}{dt} &= \delta_P (a - P_a) - (\kappa_{19} + \kappa_B) P_a, \quad
   \frac{dQ_a}{dt} = \delta_Q (P_a - Q_a) - (\kappa_{19} + \kappa_B) Q_a, \quad
   \frac{dL_a}{dt} = \delta_L (P_a - L_a) - \kappa_B L_a \\
   \frac{dV}{dt} &= k_G \frac{L}{L_0} - k(G) V, \qquad
   \frac{dY}{dt} = k_G \bigl((1 - y_Q - y_L) P_a + y_Q Q_a + y_L L_a\bigr) - k(G) Y, \qquad
   \frac{dL_N}{dt} = \delta_{LN} (1 - L_N) - \kappa_{B,N} L_N, \qquad
   \frac{dG_N}{dt} = k_G (L_N - G_N)

where :math:`a_M` is memory B-cell activity (1 untreated), :math:`G_0` the patient's baseline
IgG (g/L), :math:`G, V, Y, G_N` total, protective, auto- and intrathecal IgG relative to
baseline, and :math:`k_G = \ln 2 / t_{1/2}`.

The IgG deficit below the lower limit of normal, :math:`\max(0, 1 - IgG/IgG_{LLN})`, is
provided to the infection module.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["plasma_cells"]

_FCR = "(igg_intrinsic_catabolism - igg_fcrn_capacity/(igg_fcrn_km + {c}))"
#: IgG clearance relative to its value at the patient's baseline (FcRn salvage saturates as IgG rises).
_RELATIVE_CLEARANCE = f"{_FCR.format(c='igg_baseline*igg_total_rel')}/{_FCR.format(c='igg_baseline')}"

plasma_cells = Module(
    name="plasma_cells",
    description="Plasmablasts, CD19+ and CD19- marrow plasma cells, CNS plasma cells; total, protective, auto- and intrathecal IgG",
    states=(
        State("plasmablasts", "cells/uL", "plasmablast_baseline", "plasmablasts (CD19+ BCMA+; whole body per uL blood)"),
        State("pc_cd19", "cells/uL", "pc_cd19_baseline", "CD19+ marrow plasma cells, fed by plasmablasts (per uL blood)"),
        State("llpc", "cells/uL", "llpc_baseline", "CD19- long-lived plasma cells (marrow niches, per uL blood)"),
        State("llpc_cns", "1", "1", "CNS plasma cells relative to baseline"),
        State("igg_total_rel", "1", "1", "total IgG relative to baseline"),
        State("igg_protective_rel", "1", "1", "protective (vaccine) IgG relative to baseline"),
        State("pb_auto", "1", "1", "autoreactive plasmablasts relative to baseline"),
        State("pc_cd19_auto", "1", "1", "autoreactive CD19+ plasma cells relative to baseline"),
        State("llpc_auto", "1", "1", "autoreactive CD19- long-lived plasma cells relative to baseline"),
        State("autoantibody_rel", "1", "1", "pathogenic autoantibody relative to baseline"),
        State("igg_intrathecal_rel", "1", "1", "intrathecal IgG relative to baseline"),
    ),
    parameters=(
        Quantity("plasmablast_baseline", "cells/uL", "plasmablasts before treatment (whole body per uL blood)"),
        Quantity("plasmablast_lifespan", "day", "mean lifespan of a plasmablast"),
        Quantity("pc_cd19_baseline", "cells/uL", "CD19+ marrow plasma cells before treatment (per uL blood)"),
        Quantity("pc_cd19_half_life", "day", "half-life of CD19+ marrow plasma cells"),
        Quantity("llpc_baseline", "cells/uL", "CD19- long-lived plasma cells before treatment (per uL blood)"),
        Quantity("llpc_half_life", "day", "half-life of CD19- long-lived plasma cells"),
        Quantity("llpc_cns_half_life", "day", "half-life of CNS plasma cells"),
        Quantity("igg_half_life", "day", "serum IgG half-life at the patient's baseline IgG"),
        Quantity("igg_baseline", "g/L", "total IgG before treatment"),
        Quantity("igg_share_plasmablast", "1", "share of total IgG made by plasmablasts"),
        Quantity("igg_share_pc_cd19", "1", "share of total IgG made by CD19+ marrow plasma cells"),
        Quantity("igg_intrinsic_catabolism", "1/day", "fractional uptake of IgG into the endosomes (before FcRn salvage)"),
        Quantity("igg_fcrn_capacity", "g/L/day", "maximal FcRn salvage of IgG, per litre of plasma"),
        Quantity("igg_fcrn_km", "g/L", "IgG concentration of half-maximal FcRn salvage"),
        Quantity("igg_lower_limit", "g/L", "lower limit of normal total IgG"),
        Quantity("cns_plasma_cell_count", "cells/uL", "CNS plasma cells that CSF CAR T cells meet before treatment (per uL CSF)"),
        Quantity("autoantibody_share_pc_cd19", "1", "share of the autoantibody made by CD19+ plasma cells"),
        Quantity("autoantibody_share_llpc", "1", "share of the autoantibody made by CD19- long-lived plasma cells"),
    ),
    derived=(
        Expression("plasmablast_loss", "1/plasmablast_lifespan", "1/day"),
        Expression("pc_cd19_loss", "log(2)/pc_cd19_half_life", "1/day"),
        Expression("llpc_loss", "log(2)/llpc_half_life", "1/day"),
        Expression("llpc_cns_loss", "log(2)/llpc_cns_half_life", "1/day"),
        Expression("igg_clearance", "log(2)/igg_half_life", "1/day"),
        Expression(
            "igg_share_llpc",
            "Max(0, 1 - igg_share_plasmablast - igg_share_pc_cd19)",
            "1",
            "share of total IgG made by CD19- long-lived plasma cells",
        ),
    ),
    reads=(
        Quantity("memory_bcell_activity", "1", "memory B cells relative to baseline"),
        Quantity("autoreactive_activity", "1", "autoreactive memory B cells relative to baseline"),
        Quantity("cd19_kill_rate", "1/day", "killing of CD19+ cells", optional=True),
        Quantity("bcma_kill_rate", "1/day", "killing of BCMA+ cells", optional=True),
        Quantity("bcma_kill_rate_cns", "1/day", "killing of BCMA+ cells in the CNS", optional=True),
    ),
    contributes=(
        Expression("cd19_antigen", "plasmablasts + pc_cd19", "cells/uL"),
        Expression("bcma_antigen", "plasmablasts + pc_cd19 + llpc", "cells/uL"),
        Expression("bcma_antigen_cns", "cns_plasma_cell_count*llpc_cns", "cells/uL", "CNS plasma cells (per uL CSF)"),
    ),
    provides=(
        Expression("plasmablast_rel", "plasmablasts/plasmablast_baseline", "1"),
        Expression("autoantibody_level", "autoantibody_rel", "1", "pathogenic autoantibody relative to baseline"),
        Expression(
            "igg_deficit",
            "Max(0, 1 - igg_baseline*igg_total_rel/igg_lower_limit)",
            "1",
            "total IgG deficit below the lower limit of normal (0 at or above it, 1 at no IgG)",
        ),
        Expression(
            "igg_relative_clearance", _RELATIVE_CLEARANCE, "1", "IgG clearance relative to the patient's baseline (FcRn salvage, Kim2007)"
        ),
    ),
    rates={
        "plasmablasts": "plasmablast_loss*plasmablast_baseline*memory_bcell_activity - plasmablast_loss*plasmablasts"
        " - (cd19_kill_rate + bcma_kill_rate)*plasmablasts",
        "pc_cd19": "pc_cd19_loss*(pc_cd19_baseline*plasmablast_rel - pc_cd19) - (cd19_kill_rate + bcma_kill_rate)*pc_cd19",
        "llpc": "llpc_loss*(llpc_baseline*plasmablast_rel - llpc) - bcma_kill_rate*llpc",
        "llpc_cns": "llpc_cns_loss*(1 - llpc_cns) - bcma_kill_rate_cns*llpc_cns",
        "igg_total_rel": "igg_clearance*(igg_share_plasmablast*plasmablast_rel + igg_share_pc_cd19*pc_cd19/pc_cd19_baseline"
        " + igg_share_llpc*llpc/llpc_baseline - igg_relative_clearance*igg_total_rel)",
        "igg_protective_rel": "igg_clearance*(llpc/llpc_baseline - igg_relative_clearance*igg_protective_rel)",
        "pb_auto": "plasmablast_loss*(autoreactive_activity - pb_auto) - (cd19_kill_rate + bcma_kill_rate)*pb_auto",
        "pc_cd19_auto": "pc_cd19_loss*(pb_auto - pc_cd19_auto) - (cd19_kill_rate + bcma_kill_rate)*pc_cd19_auto",
        "llpc_auto": "llpc_loss*(pb_auto - llpc_auto) - bcma_kill_rate*llpc_auto",
        "autoantibody_rel": "igg_clearance*((1 - autoantibody_share_pc_cd19 - autoantibody_share_llpc)*pb_auto"
        " + autoantibody_share_pc_cd19*pc_cd19_auto + autoantibody_share_llpc*llpc_auto - igg_relative_clearance*autoantibody_rel)",
        "igg_intrathecal_rel": "igg_clearance*(llpc_cns - igg_intrathecal_rel)",
    },
    observables=(
        Expression("igg_total", "igg_baseline*igg_total_rel", "g/L", "total serum IgG"),
        Expression("igg_protective", "igg_protective_rel", "1", "protective (vaccine) IgG relative to baseline"),
        Expression("autoantibody", "autoantibody_rel", "1", "pathogenic autoantibody relative to baseline"),
        Expression("igg_intrathecal", "igg_intrathecal_rel", "1", "intrathecal IgG relative to baseline"),
        Expression("plasmablasts_blood", "plasmablasts", "cells/uL", "plasmablasts (whole body per uL blood)"),
        Expression("plasma_cells_cd19", "pc_cd19", "cells/uL", "CD19+ marrow plasma cells (per uL blood)"),
        Expression("plasma_cells_long_lived", "llpc", "cells/uL", "CD19- long-lived plasma cells (per uL blood)"),
    ),
    references=("Mei2015", "Landsverk2017", "Amanna2007", "Kim2007"),
)
