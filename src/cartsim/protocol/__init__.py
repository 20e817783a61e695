"""Therapies and regimens as small immutable values."""

from cartsim.protocol.regimen import MAX_DOSES, Dose, Regimen
from cartsim.protocol.therapies import CAR_PRODUCTS, THERAPIES, Treatment, parse_regimen

__all__ = ["CAR_PRODUCTS", "Dose", "MAX_DOSES", "Regimen", "THERAPIES", "Treatment", "parse_regimen"]
