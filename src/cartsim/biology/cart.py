r"""CAR T cells: an antigen-triggered division programme, memory, exhaustion, killing, CNS.

Structure after Stein et al. (2019) and Mueller-Schoell et al. (2021), with the expansion
phase as a *division programme*: a T cell that meets its antigen (CD19 or BCMA, set by the
product's flags) divides a set number of times whether or not the antigen stays (Kaech &
Ahmed 2001), and how many times adds up from its inputs: costimulation and cytokines each
add divisions (Marchingo et al. 2014). Only a fraction :math:`f_E` of the infused cells
(the less-differentiated, memory-like share of a product, Fraietta et al. 2018) can run the
programme; the rest (terminally differentiated cells) die once activated, which is why
blood CAR T cells fall in the first days before they expand. So the expansion depends on the
antigen being met, not on how much antigen there is: similar after CD19 CAR-T in lupus and in
lymphoma (as observed, Mueller2025), and proportional to the cells that engraft, hence to
the dose.

.. math::

   A &= \chi_{19} A_{19} + \chi_{B} A_{BCMA}, \qquad S = \frac{f_b A}{K_A + f_b A},
   \qquad g = \frac{c_0 + H}{c_0 + H_{ref}}, \qquad Y = 2^{D g m_D / n}, \qquad r = \frac{n}{D\, t_d} \\
   \frac{dI}{dt} &= -k_{on} S I - \alpha I - \kappa I + u_{CAR} \\
   \frac{dP_1}{dt} &= f_E k_{on} S I - r P_1 - \kappa P_1, \qquad
   \frac{dP_j}{dt} = Y r P_{j-1} - r P_j - \kappa P_j \quad (j = 2..n) \;\bigl[+ k_{act} S M \text{ for } j = 3\bigr] \\
   \frac{dE}{dt} &= Y r P_n - \alpha E - k_{ex} S E - \kappa E \\
   \frac{dM}{dt} &= k_{EM} (E + I) - \beta M - k_{act} S M - \kappa M \\
   \frac{dX}{dt} &= k_{ex} S E - \delta_X X - \kappa X \\
   \frac{dC}{dt} &= k_{in} f_b (E + M) - k_{out} C + \rho\, S_N C \frac{C}{C + C_1}, \qquad S_N = \frac{A_N}{K_A + A_N}

:math:`\kappa = \kappa_{LD} + \kappa_{rej}` is what the host does to the CAR T cells:
lymphodepleting chemotherapy and immunity against the CAR (read from the anti-CAR module).
:math:`I` are the infused cells before they meet antigen, :math:`P_1..P_n` (:math:`n = 8`)
the stages of the programme, each a multiplication by :math:`Y` (so a cell that completes it
has made :math:`D g m_D` divisions), :math:`E` the effectors it leaves. The programme lasts
:math:`D t_d` days whatever its yield: :math:`D` divisions (Stein's fold expansion 3,900 is
:math:`2^{11.93}`) at the doubling time :math:`t_d` measured in patients after standard
lymphodepletion, where the cytokine support :math:`g` is 1 by definition; deeper
lymphodepletion (homeostatic drive :math:`H`) adds divisions, none removes most of them.
:math:`m_D` is the CD28 factor on the divisions. Memory cells that meet antigen again re-enter
the programme at its third stage (a recall burst of three quarters of the divisions), so
returning B cells re-expand the CAR T cells that are left while cytokine support lasts, and
no longer once host T cells have recovered (the loop's gain :math:`F_B Y^{3n/4}` falls below
one). :math:`\alpha, \beta` are Stein's decline rates (times :math:`m_\alpha, m_\beta` for CD28 products),
:math:`k_{EM} = F_B m_M \alpha` (:math:`m_M` for CD28 products, which form less central
memory than 4-1BB ones). Activated cells kill: each antigen-positive cell dies at
:math:`k (P + E) / (1 + A/A_{sat})`, with :math:`P` all stages of the programme; an effector
kills a limited number of targets a day, so a bulky tumour is cleared over weeks; the cells
killed per day, :math:`k (P + E) A / (1 + A/A_{sat})`, times the product's cytokine output (:math:`m_c`
for CD28 products, whose signalling releases more cytokines), is what the cytokine module
reads.

A small share of circulating cells enters the cerebrospinal fluid (hypothesis
``cns-cart-entry``: rate an assumption) and proliferates there (rate
:math:`\rho = \ln 2 / t_d + \alpha + k_{ex}`) on the CD19+ or BCMA+ cells of the CNS it meets;
:math:`C_1` is one cell in the CSF. Cell pools are whole-body amounts per microlitre of
blood; a fraction :math:`f_b` circulates.
"""

from __future__ import annotations

from cartsim.biology.products import products_for
from cartsim.model import Administration, Choice, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["cart_kinetics"]

#: The co-stimulatory domain: CD28 products expand faster and persist shorter than 4-1BB ones.
_COSTIM = Choice("costim", "co-stimulatory domain", {"4-1bb": {"cart_costim_cd28": 0.0}, "cd28": {"cart_costim_cd28": 1.0}})
#: What this module does with a CAR-T given without lymphodepletion (the warning says it).
_WITHOUT_LYMPHODEPLETION = (
    "without the homeostatic cytokines that lymphodepletion leaves, the infused cells make fewer divisions and "
    "expand far less (trials give fludarabine and cyclophosphamide first)"
)
#: Stages of the division programme: eight keep its growth smooth enough that blood CAR T cells
#: double at the rate measured in patients over days 2-6 (with four it was too stepwise).
_STAGES = 8
#: Memory cells that meet antigen again re-enter the programme here (its last three quarters: a recall burst).
_RECALL_STAGE = _STAGES // 4 + 1
_DIVIDING = tuple(f"cart_dividing_{j}" for j in range(1, _STAGES + 1))
_ARMED = "(" + " + ".join(_DIVIDING) + " + cart_effector)"
_ALL = "(cart_infused + " + " + ".join(_DIVIDING) + " + cart_effector + cart_memory + cart_exhausted)"


def _stage_rate(j: int) -> str:
    """Rate of change of the programme's stage j (1-based)."""
    inflow = (
        "cart_engraftment*cart_activation_rate*cart_stimulation*cart_infused"
        if j == 1
        else f"cart_stage_yield*cart_stage_rate*{_DIVIDING[j - 2]}"
    )
    recall = " + cart_memory_activation*cart_stimulation*cart_memory" if j == _RECALL_STAGE else ""
    return f"{inflow}{recall} - cart_stage_rate*{_DIVIDING[j - 1]} - cart_host_kill*{_DIVIDING[j - 1]}"


cart_kinetics = Module(
    name="cart_kinetics",
    description="CAR T cells (CD19 or BCMA, CD28 or 4-1BB): division programme, memory, exhaustion, killing, CNS",
    states=(
        State("cart_infused", "cells/uL", "0", "infused CAR T cells that have not met their antigen (whole body, per uL blood)"),
        *(
            State(name, "cells/uL", "0", f"CAR T cells in stage {j} of {_STAGES} of the division programme (whole body, per uL blood)")
            for j, name in enumerate(_DIVIDING, start=1)
        ),
        State("cart_effector", "cells/uL", "0", "effector CAR T cells (whole body, per uL blood)"),
        State("cart_memory", "cells/uL", "0", "memory CAR T cells (whole body, per uL blood)"),
        State("cart_exhausted", "cells/uL", "0", "exhausted CAR T cells (whole body, per uL blood)"),
        State("cart_csf", "cells/uL", "0", "CAR T cells in cerebrospinal fluid (per uL CSF)"),
    ),
    parameters=(
        Quantity("cart_doubling_time", "day", "doubling time of CAR T cells during expansion"),
        Quantity("cart_divisions", "1", "divisions of the programme after standard lymphodepletion (D)"),
        Quantity("cart_engraftment", "1", "share of infused cells that can run the division programme"),
        Quantity("cart_activation_rate", "1/day", "rate at which infused cells meet their antigen under full stimulation"),
        Quantity("cart_alpha", "1/day", "initial (effector) decline rate after the peak"),
        Quantity("cart_beta", "1/day", "terminal (memory) decline rate"),
        Quantity("cart_fb", "1", "fraction of the peak entering the slow (memory) phase"),
        Quantity("cart_antigen_half_saturation", "cells/uL", "antigen level giving half-maximal stimulation"),
        Quantity("cart_memory_activation", "1/day", "rate at which antigen re-activates memory cells"),
        Quantity("cart_exhaustion", "1/day", "rate of exhaustion of effectors under full stimulation"),
        Quantity("cart_exhausted_death", "1/day", "death rate of exhausted CAR T cells"),
        Quantity("cart_kill_rate", "uL/cells/day", "second-order rate of killing of antigen-positive cells by effectors"),
        Quantity("cart_kill_saturation", "cells/uL", "antigen level at which each effector's killing capacity is half used"),
        Quantity("cart_blood_fraction", "1", "fraction of body CAR T cells circulating in blood"),
        Quantity("cart_extinction_cells", "cells", "pool size below which CAR T cells in the CSF cannot expand (about one cell)"),
        Quantity("cart_cytokine_independence", "1", "division programme without lymphodepletion, relative (c0)"),
        Quantity("cart_reference_drive", "1", "homeostatic drive after standard Flu/Cy, where the doubling time was measured"),
        Quantity("cart_csf_entry", "1/day", "rate of CAR T-cell entry from blood into CSF (per blood concentration)"),
        Quantity("cart_csf_exit", "1/day", "rate of CAR T-cell loss from CSF"),
        Quantity("cart_targets_cd19", "1", "1 for a CD19-directed product, else 0"),
        Quantity("cart_targets_bcma", "1", "1 for a BCMA-directed product, else 0"),
        Quantity("cart_costim_cd28", "1", "1 for a CD28 costimulatory domain, 0 for 4-1BB"),
        Quantity("cart_cd28_division_factor", "1", "factor on the divisions of the programme of CD28 products"),
        Quantity("cart_cd28_cytokine_factor", "1", "factor on the cytokine release per killed cell of CD28 products"),
        Quantity(
            "cart_cd19_mural_factor", "1", "extra encephalopathy per unit of brain endothelial activation when CAR T cells target CD19"
        ),
        Quantity("cart_cd28_decline_factor", "1", "factor on the effector decline rate of CD28 products"),
        Quantity("cart_cd28_persistence_factor", "1", "factor on the memory decline rate of CD28 products"),
        Quantity("cart_cd28_memory_factor", "1", "factor on the memory share of CD28 products"),
        Quantity("cart_vector_copies", "copies/cells", "transgene copies per CAR T cell"),
        Quantity("csf_volume", "uL", "volume of the cerebrospinal fluid"),
        Quantity("leukocyte_count", "cells/uL", "white blood cells per uL blood (the DNA a qPCR sample holds)"),
        Quantity("dna_per_cell", "ug/cells", "genomic DNA per nucleated cell"),
    ),
    derived=(
        Expression("cart_decline", "cart_alpha*(1 + cart_costim_cd28*(cart_cd28_decline_factor - 1))", "1/day"),
        Expression("cart_memory_decline", "cart_beta*(1 + cart_costim_cd28*(cart_cd28_persistence_factor - 1))", "1/day"),
        Expression(
            "cart_expansion_rate",
            "log(2)/cart_doubling_time + cart_decline + cart_exhaustion",
            "1/day",
            "proliferation rate of CAR T cells in the CSF on their antigen",
        ),
        Expression(
            "cart_stage_rate", f"{_STAGES}/(cart_divisions*cart_doubling_time)", "1/day", "rate of passage through a stage of the programme"
        ),
        Expression(
            "cart_product_divisions",
            "cart_divisions*(1 + cart_costim_cd28*(cart_cd28_division_factor - 1))",
            "1",
            "divisions of the programme of this product after standard lymphodepletion",
        ),
        Expression(
            "cart_to_memory",
            "cart_fb*(1 + cart_costim_cd28*(cart_cd28_memory_factor - 1))*cart_decline",
            "1/day",
            "effector-to-memory differentiation rate",
        ),
        Expression(
            "cart_csf_kill_rate",
            "cart_kill_rate/cart_blood_fraction",
            "uL/cells/day",
            "killing of CNS targets per CAR T cell per uL CSF: the blood potency, CSF cells standing for the CNS compartment "
            "as blood cells stand for the body",
        ),
        Expression("cart_csf_extinction_level", "cart_extinction_cells/csf_volume", "cells/uL", "one cell in the CSF, per uL CSF"),
    ),
    reads=(
        Quantity("cd19_antigen", "cells/uL", "CD19+ cells (whole body, per uL blood)", optional=True),
        Quantity("bcma_antigen", "cells/uL", "BCMA+ cells (whole body, per uL blood)", optional=True),
        Quantity("homeostatic_drive", "1", "homeostatic cytokine rise after lymphodepletion", optional=True),
        Quantity("lymphodepletion_kill_rate", "1/day", "death rate due to lymphodepleting chemotherapy", optional=True),
        Quantity("cart_rejection_rate", "1/day", "killing of CAR T cells by the host's immunity against the CAR", optional=True),
        Quantity("blood_volume", "uL", "blood volume"),
        Quantity("cd19_antigen_cns", "cells/uL", "CD19+ cells the CSF CAR T cells meet (per uL CSF)", optional=True),
        Quantity("bcma_antigen_cns", "cells/uL", "BCMA+ cells the CSF CAR T cells meet (per uL CSF)", optional=True),
    ),
    provides=(
        Expression(
            "cart_host_kill",
            "lymphodepletion_kill_rate + cart_rejection_rate",
            "1/day",
            "death rate of CAR T cells from the host's side: chemotherapy and anti-CAR immunity",
        ),
        Expression("cart_cells", _ALL, "cells/uL", "CAR T cells in the body (per uL blood), the antigen of anti-CAR immunity"),
        Expression("cart_antigen", "cart_targets_cd19*cd19_antigen + cart_targets_bcma*bcma_antigen", "cells/uL"),
        Expression(
            "cart_stimulation",
            "cart_blood_fraction*cart_antigen/(cart_antigen_half_saturation + cart_blood_fraction*cart_antigen)",
            "1",
            "fraction of maximal antigen stimulation",
        ),
        Expression(
            "cart_cns_stimulation",
            "(cart_targets_cd19*cd19_antigen_cns + cart_targets_bcma*bcma_antigen_cns)"
            "/(cart_antigen_half_saturation + cart_targets_cd19*cd19_antigen_cns + cart_targets_bcma*bcma_antigen_cns)",
            "1",
            "fraction of maximal antigen stimulation of CAR T cells in the CSF",
        ),
        Expression(
            "cart_cytokine_support",
            "(cart_cytokine_independence + homeostatic_drive)/(cart_cytokine_independence + cart_reference_drive)",
            "1",
        ),
        Expression(
            "cart_stage_yield",
            f"2**(cart_product_divisions*cart_cytokine_support/{_STAGES})",
            "1",
            "cells leaving a stage of the programme per cell entering it",
        ),
        Expression(
            "cart_kill_per_target",
            f"cart_kill_rate*{_ARMED}/(1 + cart_antigen/cart_kill_saturation)",
            "1/day",
            "death rate of each antigen-positive cell (each effector kills a limited number per day)",
        ),
    ),
    contributes=(
        Expression("cd19_kill_rate", "cart_targets_cd19*cart_kill_per_target", "1/day"),
        Expression("bcma_kill_rate", "cart_targets_bcma*cart_kill_per_target", "1/day"),
        Expression("cd19_kill_rate_cns", "cart_targets_cd19*cart_csf_kill_rate*cart_csf", "1/day"),
        Expression("bcma_kill_rate_cns", "cart_targets_bcma*cart_csf_kill_rate*cart_csf", "1/day"),
        Expression(
            "cart_kill_signal",
            "(1 + cart_costim_cd28*(cart_cd28_cytokine_factor - 1))*cart_kill_per_target*cart_antigen",
            "cells/uL/day",
            "antigen-positive cells killed by CAR T cells per day (whole body, per uL blood), times the product's relative cytokine output",
        ),
        Expression(
            "neurovascular_targeting",
            "cart_targets_cd19*cart_cd19_mural_factor",
            "1",
            "extra neurotoxicity of CD19 CAR T cells, which also attack the brain's CD19+ mural cells once the barrier opens",
        ),
    ),
    rates={
        "cart_infused": "-cart_activation_rate*cart_stimulation*cart_infused - cart_decline*cart_infused - cart_host_kill*cart_infused",
        **{name: _stage_rate(j) for j, name in enumerate(_DIVIDING, start=1)},
        "cart_effector": f"cart_stage_yield*cart_stage_rate*{_DIVIDING[-1]}"
        " - cart_decline*cart_effector - cart_exhaustion*cart_stimulation*cart_effector - cart_host_kill*cart_effector",
        "cart_memory": "cart_to_memory*(cart_effector + cart_infused) - cart_memory_decline*cart_memory"
        " - cart_memory_activation*cart_stimulation*cart_memory - cart_host_kill*cart_memory",
        "cart_exhausted": "cart_exhaustion*cart_stimulation*cart_effector - cart_exhausted_death*cart_exhausted"
        " - cart_host_kill*cart_exhausted",
        "cart_csf": "cart_csf_entry*cart_blood_fraction*(cart_effector + cart_memory) - cart_csf_exit*cart_csf"
        " + cart_expansion_rate*cart_cns_stimulation*cart_csf*cart_csf/(cart_csf + cart_csf_extinction_level)",
    },
    observables=(
        Expression("cart_blood", f"cart_blood_fraction*{_ALL}", "cells/uL", "CAR T cells in blood"),
        Expression(
            "cart_dividing_blood",
            "cart_blood_fraction*(" + " + ".join(_DIVIDING) + ")",
            "cells/uL",
            "CAR T cells in the division programme, in blood",
        ),
        Expression("cart_csf_cells", "cart_csf", "cells/uL", "CAR T cells in cerebrospinal fluid"),
        Expression(
            "cart_transgene",
            f"cart_vector_copies*cart_blood_fraction*{_ALL}/(leukocyte_count*dna_per_cell)",
            "copies/ug",
            "CAR transgene in blood by qPCR (copies per ug genomic DNA; constant leukocyte count assumed)",
        ),
    ),
    doses=(DoseRoute("cart_infusion", "cart_infused", "cells", "1/blood_volume", "intravenous CAR T-cell infusion"),),
    therapies=tuple(
        Therapy(
            f"{target}-cart",
            f"{target.upper()}-directed CAR T cells, one infusion",
            "cell therapy",
            Administration(
                "cart_infusion", ("cells", "cells/kg"), "'1e6 cells/kg' or '1e8 cells'", most=((1e11, "cells"), (1e9, "cells/kg"))
            ),
            switches={"cart_targets_cd19": float(target == "cd19"), "cart_targets_bcma": float(target == "bcma")},
            choices=(_COSTIM,),
            presets={name: product.infusion_fields() for name, product in products_for(target).items()},
            exclusive="CAR-T product",
            expects=("lymphodepletion", _WITHOUT_LYMPHODEPLETION),
        )
        for target in ("cd19", "bcma")
    ),
    references=("Stein2019", "MuellerSchoell2021", "Kaech2001", "Marchingo2014", "Fraietta2018", "Parker2020"),
)
