r"""CAR T cells: antigen-driven expansion, memory, exhaustion, contraction, CNS trafficking.

Structure after Stein et al. (2019) and Mueller-Schoell et al. (2021). Infused cells enter an
effector pool that proliferates while it sees its antigen (CD19 or BCMA, set by the
product's flags) and while homeostatic cytokines are high after lymphodepletion; effectors
kill antigen-positive cells, contract, hand a small fraction to a long-lived memory pool
that antigen re-activates, and under stimulation become exhausted (no proliferation, no
killing). A CD28 costimulatory domain changes expansion and persistence by factors. A small
share of circulating cells enters the cerebrospinal fluid (hypothesis ``cns-cart-entry``: rate
an assumption) and proliferates there on the CD19+ or BCMA+ cells of the CNS it meets.

Cell pools are whole-body amounts per microlitre of blood; a fraction :math:`f_b` circulates.

.. math::

   A &= \chi_{19} A_{19} + \chi_{B} A_{BCMA}, \qquad S = \frac{f_b A}{K_A + f_b A},
   \qquad G = \frac{c_0 + H}{c_0 + H_{ref}} \\
   \frac{dE}{dt} &= \rho\, S\, G\, E \frac{E}{E + E_1} - \alpha E - k_{ex} S E + k_{act} S M
                    - \kappa_{LD} E + u_{CAR} \\
   \frac{dM}{dt} &= k_{EM} E - \beta M - k_{act} S M - \kappa_{LD} M \\
   \frac{dX}{dt} &= k_{ex} S E - \delta_X X - \kappa_{LD} X \\
   \frac{dC}{dt} &= k_{in} f_b (E + M) - k_{out} C + \rho\, S_N C \frac{C}{C + C_1}, \qquad S_N = \frac{A_N}{K_A + A_N}

with :math:`\rho = (\ln 2 / t_d + \alpha + k_{ex}) m_\rho`: the doubling time :math:`t_d` was
measured in patients after standard lymphodepletion, so it is the *net* expansion with every
loss the model applies during expansion added back, at the cytokine support of that setting
(:math:`G = 1` when the homeostatic drive :math:`H` equals its post-Flu/Cy reference
:math:`H_{ref}`; deeper lymphodepletion gives more), :math:`A_N` the target-antigen cells of the CNS per uL of
CSF and :math:`C_1` one cell in the CSF. :math:`\alpha, \beta` are Stein's decline rates
(times :math:`m_\alpha, m_\beta` for CD28 products), :math:`k_{EM} = F_B \alpha` (so the memory
share of the peak is within :math:`\beta/\alpha` of Stein's :math:`F_B` and never negative),
:math:`H` the homeostatic drive of lymphodepletion and :math:`E_1` one cell in the whole
body (a pool smaller than one cell cannot expand; this also keeps rounding noise in untreated
patients from growing). Each antigen-positive cell dies at :math:`k E / (1 + A/A_{sat})`: an
effector kills a limited number of targets a day, so a bulky tumour is cleared over weeks.
"""

from __future__ import annotations

from cartsim.model import Administration, Choice, DoseRoute, Expression, Module, Quantity, State, Therapy

__all__ = ["cart_kinetics"]

#: The co-stimulatory domain: CD28 products expand faster and persist shorter than 4-1BB ones.
_COSTIM = Choice("costim", "co-stimulatory domain", {"4-1bb": {"cart_costim_cd28": 0.0}, "cd28": {"cart_costim_cd28": 1.0}})
#: What this module does with a CAR-T given without lymphodepletion (the warning says it).
_WITHOUT_LYMPHODEPLETION = (
    "in this model CAR T cells expand only on the homeostatic drive that lymphodepletion leaves, so the infused "
    "cells barely expand (trials give fludarabine and cyclophosphamide first)"
)
#: Named products per target antigen, with their co-stimulatory domain.
_PRODUCTS = {
    "cd19": {"tisa-cel": "4-1bb", "axi-cel": "cd28", "brexu-cel": "cd28", "liso-cel": "4-1bb", "obe-cel": "4-1bb", "kyv-101": "cd28"},
    "bcma": {"ide-cel": "4-1bb", "cilta-cel": "4-1bb", "ct103a": "4-1bb"},
}

cart_kinetics = Module(
    name="cart_kinetics",
    description="CAR T cells (CD19 or BCMA, CD28 or 4-1BB): expansion, memory, exhaustion, killing, CNS",
    states=(
        State("cart_effector", "cells/uL", "0", "effector CAR T cells (whole body, per uL blood)"),
        State("cart_memory", "cells/uL", "0", "memory CAR T cells (whole body, per uL blood)"),
        State("cart_exhausted", "cells/uL", "0", "exhausted CAR T cells (whole body, per uL blood)"),
        State("cart_csf", "cells/uL", "0", "CAR T cells in cerebrospinal fluid (per uL CSF)"),
    ),
    parameters=(
        Quantity("cart_doubling_time", "day", "doubling time of CAR T cells during expansion"),
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
        Quantity("cart_extinction_cells", "cells", "pool size below which CAR T cells cannot expand (about one cell)"),
        Quantity("cart_cytokine_independence", "1", "antigen-driven proliferation without lymphodepletion, relative (c0)"),
        Quantity("cart_reference_drive", "1", "homeostatic drive after standard Flu/Cy, where the doubling time was measured"),
        Quantity("cart_csf_entry", "1/day", "rate of CAR T-cell entry from blood into CSF (per blood concentration)"),
        Quantity("cart_csf_exit", "1/day", "rate of CAR T-cell loss from CSF"),
        Quantity("cart_targets_cd19", "1", "1 for a CD19-directed product, else 0"),
        Quantity("cart_targets_bcma", "1", "1 for a BCMA-directed product, else 0"),
        Quantity("cart_costim_cd28", "1", "1 for a CD28 costimulatory domain, 0 for 4-1BB"),
        Quantity("cart_cd28_expansion_factor", "1", "factor on the proliferation rate of CD28 products"),
        Quantity("cart_cd28_decline_factor", "1", "factor on the effector decline rate of CD28 products"),
        Quantity("cart_cd28_persistence_factor", "1", "factor on the memory decline rate of CD28 products"),
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
            "(log(2)/cart_doubling_time + cart_decline + cart_exhaustion)*(1 + cart_costim_cd28*(cart_cd28_expansion_factor - 1))",
            "1/day",
            "maximal antigen-driven proliferation rate",
        ),
        Expression("cart_to_memory", "cart_fb*cart_decline", "1/day", "effector-to-memory differentiation rate"),
        Expression(
            "cart_csf_kill_rate",
            "cart_kill_rate/cart_blood_fraction",
            "uL/cells/day",
            "killing of CNS targets per CAR T cell per uL CSF: the blood potency, CSF cells standing for the CNS compartment "
            "as blood cells stand for the body",
        ),
        Expression("cart_extinction_level", "cart_extinction_cells/blood_volume", "cells/uL", "one cell in the body, per uL blood"),
        Expression("cart_csf_extinction_level", "cart_extinction_cells/csf_volume", "cells/uL", "one cell in the CSF, per uL CSF"),
    ),
    reads=(
        Quantity("cd19_antigen", "cells/uL", "CD19+ cells (whole body, per uL blood)", optional=True),
        Quantity("bcma_antigen", "cells/uL", "BCMA+ cells (whole body, per uL blood)", optional=True),
        Quantity("homeostatic_drive", "1", "homeostatic cytokine rise after lymphodepletion", optional=True),
        Quantity("lymphodepletion_kill_rate", "1/day", "death rate due to lymphodepleting chemotherapy", optional=True),
        Quantity("blood_volume", "uL", "blood volume"),
        Quantity("cd19_antigen_cns", "cells/uL", "CD19+ cells the CSF CAR T cells meet (per uL CSF)", optional=True),
        Quantity("bcma_antigen_cns", "cells/uL", "BCMA+ cells the CSF CAR T cells meet (per uL CSF)", optional=True),
    ),
    provides=(
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
            "cart_kill_per_target",
            "cart_kill_rate*cart_effector/(1 + cart_antigen/cart_kill_saturation)",
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
            "cart_activation",
            "cart_blood_fraction*cart_effector*cart_stimulation",
            "cells/uL",
            "antigen-activated effector CAR T cells (per uL blood)",
        ),
    ),
    rates={
        "cart_effector": "cart_expansion_rate*cart_stimulation*cart_cytokine_support*cart_effector*cart_effector/(cart_effector + cart_extinction_level)"
        " - cart_decline*cart_effector - cart_exhaustion*cart_stimulation*cart_effector"
        " + cart_memory_activation*cart_stimulation*cart_memory - lymphodepletion_kill_rate*cart_effector",
        "cart_memory": "cart_to_memory*cart_effector - cart_memory_decline*cart_memory - cart_memory_activation*cart_stimulation*cart_memory"
        " - lymphodepletion_kill_rate*cart_memory",
        "cart_exhausted": "cart_exhaustion*cart_stimulation*cart_effector - cart_exhausted_death*cart_exhausted"
        " - lymphodepletion_kill_rate*cart_exhausted",
        "cart_csf": "cart_csf_entry*cart_blood_fraction*(cart_effector + cart_memory) - cart_csf_exit*cart_csf"
        " + cart_expansion_rate*cart_cns_stimulation*cart_csf*cart_csf/(cart_csf + cart_csf_extinction_level)",
    },
    observables=(
        Expression("cart_blood", "cart_blood_fraction*(cart_effector + cart_memory + cart_exhausted)", "cells/uL", "CAR T cells in blood"),
        Expression("cart_csf_cells", "cart_csf", "cells/uL", "CAR T cells in cerebrospinal fluid"),
        Expression(
            "cart_transgene",
            "cart_vector_copies*cart_blood_fraction*(cart_effector + cart_memory + cart_exhausted)/(leukocyte_count*dna_per_cell)",
            "copies/ug",
            "CAR transgene in blood by qPCR (copies per ug genomic DNA; constant leukocyte count assumed)",
        ),
    ),
    doses=(DoseRoute("cart_infusion", "cart_effector", "cells", "1/blood_volume", "intravenous CAR T-cell infusion"),),
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
            presets={product: {"costim": costim} for product, costim in products.items()},
            exclusive="CAR-T product",
            expects=("lymphodepletion", _WITHOUT_LYMPHODEPLETION),
        )
        for target, products in _PRODUCTS.items()
    ),
    references=("Stein2019", "MuellerSchoell2021"),
)
