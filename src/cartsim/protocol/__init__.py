"""Therapies and regimens as small immutable values."""

from cartsim.protocol.regimen import MAX_DOSES, Dose, Regimen
from cartsim.protocol.therapies import Treatment, default_therapies, parse_regimen, therapy_catalogue

__all__ = ["Dose", "MAX_DOSES", "Regimen", "Treatment", "default_therapies", "parse_regimen", "therapy_catalogue"]
