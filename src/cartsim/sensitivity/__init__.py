"""Global sensitivity analysis of any endpoint of any scenario (SALib), batched through the engine.

Which parameters drive an endpoint (B-cell return, CRS grade, relapse rate) of one arm of a
scenario, under one hypothesis: every sample of the parameters is one virtual patient of a
batch, solved together. See :func:`sensitivity`.
"""

from cartsim.sensitivity.factors import Factor, default_factors, factors_from_ranges
from cartsim.sensitivity.methods import METHODS, analyse
from cartsim.sensitivity.run import SensitivityResult, sensitivity

__all__ = ["METHODS", "Factor", "SensitivityResult", "analyse", "default_factors", "factors_from_ranges", "sensitivity"]
