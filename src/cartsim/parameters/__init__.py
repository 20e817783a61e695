"""Parameter sets, one file per publication, and the bibliography."""

from cartsim.parameters.Assumptions import Assumptions
from cartsim.parameters.bibliography import BIBLIOGRAPHY, Reference, references_for
from cartsim.parameters.Gibiansky2021 import Gibiansky2021
from cartsim.parameters.LisoCelCK2021 import LisoCelCK2021
from cartsim.parameters.LymphocyteRanges2004 import LymphocyteRanges2004
from cartsim.parameters.Macallan2005 import Macallan2005
from cartsim.parameters.MuellerSchoell2021 import MuellerSchoell2021
from cartsim.parameters.PhysiologyTextbook import PhysiologyTextbook
from cartsim.parameters.Stein2019 import Stein2019

__all__ = [
    "Assumptions",
    "BIBLIOGRAPHY",
    "DEFAULT_PARAMETERS",
    "Gibiansky2021",
    "LisoCelCK2021",
    "LymphocyteRanges2004",
    "Macallan2005",
    "MuellerSchoell2021",
    "PhysiologyTextbook",
    "Reference",
    "Stein2019",
    "references_for",
]

#: Every published parameter set plus the documented assumptions.
DEFAULT_PARAMETERS = Stein2019.union(
    LisoCelCK2021,
    MuellerSchoell2021,
    Macallan2005,
    Gibiansky2021,
    LymphocyteRanges2004,
    PhysiologyTextbook,
    Assumptions,
    name="cartsim-default",
)
