"""Therapies and regimens as small immutable values."""

from cartsim.protocol.regimen import MAX_DOSES, Dose, Regimen

__all__ = ["Dose", "MAX_DOSES", "Regimen"]
