"""The public API is explicit and pinned: changing it is a decision, not an accident."""

import cartsim
import cartsim.endpoints
import cartsim.engine
import cartsim.io
import cartsim.model
import cartsim.population
import cartsim.protocol
import cartsim.sensitivity
import cartsim.trial
import cartsim.validation

EXPECTED = {
    "cartsim": {
        "BACKENDS",
        "CartsimError",
        "Cohort",
        "DISCLAIMER",
        "Dose",
        "InputError",
        "Model",
        "ModelDefinitionError",
        "Regimen",
        "Simulation",
        "SolverOptions",
        "UnitError",
        "__version__",
        "build_model",
        "compose",
        "first_model",
        "full_model",
        "run_trial",
        "simulate",
        "simulate_cohort",
        "to_sbml",
    },
    "cartsim.model": {
        "Administration",
        "Change",
        "Choice",
        "Course",
        "DoseRoute",
        "Expression",
        "Hypothesis",
        "LogNormal",
        "Model",
        "PLACEBO",
        "Therapy",
        "Module",
        "Parameter",
        "ParameterSet",
        "Quantity",
        "State",
        "Symbolic",
        "compose",
        "symbol",
    },
    "cartsim.engine": {"BACKENDS", "DISCLAIMER", "Simulation", "SolverOptions", "Status", "simulate", "time_grid"},
    "cartsim.protocol": {"Dose", "MAX_DOSES", "Regimen", "Treatment", "default_therapies", "parse_regimen", "therapy_catalogue"},
    "cartsim.endpoints": {
        "ENDPOINTS",
        "ArmWords",
        "Endpoint",
        "EndpointContext",
        "EndpointValues",
        "Option",
        "compute_endpoint",
        "endpoint_spec",
        "first_day_at_or_above_after",
        "first_day_below",
    },
    "cartsim.validation": {
        "Row",
        "SCHEMA",
        "STATISTICS",
        "Scorecard",
        "Statistic",
        "Target",
        "TargetsFile",
        "bootstrap",
        "calibration_path",
        "calibration_paths",
        "gaps_path",
        "interval",
        "load_calibration",
        "load_gaps",
        "load_targets",
        "parse_statistic",
        "parse_targets",
        "print_scorecard",
        "quantiles",
        "run_scorecard",
        "summarise",
        "write_json",
    },
    "cartsim.trial": {
        "Comparison",
        "KMCurve",
        "SampleSize",
        "Scenario",
        "TrialResult",
        "compare_arms",
        "kaplan_meier",
        "km_by_arm",
        "load_result",
        "load_scenario",
        "parse_scenario",
        "patients_per_arm",
        "plot_km",
        "run_trial",
    },
    "cartsim.population": {
        "AS_GIVEN",
        "Cohort",
        "CohortResult",
        "Correlation",
        "POPULATIONS",
        "POPULATION_NAMES",
        "Population",
        "builtin_population",
        "cohort_model",
        "patient_ids",
        "patient_normals",
        "sample_parameters",
        "simulate_cohort",
    },
    "cartsim.io": {"EventData", "l3_formula", "read_events", "to_sbml", "write_events"},
    "cartsim.sensitivity": {"METHODS", "Factor", "SensitivityResult", "analyse", "default_factors", "factors_from_ranges", "sensitivity"},
}


def test_public_api_is_pinned():
    for module in (
        cartsim,
        cartsim.model,
        cartsim.engine,
        cartsim.protocol,
        cartsim.io,
        cartsim.endpoints,
        cartsim.validation,
        cartsim.population,
        cartsim.trial,
        cartsim.sensitivity,
    ):
        assert set(module.__all__) == EXPECTED[module.__name__], module.__name__
        for name in module.__all__:
            assert hasattr(module, name), f"{module.__name__}.{name}"


def test_import_is_lazy():
    import subprocess
    import sys

    code = "import sys, cartsim; print(sorted(m for m in ('numba', 'sympy', 'pandas', 'xarray', 'lifelines') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"


def test_py_typed_is_shipped():
    from importlib.resources import files

    assert files("cartsim").joinpath("py.typed").is_file()
