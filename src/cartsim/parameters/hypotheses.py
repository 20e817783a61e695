"""Built-in hypotheses: named, sourced answers to the open questions the model represents.

Each is a :class:`~cartsim.model.Hypothesis`; scenarios name them in ``hypotheses = [...]``
and run every arm under each, on the same virtual patients. The model's default values
are one of the answers; naming it makes the choice visible in the results.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from cartsim.model import Change, Hypothesis

__all__ = ["HYPOTHESES"]

_CSF_ENTRY = "cart_csf_entry"

#: Every built-in hypothesis, by name (read-only).
HYPOTHESES: Mapping[str, Hypothesis] = MappingProxyType(
    {
        h.name: h
        for h in (
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
        )
    }
)
