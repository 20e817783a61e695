"""MS disease activity: the default parameter set and the values per MS type.

``MSActivity`` is every parameter of :mod:`cartsim.biology.ms_activity` with relapsing-MS
values (the defaults). ``MS_TYPE_PARAMETER_SETS`` gives, per MS type, the parameters that
differ between types as :class:`~cartsim.model.Parameter` values with their sources (apply
with ``parameter_set.replace(MS_TYPE_PARAMETER_SETS[ms_type].parameters)`` so that the
citations follow); ``MS_TYPE_PARAMETERS`` gives the same as plain numbers in the default
units (for ``parameter_set.replace(mapping)``, which keeps the default's source).

======================================  =============  ==============  ==============
parameter                               rrms           ppms            spms
======================================  =============  ==============  ==============
``ms_relapse_rate`` (1/year, median)    Hauser2017     assumption      Kappos2018
``ms_pira_rate`` (1/year, median)       Hauser2017     Montalban2017   Kappos2018
``ms_pira_peripheral_share``            Hauser2017     Montalban2017   assumption
``ms_gd_lesions_untreated``             Hauser2017     Montalban2017   assumption
======================================  =============  ==============  ==============

The other parameters (B-cell share of relapses, interferon effects, RAW probability, CNS
share, delay) are the same in every type.
"""

from collections.abc import Mapping
from types import MappingProxyType

from cartsim.model import ParameterSet
from cartsim.parameters.DeStefano2010 import DeStefano2010
from cartsim.parameters.Hauser2017 import Hauser2017
from cartsim.parameters.Kappos2018 import Kappos2018
from cartsim.parameters.Kappos2020 import Kappos2020
from cartsim.parameters.Montalban2017 import Montalban2017
from cartsim.parameters.MSAssumptions import MSAssumptions, MSAssumptionsPPMS, MSAssumptionsSPMS
from cartsim.parameters.PRISMS1998 import PRISMS1998

__all__ = ["MSActivity", "MS_TYPES", "MS_TYPE_PARAMETERS", "MS_TYPE_PARAMETER_SETS"]

#: Every MS activity parameter, relapsing-MS values.
MSActivity = Hauser2017.union(Kappos2020, PRISMS1998, DeStefano2010, MSAssumptions, name="MSActivity")

#: The MS types with their own parameter values.
MS_TYPES = ("rrms", "ppms", "spms")

_TYPE_SPECIFIC = ("ms_relapse_rate", "ms_pira_rate", "ms_pira_peripheral_share", "ms_gd_lesions_untreated")

#: Per MS type, the type-specific parameters with their sources.
MS_TYPE_PARAMETER_SETS: Mapping[str, ParameterSet] = MappingProxyType(
    {
        "rrms": ParameterSet("rrms", tuple(Hauser2017[name] for name in _TYPE_SPECIFIC)),
        "ppms": Montalban2017.union(MSAssumptionsPPMS, name="ppms"),
        "spms": Kappos2018.union(MSAssumptionsSPMS, name="spms"),
    }
)

#: Per MS type, the type-specific parameter values (in the units of ``MSActivity``).
MS_TYPE_PARAMETERS: dict[str, dict[str, float]] = {
    ms_type: {p.name: p.value for p in parameter_set.parameters} for ms_type, parameter_set in MS_TYPE_PARAMETER_SETS.items()
}
