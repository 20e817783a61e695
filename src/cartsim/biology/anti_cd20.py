"""What every anti-CD20 antibody module shares: how its concentration kills CD20+ B cells.

Each antibody contributes to the killing rates of CD20+ B cells in blood, lymphoid tissue
and the CNS, each compartment seeing a fraction of the serum concentration (1 in blood, a
tissue ratio, the CSF/serum IgG ratio). This is a helper the antibody modules call when
they are defined, not a module: modules still meet only through named quantities.
"""

from __future__ import annotations

from collections.abc import Callable

from cartsim.model import Expression

__all__ = ["cd20_killing", "emax_killing"]


def emax_killing(kmax: str, ec50: str, concentration: str) -> Callable[[str], str]:
    """Emax killing of a compartment that sees ``ratio`` times the serum ``concentration``."""

    def kill(ratio: str) -> str:
        seen = f"{ratio}*{concentration}"
        return f"{kmax}*{seen}/({ec50} + {seen})"

    return kill


def cd20_killing(drug: str, kill: Callable[[str], str], tissue_ratio: str) -> tuple[Expression, ...]:
    """The antibody's contributions to ``cd20_kill_rate_blood``, ``_tissue`` and ``_cns``."""
    compartments = (("blood", "1", "blood"), ("tissue", tissue_ratio, "lymphoid tissue"), ("cns", "antibody_cns_ratio", "the CNS"))
    return tuple(
        Expression(f"cd20_kill_rate_{key}", kill(ratio), "1/day", f"death rate of CD20+ B cells in {where} due to {drug}")
        for key, ratio, where in compartments
    )
