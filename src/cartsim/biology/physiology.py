r"""Patient physiology: body size, blood volume and body surface area.

.. math::

   V_{blood} = v_{kg} \cdot W, \qquad BSA = \sqrt{\frac{H \cdot W}{3600\ \mathrm{cm\,kg/m^4}}}

(Mosteller's body surface area, which converts doses given per m\ :sup:`2`, such as
fludarabine and cyclophosphamide, into amounts).
"""

from __future__ import annotations

from cartsim.model import Expression, Module, Quantity

__all__ = ["physiology"]

physiology = Module(
    name="physiology",
    description="Body weight, height, blood volume and body surface area",
    parameters=(
        Quantity("body_weight", "kg", "body weight"),
        Quantity("height", "cm", "body height"),
        Quantity("blood_volume_per_kg", "uL/kg", "blood volume per kg body weight"),
        Quantity("mosteller_constant", "cm*kg/m**4", "constant of Mosteller's body-surface-area formula (3600)"),
    ),
    derived=(
        Expression("patient_blood_volume", "blood_volume_per_kg*body_weight", "uL", "blood volume"),
        Expression("body_surface_area", "sqrt(height*body_weight/mosteller_constant)", "m**2", "body surface area (Mosteller)"),
    ),
    provides=(Expression("blood_volume", "patient_blood_volume", "uL", "blood volume"),),
    references=("Mosteller1987",),
)
