"""Validation against published observations: targets files, statistics and the scorecard.

``cartsim validate`` reads a targets file (format: ``cartsim formats targets``), simulates each target with an
evaluator and prints the scorecard. The calibration targets ship with the package: the shared set
and cartsim's own (:func:`load_calibration`).
"""

from cartsim.validation.scorecard import Row, Scorecard, print_scorecard, run_scorecard, write_json
from cartsim.validation.statistics import STATISTICS, Statistic, bootstrap, interval, parse_statistic, quantiles, summarise
from cartsim.validation.targets import (
    SCHEMA,
    Target,
    TargetsFile,
    calibration_path,
    calibration_paths,
    load_calibration,
    load_targets,
    parse_targets,
)

__all__ = [
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
    "interval",
    "load_calibration",
    "load_targets",
    "parse_statistic",
    "parse_targets",
    "print_scorecard",
    "quantiles",
    "run_scorecard",
    "summarise",
    "write_json",
]
