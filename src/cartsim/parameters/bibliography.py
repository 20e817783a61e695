"""The references behind cartsim's modules and parameter values.

Keys are ``AuthorYear`` (or ``StudyYear`` where the first author was not checked). A
parameter's ``source`` is one of these keys, or ``"assumption: <reason>"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Iterable, Mapping

__all__ = ["Reference", "BIBLIOGRAPHY", "references_for"]


@dataclass(frozen=True)
class Reference:
    key: str
    citation: str
    doi: str = ""
    note: str = ""

    def format(self) -> str:
        doi = f" doi:{self.doi}" if self.doi else ""
        note = f" [{self.note}]" if self.note else ""
        return f"[{self.key}] {self.citation}{doi}{note}"


_ENTRIES = (
    Reference(
        "Stein2019",
        "Stein AM, Grupp SA, Levine JE, et al. Tisagenlecleucel model-based cellular kinetic analysis of chimeric "
        "antigen receptor-T cells. CPT Pharmacometrics Syst Pharmacol 2019;8:285-295.",
        "10.1002/psp4.12388",
    ),
    Reference(
        "LisoCelCK2021",
        "Population cellular kinetics of lisocabtagene maraleucel in relapsed/refractory large B-cell lymphoma "
        "(TRANSCEND NHL 001, n = 261). Clin Pharmacokinet 2021 (PMC8613160).",
        "10.1007/s40262-021-01039-5",
        "first author not checked",
    ),
    Reference(
        "MuellerSchoell2021",
        "Mueller-Schoell A, Puebla-Osorio N, Michelet R, et al. Early survival prediction framework in CD19-specific "
        "CAR-T cell immunotherapy using a quantitative systems pharmacology model. Cancers 2021;13:2782.",
        "10.3390/cancers13112782",
    ),
    Reference(
        "Macallan2005",
        "Macallan DC, Wallace DL, Zhang Y, et al. B-cell kinetics in humans: rapid turnover of peripheral blood "
        "memory cells. Blood 2005;105:3633-3640.",
        "10.1182/blood-2004-09-3740",
    ),
    Reference(
        "Gibiansky2021",
        "Gibiansky E, Petry C, Mercier F, et al. Ocrelizumab in relapsing and primary progressive multiple sclerosis: "
        "pharmacokinetic and pharmacodynamic analyses of OPERA I, OPERA II and ORATORIO. Br J Clin Pharmacol "
        "2021;87:2511-2520.",
        "10.1111/bcp.14658",
    ),
    Reference(
        "LymphocyteRanges2004",
        "Reference ranges of blood lymphocyte subsets in healthy adults (CD19+ B cells median 325/340 cells/uL in "
        "men/women). Clin Diagn Lab Immunol 2004;11:168-173.",
        "10.1128/CDLI.11.1.168-173.2004",
        "authors not checked",
    ),
    Reference(
        "PhysiologyTextbook",
        "Standard adult physiology reference values (blood volume ~70 mL/kg; ~2% of the body's lymphocytes in blood).",
        "",
        "textbook value, no single primary source",
    ),
    Reference(
        "Mackensen2022",
        "Mackensen A, Mueller F, Mougiakakos D, et al. Anti-CD19 CAR T cell therapy for refractory systemic lupus "
        "erythematosus. Nat Med 2022;28:2124-2132.",
        "10.1038/s41591-022-02017-5",
    ),
    Reference(
        "Saldivar2023",
        "Saldivar S, et al. CD19+ B-cell depletion after ocrelizumab. AAN 2023 abstract; Ocrevus label.",
        "",
        "conference abstract",
    ),
)

#: Every reference, by key (read-only).
BIBLIOGRAPHY: Mapping[str, Reference] = MappingProxyType({r.key: r for r in _ENTRIES})


def references_for(keys: Iterable[str]) -> tuple[Reference, ...]:
    """The references for ``keys`` (assumptions and unknown keys are skipped), sorted by key."""
    return tuple(BIBLIOGRAPHY[k] for k in sorted(set(keys)) if k in BIBLIOGRAPHY)
