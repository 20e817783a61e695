"""Input and output: model export (SBML) and NONMEM-style event datasets."""

from cartsim.io.nonmem import EventData, read_events, write_events
from cartsim.io.sbml import l3_formula, to_sbml

__all__ = ["EventData", "l3_formula", "read_events", "to_sbml", "write_events"]
