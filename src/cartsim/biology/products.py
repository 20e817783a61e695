"""Named CAR-T products: target, co-stimulatory domain, published dose and lymphodepletion.

Data, not a module: the CAR-T, mRNA CAR-T and lymphodepletion modules read it to offer each
product as a preset (regimen field ``product``). ``{ therapy = "cd19-cart", day = 0, product =
"axi-cel" }`` takes the product's domain and dose; ``{ therapy = "flu-cy", day = -5, product =
"axi-cel" }`` its lymphodepletion (each field can still be given, to study another dose).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["PRODUCTS", "Product", "products_for"]


@dataclass(frozen=True)
class Product:
    """One product as it was given in its pivotal or first published trial.

    ``lymphodepletion`` is (fludarabine mg/m**2 a day, days, cyclophosphamide mg/m**2 a day,
    days), or None when none was given; ``dose`` and ``costim`` are None where the product
    has no single dose or no co-stimulatory domain to set.
    """

    name: str
    target: str  # "cd19", "bcma" or "mrna-bcma"
    costim: str | None
    dose: str | None
    lymphodepletion: tuple[float, int, float, int] | None
    source: str
    every_days: float | None = None
    count: int | None = None

    def lymphodepletion_fields(self) -> dict[str, float | int]:
        """The flu-cy entry fields of this product's lymphodepletion."""
        if self.lymphodepletion is None:
            return {}
        flu, flu_days, cy, cy_days = self.lymphodepletion
        return {
            "fludarabine_mg_per_m2": flu,
            "fludarabine_days": flu_days,
            "cyclophosphamide_mg_per_m2": cy,
            "cyclophosphamide_days": cy_days,
        }

    def infusion_fields(self) -> dict[str, str | float | int]:
        """The CAR-T entry fields this product sets."""
        fields: dict[str, str | float | int] = {}
        if self.costim is not None:
            fields["costim"] = self.costim
        if self.dose is not None:
            fields["dose"] = self.dose
        if self.every_days is not None:
            fields["every_days"] = self.every_days
        if self.count is not None:
            fields["count"] = self.count
        return fields


#: The products, by name (doses and lymphodepletion as published; see each source).
PRODUCTS: dict[str, Product] = {
    p.name: p
    for p in (
        Product("tisa-cel", "cd19", "4-1bb", "3e8 cells", (25.0, 3, 250.0, 3), "Schuster2019"),
        Product("axi-cel", "cd19", "cd28", "2e6 cells/kg", (30.0, 3, 500.0, 3), "Neelapu2017"),
        Product("brexu-cel", "cd19", "cd28", "2e6 cells/kg", (30.0, 3, 500.0, 3), "Wang2020"),
        Product("liso-cel", "cd19", "4-1bb", "1e8 cells", (30.0, 3, 300.0, 3), "Abramson2020"),
        # obe-cel is given as a split dose by tumour burden: no single dose to preset.
        Product("obe-cel", "cd19", "4-1bb", None, (30.0, 4, 500.0, 2), "Roddie2024"),
        Product("kyv-101", "cd19", "cd28", "1e8 cells", (30.0, 3, 300.0, 3), "Fischbach2024"),
        Product("mb-cart19.1", "cd19", "4-1bb", "1e6 cells/kg", (25.0, 3, 1000.0, 1), "Mackensen2022"),
        Product("ide-cel", "bcma", "4-1bb", "4.5e8 cells", (30.0, 3, 300.0, 3), "Munshi2021"),
        Product("cilta-cel", "bcma", "4-1bb", "0.75e6 cells/kg", (30.0, 3, 300.0, 3), "Berdeja2021"),
        Product("ct103a", "bcma", "4-1bb", "1e6 cells/kg", (30.0, 3, 300.0, 3), "Qin2023"),
        Product("descartes-08", "mrna-bcma", None, "5.25e7 cells/kg", None, "Granit2023", every_days=7.0, count=6),
    )
}


def products_for(target: str) -> dict[str, Product]:
    """The products directed at ``target``."""
    return {name: p for name, p in PRODUCTS.items() if p.target == target}
