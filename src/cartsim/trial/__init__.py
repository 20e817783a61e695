"""Virtual trials: scenario files, chunked runs with resumable result folders, results with intervals."""

from cartsim.trial.result import TrialResult, load_result
from cartsim.trial.run import run_trial
from cartsim.trial.sample_size import SampleSize, patients_per_arm
from cartsim.trial.scenario import Scenario, load_scenario, parse_scenario
from cartsim.trial.survival import Comparison, KMCurve, compare_arms, kaplan_meier, km_by_arm, plot_km

__all__ = [
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
]
