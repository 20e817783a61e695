"""Regimen entries of TARGETS.md become doses on the model's routes and therapy switches;
every bad entry is an InputError naming the field, the value and what is allowed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cartsim import InputError, UnitError
from cartsim.protocol import Treatment, default_therapies, parse_regimen
from tests.conftest import ERLANGEN_CART, ERLANGEN_FLU_CY

FLU_CY = ERLANGEN_FLU_CY
CART = ERLANGEN_CART


def test_lymphodepletion_then_cd19_cart():
    t = parse_regimen([FLU_CY, CART])
    routes = [(d.route, d.amount, d.day) for d in t.regimen]
    assert routes == [
        ("fludarabine_iv", "25.0 mg/m**2", -5.0),
        ("fludarabine_iv", "25.0 mg/m**2", -4.0),
        ("fludarabine_iv", "25.0 mg/m**2", -3.0),
        ("cyclophosphamide_iv", "1000.0 mg/m**2", -5.0),
        ("cart_infusion", "1e6 cells/kg", 0.0),
    ]
    assert dict(t.parameters) == {"cart_targets_cd19": 1.0, "cart_targets_bcma": 0.0, "cart_costim_cd28": 0.0}
    assert t.names == ("flu-cy", "cd19-cart") and t.antibody is None
    assert t.dose_days == (-5.0, -4.0, -3.0, 0.0)


def test_bcma_cd28_and_flat_dose():
    t = parse_regimen([{"therapy": "bcma-cart", "day": 0, "costim": "cd28", "dose": "1e8 cells"}])
    assert dict(t.parameters) == {"cart_targets_cd19": 0.0, "cart_targets_bcma": 1.0, "cart_costim_cd28": 1.0}


PRODUCTS = {
    product: (target, made["costim"])
    for target in ("cd19", "bcma")
    for product, made in default_therapies()[f"{target}-cart"].presets.items()
}


@pytest.mark.parametrize("product", sorted(PRODUCTS))
def test_products_set_target_and_costim(product):
    target, costim = PRODUCTS[product]
    t = parse_regimen([{"therapy": f"{target}-cart", "day": 0, "product": product, "dose": "1e6 cells/kg"}])
    assert t.parameters["cart_costim_cd28"] == float(costim == "cd28")
    assert t.parameters[f"cart_targets_{target}"] == 1.0


def test_ocrelizumab_default_infusion_times_and_repeats():
    t = parse_regimen(
        [
            {"therapy": "ocrelizumab", "day": 0, "dose": "300 mg"},
            {"therapy": "ocrelizumab", "day": 168, "dose": "600 mg", "every_days": 168, "count": 3},
            {"therapy": "ocrelizumab", "day": 700, "dose": "0.6 g", "infusion_hours": 2},
        ]
    )
    first, maintenance, fast = t.regimen.doses
    assert (first.route, first.duration_days) == ("ocrelizumab_iv", pytest.approx(2.5 / 24))
    assert maintenance.duration_days == pytest.approx(3.5 / 24) and list(maintenance.times) == [168, 336, 504]
    assert fast.duration_days == pytest.approx(2 / 24)
    assert t.antibody == "ocrelizumab" and t.antibody_dose_days == (0.0, 168.0, 336.0, 504.0, 700.0)


def test_rituximab_ofatumumab_mrna():
    assert parse_regimen([{"therapy": "rituximab", "day": 0, "dose": "1000 mg"}]).regimen.doses[0].duration_days == pytest.approx(4 / 24)
    t = parse_regimen([{"therapy": "ofatumumab", "day": 0, "dose": "20 mg", "every_days": 28, "count": 3}])
    assert t.regimen.doses[0].route == "ofatumumab_sc" and t.antibody == "ofatumumab"
    m = parse_regimen([{"therapy": "mrna-bcma-cart", "day": 0, "dose": "5e7 cells/kg", "every_days": 7, "count": 6}])
    assert m.regimen.doses[0].route == "mrna_cart_infusion" and len(m.regimen.doses[0].times) == 6


def test_interferon_and_placebo():
    t = parse_regimen([{"therapy": "interferon-beta-1a", "day": 0, "every_days": 2, "count": 3}])
    assert dict(t.parameters) == {"interferon_on": 1.0} and len(t.regimen) == 0
    p = parse_regimen([{"therapy": "placebo", "day": 0}])
    assert isinstance(p, Treatment) and len(p.regimen) == 0 and p.names == ("placebo",)
    assert parse_regimen([]).regimen.doses == ()


@pytest.mark.parametrize(
    ("entries", "field", "allowed"),
    [
        ([{"therapy": "car-t", "day": 0}], "regimen[0].therapy", "flu-cy"),
        ([{"day": 0}], "regimen[0].therapy", "ocrelizumab"),
        ([{"therapy": "placebo"}], "regimen[0].day", "required"),
        ([{"therapy": "placebo", "day": "zero"}], "regimen[0].day", "a number of days from"),
        ([{"therapy": "placebo", "day": 0, "dose": "1 mg"}], "regimen[0].dose", "the fields of placebo"),
        ([CART, {"therapy": "ocrelizumab", "day": 0, "dose": "-300 mg"}], "regimen[1].dose", "non-negative"),
        ([{"therapy": "ocrelizumab", "day": 0, "dose": "300 cells"}], "regimen[0].dose", "mg"),
        ([{"therapy": "ocrelizumab", "day": 0, "dose": 300}], "regimen[0].dose", "a string"),
        ([{"therapy": "ocrelizumab", "day": 0}], "regimen[0].dose", "required"),
        ([{"therapy": "ocrelizumab", "day": 0, "dose": "300 mg", "infusion_hours": 0}], "regimen[0].infusion_hours", "> 0"),
        ([{"therapy": "cd19-cart", "day": 0, "dose": "1e6 cells/kg"}], "regimen[0].costim", "'4-1bb' or 'cd28'"),
        ([{**CART, "costim": "cd3z"}], "regimen[0].costim", "'4-1bb', 'cd28'"),
        ([{**CART, "dose": "1e6 mg"}], "regimen[0].dose", "cells"),
        ([{**CART, "product": "ide-cel"}], "regimen[0].product", "a cd19-cart product"),
        ([{**CART, "product": "axi-cel"}], "regimen[0].costim", "'cd28', the co-stimulatory domain of axi-cel"),
        ([{**CART, "product": "made-up"}], "regimen[0].product", "tisa-cel"),
        ([CART, {**CART, "therapy": "bcma-cart", "day": 30}], "regimen[1].therapy", "one CAR-T product per regimen"),
        ([CART, {**CART, "costim": "cd28", "day": 30}], "regimen[1].therapy", "both set cart_costim_cd28"),
        (
            [{"therapy": "ocrelizumab", "day": 0, "dose": "300 mg"}, {"therapy": "rituximab", "day": 0, "dose": "1 g"}],
            "regimen[1].therapy",
            "one anti-CD20 antibody",
        ),
        ([{"therapy": "interferon-beta-1a", "day": 7}], "regimen[0].day", "continuous therapy from day 0"),
        ([{"therapy": "ofatumumab", "day": 0, "dose": "20 mg", "count": 3}], "regimen[0].every_days", "count > 1"),
        ([{"therapy": "ofatumumab", "day": 0, "dose": "20 mg", "every_days": 0, "count": 3}], "regimen[0].every_days", "> 0"),
        ([{"therapy": "ofatumumab", "day": 0, "dose": "20 mg", "every_days": 28, "count": 2.5}], "regimen[0].count", "whole number"),
        ([{**FLU_CY, "fludarabine_days": True}], "regimen[0].fludarabine_days", "whole number"),
        ([{**FLU_CY, "fludarabine_mg_per_m2": -1}], "regimen[0].fludarabine_mg_per_m2", "from 0 to 200"),
        ([{**FLU_CY, "fludarabine_mg_per_m2": 1e300}], "regimen[0].fludarabine_mg_per_m2", "from 0 to 200"),
        ([{**CART, "dose": "1e150 cells"}], "regimen[0].dose", "from 0 to 1e+11 cells"),
        ([{**CART, "day": -1e300}], "regimen[0].day", "from -36,500 to 36,500"),
        ([{"therapy": "ocrelizumab", "day": 0, "dose": "300 mg", "infusion_hours": 1e6}], "regimen[0].infusion_hours", "at most 48"),
        ([{**FLU_CY, "fludarabine_days": 0, "cyclophosphamide_days": 0}], "regimen[0].fludarabine_days", "at least one day"),
        ([{k: v for k, v in FLU_CY.items() if k != "cyclophosphamide_days"}], "regimen[0].cyclophosphamide_days", "required"),
        ("placebo", "regimen", "a list of tables"),
        (["placebo"], "regimen[0]", "a table"),
    ],
)
def test_bad_entries_name_field_value_and_allowed(entries, field, allowed):
    with pytest.raises(InputError) as info:
        parse_regimen(entries)
    assert info.value.field == field
    assert allowed in info.value.allowed


def test_a_second_infusion_of_the_same_product_is_a_second_dose():
    t = parse_regimen([CART, {**CART, "day": 270}])
    assert [d.day for d in t.regimen.doses] == [0.0, 270.0] and t.parameters["cart_targets_cd19"] == 1.0


def test_the_catalogue_follows_the_model_s_modules():
    from cartsim.biology import lymphodepletion, ocrelizumab_pkpd
    from cartsim.protocol import therapy_catalogue

    catalogue = therapy_catalogue([lymphodepletion, ocrelizumab_pkpd])
    assert list(catalogue) == ["placebo", "flu-cy", "ocrelizumab"]
    with pytest.raises(InputError, match="allowed: one of placebo, flu-cy, ocrelizumab"):
        parse_regimen([CART], therapies=catalogue)


def test_field_prefix_is_the_callers():
    with pytest.raises(UnitError, match=r"^target 'x'\.regimen\[0\]\.dose: got '1 parsec'"):
        parse_regimen([{"therapy": "ocrelizumab", "day": 0, "dose": "1 parsec"}], field="target 'x'.regimen")


@given(
    st.dictionaries(
        st.sampled_from(["therapy", "day", "dose", "costim", "every_days", "count", "bogus"]),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-5, 5),
            st.floats(allow_nan=True),
            st.text(max_size=8),
            st.sampled_from(list(default_therapies()) + ["300 mg", "1e6 cells/kg", "cd28"]),
        ),
    )
)
def test_arbitrary_entries_parse_or_raise_input_error(entry):
    try:
        parse_regimen([entry])
    except InputError as exc:
        assert exc.field.startswith("regimen")


def test_a_car_t_without_lymphodepletion_is_warned_about():
    import warnings

    from cartsim.errors import CartsimWarning

    with pytest.warns(CartsimWarning, match=r"regimen\[0\]: cd19-cart on day 0 with no lymphodepletion"):
        parse_regimen([CART])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        parse_regimen([FLU_CY, CART])
        parse_regimen([{"therapy": "mrna-bcma-cart", "day": 0, "dose": "5e7 cells/kg"}])  # given without lymphodepletion by design


# -- named products: published dose and lymphodepletion ------------------------------------
def test_a_product_fills_its_dose_domain_and_lymphodepletion():
    t = parse_regimen([{"therapy": "flu-cy", "day": -5, "product": "axi-cel"}, {"therapy": "cd19-cart", "day": 0, "product": "axi-cel"}])
    doses = [(d.route, d.amount, d.day) for d in t.regimen.doses]
    assert doses == [
        *((("fludarabine_iv", "30.0 mg/m**2", float(day))) for day in (-5, -4, -3)),
        *((("cyclophosphamide_iv", "500.0 mg/m**2", float(day))) for day in (-5, -4, -3)),
        ("cart_infusion", "2e6 cells/kg", 0.0),
    ]
    assert t.parameters["cart_costim_cd28"] == 1.0
    # a field the entry gives wins (another dose of the same product) ...
    other = parse_regimen([{"therapy": "cd19-cart", "day": 0, "product": "axi-cel", "dose": "1e6 cells/kg"}])
    assert other.regimen.doses[0].amount == "1e6 cells/kg"
    # ... and a product without a single dose needs one
    with pytest.raises(InputError) as error:
        parse_regimen([{"therapy": "cd19-cart", "day": 0, "product": "obe-cel"}])
    assert error.value.field == "regimen[0].dose"


def test_the_mrna_product_is_six_weekly_infusions_without_lymphodepletion():
    (dose,) = parse_regimen([{"therapy": "mrna-bcma-cart", "day": 0, "product": "descartes-08"}]).regimen.doses
    assert (dose.amount, dose.every_days, dose.count) == ("5.25e7 cells/kg", 7.0, 6)
    with pytest.raises(InputError) as error:
        parse_regimen([{"therapy": "flu-cy", "day": -5, "product": "descartes-08"}])
    assert error.value.field == "regimen[0].product" and "axi-cel" in error.value.allowed


def test_every_product_is_sourced_and_in_the_targets_format():
    from cartsim.biology.products import PRODUCTS
    from cartsim.formats import format_text
    from cartsim.parameters.bibliography import BIBLIOGRAPHY

    table = format_text("targets")
    for product in PRODUCTS.values():
        assert product.source in BIBLIOGRAPHY, product.name
        assert f"| `{product.name}` | `{product.target}-cart` |" in table
        if product.dose:
            assert product.dose in table
