"""Parameter sets, one file per publication, and the bibliography."""

from cartsim.parameters.AntiCD20Assumptions import AntiCD20Assumptions
from cartsim.parameters.Assumptions import Assumptions
from cartsim.parameters.AutoimmuneAssumptions import AutoimmuneAssumptions
from cartsim.parameters.bibliography import BIBLIOGRAPHY, Reference, references_for
from cartsim.parameters.DrugLabels import DrugLabels
from cartsim.parameters.Friberg2002 import Friberg2002
from cartsim.parameters.Gibiansky2021 import Gibiansky2021
from cartsim.parameters.Immunology import Immunology
from cartsim.parameters.Kim2007 import Kim2007
from cartsim.parameters.Lioger2017 import Lioger2017
from cartsim.parameters.LisoCelCK2021 import LisoCelCK2021
from cartsim.parameters.LymphocyteRanges2004 import LymphocyteRanges2004
from cartsim.parameters.Macallan2005 import Macallan2005
from cartsim.parameters.Mosteller1987 import Mosteller1987
from cartsim.parameters.MSActivity import MSActivity
from cartsim.parameters.MuellerSchoell2021 import MuellerSchoell2021
from cartsim.parameters.Petri1991 import Petri1991
from cartsim.parameters.PhysiologyTextbook import PhysiologyTextbook
from cartsim.parameters.Stein2019 import Stein2019
from cartsim.parameters.Yu2022 import Yu2022

__all__ = [
    "AntiCD20Assumptions",
    "AutoimmuneAssumptions",
    "Assumptions",
    "Kim2007",
    "Lioger2017",
    "MSActivity",
    "Yu2022",
    "DrugLabels",
    "Friberg2002",
    "Immunology",
    "Mosteller1987",
    "BIBLIOGRAPHY",
    "DEFAULT_PARAMETERS",
    "Gibiansky2021",
    "LisoCelCK2021",
    "LymphocyteRanges2004",
    "Macallan2005",
    "MuellerSchoell2021",
    "Petri1991",
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
    Mosteller1987,
    DrugLabels,
    Immunology,
    Friberg2002,
    Yu2022,
    Lioger2017,
    Kim2007,
    AntiCD20Assumptions,
    MSActivity,
    Petri1991,
    AutoimmuneAssumptions,
    Assumptions,
    name="cartsim-default",
)
