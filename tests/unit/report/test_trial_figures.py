"""Trial figures: reference lines at the endpoints' default thresholds, and no silent axis floor."""

from __future__ import annotations

import numpy as np
import xarray as xr

from cartsim.report.trial_figures import band_figure, reference_lines

TIMES = np.arange(0.0, 101.0)


def _bands(name: str, units: str, median: np.ndarray) -> xr.Dataset:
    values = np.stack([0.5 * median, median, 2.0 * median], axis=-1)[None]  # arm x time x quantile
    return xr.Dataset(
        {name: (("arm", "time", "quantile"), values, {"units": units})},
        coords={"arm": ["a"], "time": TIMES, "quantile": [0.05, 0.5, 0.95]},
    )


def test_reference_lines_are_the_endpoints_thresholds_in_the_plot_units():
    assert [v for v, _ in reference_lines("bcells_blood", "cells/uL")] == [10.0]
    assert [v for v, _ in reference_lines("bcells_blood", "cells/mL")] == [10_000.0]
    assert [v for v, _ in reference_lines("igg_total", "g/L")] == [7.0]
    assert [v for v, _ in reference_lines("cart_blood", "cells/uL")] == [0.1]
    assert reference_lines("autoantibody", "1") == []


def test_a_depleted_band_on_a_log_axis_says_where_it_is_floored():
    depleted = np.where(TIMES < 10, 200.0, 1e-7)  # falls below the log floor: drawn at it, and the figure says so
    figure = band_figure(_bands("bcells_blood", "cells/uL", depleted), "bcells_blood")
    assert figure is not None
    assert "Dashed line:" in figure.alt and "(10 cells/uL)" in figure.alt
    assert "are drawn at" in figure.alt
    steady = band_figure(_bands("bcells_blood", "cells/uL", np.full(TIMES.shape, 200.0)), "bcells_blood")
    assert steady is not None and "are drawn at" not in steady.alt
