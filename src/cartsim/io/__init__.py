"""Input and output: model export (SBML)."""

from cartsim.io.sbml import l3_formula, to_sbml

__all__ = ["l3_formula", "to_sbml"]
