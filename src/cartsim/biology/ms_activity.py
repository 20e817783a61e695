r"""Multiple sclerosis disease activity: relapse and disability-progression hazards.

The module turns B-cell activity into the *cumulative hazards* of the two clinical events
of MS trials. It draws no events itself: the endpoint code draws them per patient from
these hazards, so one solve serves any number of event draws.

Structure (each line is a modelling hypothesis, not an established fact):

1. **Focal inflammation follows the autoreactive memory B cells of the periphery, with a
   lag.** New focal lesions (and the relapses they cause) need autoreactive memory B cells
   to activate T cells in the periphery; anti-CD20 and CD19 CAR T cells act on MS activity
   only by removing these cells, and how soon the disease returns depends on how these
   clones come back (the reset hypothesis of the B-cell module). The lesions already
   forming when B cells go fade over about three weeks, the time a new lesion enhances with
   gadolinium, so focal activity :math:`F` follows the autoreactive memory activity
   :math:`a` (1 untreated, 0 when depleted) with a first-order lag :math:`\tau_F`.
2. **Only part of the relapse rate is B-cell dependent.** A share :math:`w_B` of relapses
   needs B cells; the rest (T-cell driven relapses, pseudo-relapses counted as relapses in
   trials) does not. Gadolinium-enhancing lesions are almost entirely B-cell dependent
   (share :math:`w_G`): ocrelizumab abolishes them but halves relapses.
3. **Interferon beta acts on focal inflammation, not on B cells** (relative reductions
   :math:`e_I` of relapses and :math:`e_G` of enhancing lesions while
   :math:`I = 1`, the parameter ``interferon_on`` set by the therapy).
4. **Disability worsens in two ways.** Relapse-associated worsening (RAW): each relapse
   leaves a 12-week confirmed worsening with probability :math:`p_R`. Progression
   independent of relapse activity (PIRA) at a rate :math:`\pi_0` specific to the MS type;
   a share :math:`w_P` of its drive is peripheral (removed with memory B cells), a share
   :math:`w_C` comes from B cells compartmentalised in the CNS (:math:`C`, as the B-cell
   module depletes them: through antibody or CAR T cells in the CSF and the loss of
   seeding from the periphery), and the rest is B-cell independent neurodegeneration
   (microglia, axonal loss). A small B-cell dependent share :math:`w_P + w_C` is why
   ocrelizumab slows progression in PPMS only modestly.

.. math::

   \frac{dF}{dt} &= \frac{a - F}{\tau_F}, \qquad F(0) = 1 \\
   \lambda &= \lambda_0 \,\bigl[1 - w_B (1 - F)\bigr]\,(1 - e_I I) \\
   \pi &= \pi_0 \,\bigl[1 - w_P (1 - F) - w_C (1 - C)\bigr] \\
   \frac{dH_R}{dt} &= \lambda, \qquad \frac{dH_P}{dt} = \pi + p_R\, \lambda, \qquad \frac{dH_I}{dt} = \pi,
       \qquad H_R(0) = H_P(0) = H_I(0) = 0 \\
   G &= g_0 \,\bigl[1 - w_G (1 - F)\bigr]\,(1 - e_G I), \qquad T_2 = G / \tau_F

:math:`H_R` is the expected number of relapses since day 0 and :math:`H_P` the cumulative
hazard of 12-week confirmed disability progression: an endpoint draws
:math:`E \sim \mathrm{Exp}(1)`, the event time solves :math:`H_P(t) = E`, and the
progression counts when :math:`t + 84` days is on or before the confirmation day. Hence the
expected annualised relapse rate over :math:`[t_0, t_1]` is
:math:`(H_R(t_1) - H_R(t_0)) / (t_1 - t_0)` and the probability of 12-week confirmed
progression by day :math:`T` is :math:`1 - e^{-H_P(T - 84)}`. :math:`G` is the expected
number of gadolinium-enhancing (Gd+) lesions on a T1 scan and, as each enhances for about
:math:`\tau_F`, :math:`T_2` the rate of new T2 lesions. :math:`H_I` is the PIRA part of the
progression hazard. A share :math:`c_{24}` of 12-week confirmed progressions is still
confirmed at 24 weeks (calibrated to OPERA and ORATORIO), and each confirmed progression
moves the EDSS by a step :math:`\Delta` (1.0 point from a low score, 0.5 from a high one).

Reads: ``autoreactive_activity`` (:math:`a`) and ``cns_bcell_activity`` (:math:`C`),
each relative to the untreated baseline (1 untreated, 0 depleted); the B-cell lineage
provides both. Neither read is optional: an absent optional read is zero, which here would
mean "all B cells gone" and silently cure MS, so a model without a provider must fail to
build instead. (A module could read a *depletion* :math:`1 - C` to make absence mean "no
change"; since the lineage module provides the activity, requiring it is simpler.)

References: OPERA I/II (Hauser2017), ORATORIO (Montalban2017), PIRA/RAW split
(Kappos2020), interferon effects (PRISMS1998, DeStefano2010). Parameter sources are in
:mod:`cartsim.parameters.MSActivity`.
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity, State, Therapy

__all__ = ["ms_activity"]

# Each factor is a relative change of an untreated rate, so treatments combine multiplicatively
# and an untreated patient (activities 1, no interferon) keeps the calibrated rates exactly.
_RELAPSE_RATE = "ms_relapse_rate*(1 - ms_relapse_bcell_share*(1 - ms_focal_activity))*(1 - ms_interferon_relapse_reduction*interferon_on)"
_PIRA_RATE = "ms_pira_rate*(1 - ms_pira_peripheral_share*(1 - ms_focal_activity) - ms_pira_cns_share*(1 - cns_bcell_activity))"
_GD_LESIONS = "ms_gd_lesions_untreated*(1 - ms_gd_bcell_share*(1 - ms_focal_activity))*(1 - ms_interferon_gd_reduction*interferon_on)"

ms_activity = Module(
    name="ms_activity",
    description="MS relapse and disability-progression hazards driven by memory and CNS B-cell activity",
    states=(
        # Starts untreated (1): initial values may use parameters only, so a patient already
        # depleted at day 0 (a switch from anti-CD20) needs a lead-in before day 0.
        State("ms_focal_activity", "1", "1", "focal (lesion-forming) inflammatory activity relative to untreated"),
        State("ms_relapse_hazard", "1", "0", "expected relapses since day 0"),
        State("ms_progression_hazard", "1", "0", "cumulative hazard of 12-week confirmed disability progression"),
        State("ms_pira_hazard", "1", "0", "cumulative hazard of progression independent of relapse activity"),
    ),
    parameters=(
        Quantity("ms_relapse_rate", "1/day", "untreated relapse rate"),
        Quantity("ms_relapse_bcell_share", "1", "share of the relapse rate that needs memory B cells"),
        Quantity("ms_interferon_relapse_reduction", "1", "relative reduction of relapses by interferon beta-1a"),
        Quantity("interferon_on", "1", "1 while the patient takes interferon beta-1a, else 0"),
        Quantity("ms_focal_activity_delay", "day", "time for focal activity to follow memory B-cell activity"),
        Quantity("ms_pira_rate", "1/day", "untreated hazard of progression independent of relapse activity"),
        Quantity("ms_pira_peripheral_share", "1", "share of the PIRA drive removed with peripheral memory B cells"),
        Quantity("ms_pira_cns_share", "1", "share of the PIRA drive from B cells compartmentalised in the CNS"),
        Quantity("ms_raw_probability", "1", "probability that a relapse leaves 12-week confirmed worsening"),
        Quantity("ms_gd_lesions_untreated", "1", "Gd+ lesions per T1 scan, untreated"),
        Quantity("ms_gd_bcell_share", "1", "share of Gd+ lesion activity that needs memory B cells"),
        Quantity("ms_interferon_gd_reduction", "1", "relative reduction of Gd+ lesions by interferon beta-1a"),
        Quantity("ms_cdp24_share", "1", "share of 12-week confirmed progressions still confirmed at 24 weeks"),
        Quantity("ms_edss_step", "1", "EDSS points of one confirmed progression"),
    ),
    reads=(
        Quantity("autoreactive_activity", "1", "autoreactive memory B cells relative to the untreated baseline"),
        Quantity("cns_bcell_activity", "1", "CNS B cells relative to the untreated baseline"),
    ),
    rates={
        # The lag makes focal activity, and with it relapses, fade as existing lesions resolve.
        "ms_focal_activity": "(autoreactive_activity - ms_focal_activity)/ms_focal_activity_delay",
        "ms_relapse_hazard": _RELAPSE_RATE,
        # RAW: every expected relapse adds its chance of confirmed worsening to the progression hazard.
        "ms_progression_hazard": f"{_PIRA_RATE} + ms_raw_probability*{_RELAPSE_RATE}",
        "ms_pira_hazard": _PIRA_RATE,
    },
    observables=(
        Expression("relapse_cumulative_hazard", "ms_relapse_hazard", "1", "expected relapses since day 0"),
        Expression(
            "progression_cumulative_hazard",
            "ms_progression_hazard",
            "1",
            "cumulative hazard of 12-week confirmed disability progression since day 0",
        ),
        Expression(
            "gd_lesion_rate",
            _GD_LESIONS,
            "1",
            "expected gadolinium-enhancing lesions per T1 scan",
        ),
        Expression("new_t2_lesion_rate", f"({_GD_LESIONS})/ms_focal_activity_delay", "1/day", "expected new T2 lesions per day"),
        Expression("pira_cumulative_hazard", "ms_pira_hazard", "1", "cumulative hazard of PIRA since day 0"),
        Expression(
            "progression24_cumulative_hazard",
            "ms_cdp24_share*ms_progression_hazard",
            "1",
            "cumulative hazard of 24-week confirmed disability progression since day 0",
        ),
        Expression("edss_step", "ms_edss_step", "1", "EDSS points of one confirmed progression"),
    ),
    therapies=(
        Therapy(
            "interferon-beta-1a",
            "interferon beta-1a, modelled as a continuous therapy from day 0",
            "immunomodulator",
            switches={"interferon_on": 1.0},
            from_day_zero=True,
        ),
    ),
    references=("Hauser2017", "Montalban2017", "Kappos2020"),
)
