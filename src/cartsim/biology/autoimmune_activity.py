r"""Antibody-mediated autoimmune disease activity (lupus, NMOSD, myasthenia gravis): flares and a clinical score.

A disease drive :math:`D` mixes the pathogenic autoantibody :math:`Y` (the plasma-cell
module's ``autoantibody_level``) and the autoreactive memory B cells :math:`a` (the
B-cell module's ``autoreactive_activity``: antigen presentation, new plasmablast bursts) in
disease-specific weights, and clinical activity follows it with a lag :math:`\tau_D` (organ
injury heals over weeks):

.. math::

   \frac{dD}{dt} &= \frac{w_Y Y + (1 - w_Y)\, a - D}{\tau_D}, \qquad D(0) = 1 \\
   \lambda &= \lambda_0 \bigl[1 - w_B (1 - D)\bigr], \qquad \frac{dH_F}{dt} = \lambda, \qquad H_F(0) = 0 \\
   S &= S_0 \bigl[1 - w_S (1 - D)\bigr]

:math:`\lambda_0` is the untreated flare (attack, exacerbation) rate, :math:`w_B` the share of
it that the drive carries (the rest occurs whatever the B-cell lineage does), :math:`H_F` the
expected number of flares since day 0 (endpoints draw them per patient), and :math:`S` a
clinical score (MG-ADL in myasthenia; SLEDAI-like points in lupus) with baseline
:math:`S_0` and a share :math:`w_S` carried by the drive. The weights are the population's:
attacks of NMOSD need AQP4-IgG *and* B-cell help (rituximab prevents most attacks although
AQP4-IgG persists), lupus activity follows autoantibodies and the clones that make them.
Each line is a modelling hypothesis; values and sources are in :mod:`cartsim.parameters`.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State

__all__ = ["autoimmune_activity"]

_FLARE_RATE = "flare_rate_untreated*(1 - flare_bcell_share*(1 - autoimmune_drive))"

autoimmune_activity = Module(
    name="autoimmune_activity",
    description="Antibody-mediated autoimmune disease (lupus, NMOSD, myasthenia): flare hazard and clinical score",
    states=(
        State("autoimmune_drive", "1", "1", "disease drive (autoantibody and autoreactive memory) relative to untreated"),
        State("flare_hazard", "1", "0", "expected flares since day 0"),
    ),
    parameters=(
        Quantity("flare_rate_untreated", "1/day", "untreated flare (attack, exacerbation) rate"),
        Quantity("flare_bcell_share", "1", "share of the flare rate carried by the autoantibody and autoreactive memory"),
        Quantity("drive_antibody_share", "1", "weight of the autoantibody (vs autoreactive memory B cells) in the drive"),
        Quantity("drive_delay", "day", "time for clinical activity to follow the drive"),
        Quantity("disease_score_baseline", "1", "clinical score before treatment (points)"),
        Quantity("disease_score_bcell_share", "1", "share of the clinical score carried by the drive"),
    ),
    reads=(
        Quantity("autoantibody_level", "1", "pathogenic autoantibody relative to baseline"),
        Quantity("autoreactive_activity", "1", "autoreactive memory B cells relative to baseline"),
    ),
    rates={
        "autoimmune_drive": "(drive_antibody_share*autoantibody_level + (1 - drive_antibody_share)*autoreactive_activity"
        " - autoimmune_drive)/drive_delay",
        "flare_hazard": _FLARE_RATE,
    },
    observables=(
        Expression("flare_cumulative_hazard", "flare_hazard", "1", "expected flares since day 0"),
        Expression(
            "disease_score",
            "disease_score_baseline*(1 - disease_score_bcell_share*(1 - autoimmune_drive))",
            "1",
            "clinical score (points)",
        ),
    ),
    references=(),
)
