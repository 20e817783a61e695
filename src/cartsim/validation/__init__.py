"""Validation against published observations: targets files, statistics and the scorecard.

``cartsim validate`` reads a targets file (format: ``cartsim formats targets``), simulates each target with an
evaluator and prints the scorecard. The calibration targets ship with the package: the shared set
and cartsim's own (:func:`load_calibration`), and so do the known gaps, published observations the model
does not yet reproduce (:func:`load_gaps`).
"""

from cartsim.validation.scorecard import Row, Scorecard, print_scorecard, run_scorecard, write_json
from cartsim.validation.statistics import STATISTICS, Statistic, bootstrap, interval, parse_statistic, quantiles, summarise
from cartsim.validation.targets import (
    SCHEMA,
    Target,
    TargetsFile,
    calibration_path,
    calibration_paths,
    gaps_path,
    load_calibration,
    load_gaps,
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
]
