"""The public API is explicit and pinned: changing it is a decision, not an accident."""

import cartsim
import cartsim.engine
import cartsim.io
import cartsim.model
import cartsim.protocol

EXPECTED = {
    "cartsim": {
        "BACKENDS", "CartsimError", "DISCLAIMER", "Dose", "InputError", "Model", "ModelDefinitionError", "Regimen",
        "Simulation", "SolverOptions", "UnitError", "__version__", "compose", "first_model", "simulate", "to_sbml",
    },
    "cartsim.model": {
        "DoseRoute", "Expression", "LogNormal", "Model", "Module", "Parameter", "ParameterSet", "Quantity", "State",
        "Symbolic", "compose", "symbol",
    },
    "cartsim.engine": {"BACKENDS", "DISCLAIMER", "STATUS_MESSAGES", "Simulation", "SolverOptions", "simulate", "time_grid"},
    "cartsim.protocol": {"Dose", "MAX_DOSES", "Regimen"},
    "cartsim.io": {"l3_formula", "to_sbml"},
}


def test_public_api_is_pinned():
    for module in (cartsim, cartsim.model, cartsim.engine, cartsim.protocol, cartsim.io):
        assert set(module.__all__) == EXPECTED[module.__name__], module.__name__
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_py_typed_is_shipped():
    from importlib.resources import files

    assert files("cartsim").joinpath("py.typed").is_file()
