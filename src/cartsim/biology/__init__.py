"""Biology modules. Each is a :class:`cartsim.model.Module` value; none imports another."""

from cartsim.biology.bcells import bcell_lineage
from cartsim.biology.cart import cart_kinetics
from cartsim.biology.ocrelizumab import ocrelizumab_pkpd

__all__ = ["bcell_lineage", "cart_kinetics", "ocrelizumab_pkpd", "FIRST_MODEL_MODULES"]

#: The modules of the foundation model (CAR T cells, B-cell lineage, ocrelizumab).
FIRST_MODEL_MODULES = (cart_kinetics, bcell_lineage, ocrelizumab_pkpd)
