"""Biology modules. Each is a :class:`cartsim.model.Module` value; none imports another."""

from cartsim.biology.anti_car import anti_car_immunity
from cartsim.biology.autoimmune_activity import autoimmune_activity
from cartsim.biology.bcells import bcell_lineage
from cartsim.biology.cart import cart_kinetics
from cartsim.biology.cytokines import cytokines
from cartsim.biology.infections import infections
from cartsim.biology.lymphodepletion import lymphodepletion
from cartsim.biology.mrna_cart import mrna_cart
from cartsim.biology.ms_activity import ms_activity
from cartsim.biology.neutrophils import neutrophils
from cartsim.biology.ocrelizumab import ocrelizumab_pkpd
from cartsim.biology.ofatumumab import ofatumumab_pkpd
from cartsim.biology.physiology import physiology
from cartsim.biology.plasma import plasma_cells
from cartsim.biology.rituximab import rituximab_pkpd
from cartsim.biology.tumour import tumour

__all__ = [
    "FIRST_MODEL_MODULES",
    "FULL_MODEL_MODULES",
    "anti_car_immunity",
    "autoimmune_activity",
    "bcell_lineage",
    "cart_kinetics",
    "cytokines",
    "infections",
    "lymphodepletion",
    "mrna_cart",
    "ms_activity",
    "neutrophils",
    "ocrelizumab_pkpd",
    "ofatumumab_pkpd",
    "rituximab_pkpd",
    "physiology",
    "plasma_cells",
    "tumour",
]

#: The foundation model: CAR T cells, the B-cell lineage and ocrelizumab.
FIRST_MODEL_MODULES = (physiology, cart_kinetics, bcell_lineage, ocrelizumab_pkpd)

#: Every module: the model behind validation and virtual trials.
FULL_MODEL_MODULES = (
    physiology,
    lymphodepletion,
    neutrophils,
    cart_kinetics,
    anti_car_immunity,
    mrna_cart,
    bcell_lineage,
    plasma_cells,
    cytokines,
    tumour,
    ocrelizumab_pkpd,
    ofatumumab_pkpd,
    rituximab_pkpd,
    ms_activity,
    autoimmune_activity,
    infections,
)
