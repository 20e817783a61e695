"""Built-in hypotheses: named, sourced answers to the open questions the model represents.

Each is a :class:`~cartsim.model.Hypothesis`; scenarios name them in ``hypotheses = [...]``
and run every arm under each, on the same virtual patients. The model's default values
are one of the answers (``reset-partial``, ``cns-cart-entry``, ``no-anti-car-immunity``); naming it makes the choice
visible in the results.

- The immune reset (``reset-none``, ``reset-partial``, ``reset-full``): how autoreactive
  memory B cells come back after deep depletion (the B-cell module's ``reset_strength``).
- CAR-T in the CNS (``cns-cart-entry``, ``no-cns-cart``).
- Immunity against the CAR (``no-anti-car-immunity``, ``anti-car-immunity``): whether the host
  primes a response that clears the CAR T cells and rejects a second infusion.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cartsim.model import Change, Hypothesis

__all__ = ["HYPOTHESES"]

_CSF_ENTRY = "cart_csf_entry"
_ANTI_CAR = "anti_car_priming"
_RESET = "reset_strength"
_RESET_EVIDENCE = (
    "the durability of remission after CAR-T is known for about two years (Mackensen2022; Muller2024; a myositis "
    "relapse 9 months after CD19 CAR-T has been reported); how autoreactive memory comes back later is not known"
)

#: Every built-in hypothesis, by name (read-only).
HYPOTHESES: Mapping[str, Hypothesis] = MappingProxyType(
    {
        h.name: h
        for h in (
            Hypothesis(
                "reset-none",
                "No immune reset: autoreactive memory B cells are rebuilt from the naive repertoire as fast as memory B cells "
                "in general (about a year), so disease activity returns as memory does.",
                f"assumption: the model before the reset was represented; {_RESET_EVIDENCE}",
                (Change(_RESET, 0.0, "assumption: hypothesis reset-none", unit="1"),),
            ),
            Hypothesis(
                "reset-partial",
                "Partial reset (the default): 90% of autoreactive memory is maintained by its own clones, which re-expand only "
                "where they survived (after anti-CD20 in lymphoid follicles; after a CD19 CAR-T rarely); 10% is re-primed from "
                "naive B cells, so after a CAR-T activity returns slowly, over years.",
                f"assumption: consistent with remission lasting beyond naive B-cell return in lupus (Muller2024); {_RESET_EVIDENCE}",
                (Change(_RESET, 0.9, "assumption: hypothesis reset-partial", unit="1"),),
            ),
            Hypothesis(
                "reset-full",
                "Full reset: autoreactive memory comes back only from clones that survived the depletion (after anti-CD20 in "
                "lymphoid follicles; after a CD19 CAR-T rarely); where none did (fewer than one cell left), the disease does "
                "not return.",
                f"assumption: the strongest reading of drug-free remission after CD19 CAR-T (Muller2024); {_RESET_EVIDENCE}",
                (Change(_RESET, 1.0, "assumption: hypothesis reset-full", unit="1"),),
            ),
            Hypothesis(
                "cns-cart-entry",
                "CAR T cells enter the cerebrospinal fluid at about 2% of their blood level and kill CD19+/BCMA+ cells there "
                "(the model's default).",
                "assumption: CAR T cells were found in the CSF after CD19 CAR-T in progressive MS (Fischbach2024) and expanded there "
                "after BCMA CAR-T (Qin2025); the entry rate is as for other T cells",
                (
                    Change(
                        _CSF_ENTRY,
                        0.01,
                        "assumption: CSF CAR-T at ~2 % of blood levels, as for other T cells (Fischbach2024)",
                        unit="1/day",
                    ),
                ),
            ),
            Hypothesis(
                "no-cns-cart",
                "CAR T cells do not act in the CNS compartment: CNS B cells and plasma cells change only as the periphery does.",
                "assumption: the counterfactual of cns-cart-entry, for comparison",
                (Change(_CSF_ENTRY, 0.0, "assumption: no CAR T cells in the CSF (counterfactual)", unit="1/day"),),
            ),
            Hypothesis(
                "no-anti-car-immunity",
                "No immunity against the CAR (the model's default): the CAR T cells persist as their own kinetics allow and a "
                "second infusion of the same product expands like the first.",
                "assumption: B-cell return after CD19 CAR-T in lupus is reproduced without it (Mackensen2022); how often anti-CAR "
                "responses arise after CAR-T in autoimmune disease is not known",
                (Change(_ANTI_CAR, 0.0, "assumption: hypothesis no-anti-car-immunity", unit="1/day"),),
            ),
            Hypothesis(
                "anti-car-immunity",
                "Immunity against the CAR: as host T cells return after lymphodepletion, a response against the CAR is primed "
                "that clears the remaining CAR T cells (B cells come back sooner) and kills a second infusion of the same product "
                "before it expands, despite lymphodepletion.",
                "assumption: a myositis relapse re-treated with the same CD19 CAR-T 9 months later saw no expansion and T cells "
                "against the CAR (AntiCARMyositis2025; Turtle2016)",
                (
                    Change(
                        _ANTI_CAR,
                        0.05,
                        "assumption: calibrated so that the same product 9 months later expands to under a tenth of the first "
                        "(AntiCARMyositis2025)",
                        unit="1/day",
                    ),
                ),
            ),
        )
    }
)
