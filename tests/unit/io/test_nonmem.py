"""NONMEM-style event datasets: read into regimens, observations and covariates; written back; bad rows named."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

import cartsim
from cartsim.errors import InputError
from cartsim.io import read_events, write_events

# Two subjects on ocrelizumab: 300 mg over 2.5 h twice, then 600 mg every 24 weeks (ADDL), serum levels with one BLQ.
DATASET = """ID,TIME,EVID,AMT,RATE,CMT,II,ADDL,DV,MDV,CENS,LLOQ,WT,SEX
1,0,1,300,120,1,.,.,.,1,0,.,72,1
1,2.5,0,.,.,2,.,.,95.1,0,0,0.05,72,1
1,336,1,300,120,1,.,.,.,1,0,.,72,1
1,672,0,.,.,2,.,.,60.2,0,0,0.05,72,1
1,4032,1,600,171.4286,1,4032,2,.,1,0,.,72,1
1,8000,0,.,.,2,.,.,0.05,0,1,0.05,72,1
2,0,1,300,120,1,.,.,.,1,0,.,58,2
2,24,2,.,.,.,.,.,.,1,0,.,58,2
2,48,0,.,.,2,.,.,80.0,0,0,0.05,58,2
"""
DOSES = {1: ("ocrelizumab_iv", "mg")}
OBSERVED = {2: ("ocrelizumab_concentration", "ug/mL")}
COVARIATES = {"WT": ("body_weight", "kg")}


def _frame(text: str = DATASET) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), na_values=["."])


def _read(text: str = DATASET, **kwargs):
    return read_events(_frame(text), doses=DOSES, observations=OBSERVED, covariates=COVARIATES, **kwargs)


def test_doses_observations_and_covariates_are_read_in_days_and_units(tmp_path) -> None:
    path = tmp_path / "data.csv"
    path.write_text(DATASET)
    data = read_events(path, doses=DOSES, observations=OBSERVED, covariates=COVARIATES, model=cartsim.full_model())
    first = data.regimens[1].doses
    assert [d.amount for d in first] == ["300 mg", "300 mg", "600 mg"]
    assert [d.day for d in first] == [0.0, 14.0, 168.0]
    assert first[0].duration_days == pytest.approx(2.5 / 24)  # AMT / RATE hours
    assert first[2].count == 3 and first[2].every_days == 168.0  # ADDL 2 more, II 4032 h
    obs = data.observations
    assert list(obs["id"]) == [1, 1, 1, 2] and list(obs["day"]) == pytest.approx([2.5 / 24, 28.0, 8000 / 24, 2.0])
    assert list(obs["censored"]) == [False, False, True, False] and obs["lloq"].iloc[2] == 0.05
    assert data.covariates.loc[2, "body_weight"] == 58.0 and data.covariate_units == {"body_weight": "kg"}
    assert data.ids == (1, 2)


def test_what_is_written_reads_back_the_same() -> None:
    data = _read()
    table = write_events(
        data,
        doses={"ocrelizumab_iv": (1, "mg")},
        observations={"ocrelizumab_concentration": (2, "ug/mL")},
        covariates={"body_weight": "WT"},
    )
    again = read_events(table, doses=DOSES, observations=OBSERVED, covariates=COVARIATES)
    assert again.regimens == data.regimens
    pd.testing.assert_frame_equal(again.observations, data.observations)
    pd.testing.assert_frame_equal(again.covariates, data.covariates)


def test_a_read_regimen_runs_on_the_model() -> None:
    data = _read()
    times = np.arange(0.0, 30.0)
    result = cartsim.simulate(cartsim.full_model(), data.regimens[1], {"body_weight": 72.0}, times=times)
    level = result.dataset["ocrelizumab_concentration"].values[0]
    assert result.n_failed == 0 and level[1] > 50 and level[15] > level[13]  # the second 300 mg on day 14 raises the level


def _with(row: int, column: str, value: str) -> str:
    lines = DATASET.strip().splitlines()
    header = lines[0].split(",")
    cells = lines[row].split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("row", "column", "value", "named"),
    [
        (1, "AMT", "lots", "row 1 (ID 1), AMT"),
        (3, "TIME", "-1", "row 3 (ID 1), TIME"),
        (1, "CMT", "5", "row 1 (ID 1), CMT"),
        (1, "RATE", "-2", "row 1 (ID 1), RATE"),
        (1, "EVID", "4", "row 1 (ID 1), EVID"),
        (5, "II", ".", "row 5 (ID 1), II"),
        (5, "ADDL", "1.5", "row 5 (ID 1), ADDL"),
        (1, "CMT", "1.7", "row 1 (ID 1), CMT"),
        (2, "DV", ".", "row 2 (ID 1), DV"),
        (8, "WT", "heavy", "row 8 (ID 2), WT"),
        (1, "AMT", "0", "row 1 (ID 1), AMT"),
        (2, "CMT", "3", "row 2 (ID 1), CMT"),
        (6, "CENS", "-1", "row 6 (ID 1), CENS"),
        (8, "WT", "60", "row 8 (ID 2), WT"),
    ],
)
def test_a_bad_row_is_named(row: int, column: str, value: str, named: str) -> None:
    with pytest.raises(InputError) as error:
        _read(_with(row, column, value))
    assert error.value.field == named


def test_a_bad_mapping_or_table_is_named() -> None:
    model = cartsim.full_model()
    with pytest.raises(InputError, match="doses\\[1\\]"):
        read_events(_frame(), doses={1: ("ofatumumab_iv", "mg")}, model=model)
    with pytest.raises(InputError, match="observations\\[2\\] unit"):
        read_events(_frame(), doses=DOSES, observations={2: ("ocrelizumab_concentration", "kg")}, model=model)
    with pytest.raises(InputError, match="ID"):
        read_events(pd.DataFrame({"TIME": [0.0]}), doses=DOSES)
    with pytest.raises(InputError, match="time_unit"):
        _read(time_unit="fortnights of sorts")


def test_comments_blank_lines_and_limits_without_a_value(tmp_path) -> None:
    # A C column marks comment rows (NONMEM's IGNORE=C); a blank line still counts as a row; a value below the
    # limit may leave DV empty and give the limit in LLOQ.
    text = "C,ID,TIME,EVID,AMT,CMT,DV,CENS,LLOQ\nC,1,0,1,999,1,.,0,.\n.,1,0,1,300,1,.,0,.\n\n.,1,48,0,.,2,.,1,0.05\n.,1,72,0,.,2,lots,0,.\n"
    path = tmp_path / "commented.csv"
    path.write_text(text)
    with pytest.raises(InputError) as error:
        read_events(path, doses=DOSES, observations=OBSERVED)
    assert error.value.field == "row 5 (ID 1), DV"  # the file's fifth row after the header
    path.write_text(text.rsplit("\n", 2)[0] + "\n")
    data = read_events(path, doses=DOSES, observations=OBSERVED)
    assert [d.amount for d in data.regimens[1].doses] == ["300 mg"]  # the commented-out 999 mg is not a dose
    below = data.observations.iloc[0]
    assert below["censored"] and below["value"] == 0.05 == below["lloq"]


def test_a_value_listed_before_a_dose_at_the_same_time_is_pre_dose() -> None:
    text = "ID,TIME,EVID,AMT,CMT,DV\n1,0,1,300,1,.\n1,336,0,.,2,20\n1,336,1,300,1,.\n1,336,0,.,2,110\n"
    data = read_events(_frame(text), doses=DOSES, observations=OBSERVED)
    assert list(data.observations["predose"]) == [True, False]
    table = write_events(data, doses={"ocrelizumab_iv": (1, "mg")}, observations={"ocrelizumab_concentration": (2, "ug/mL")})
    assert list(table.loc[table["TIME"] == 336, "EVID"]) == [0, 1, 0]  # the trough before the dose, the peak after it


def test_written_in_other_units_the_limit_converts_with_the_value() -> None:
    data = _read()
    table = write_events(data, doses={"ocrelizumab_iv": (1, "g")}, observations={"ocrelizumab_concentration": (2, "ng/mL")})
    below = table[table["CENS"] == 1].iloc[0]
    assert below["DV"] == pytest.approx(50.0) and below["LLOQ"] == pytest.approx(50.0)
    assert table.loc[table["EVID"] == 1, "AMT"].iloc[0] == pytest.approx(0.3)
    again = read_events(table, doses={1: ("ocrelizumab_iv", "g")}, observations={2: ("ocrelizumab_concentration", "ng/mL")})
    assert [float(d.quantity.to("mg").magnitude) for d in again.regimens[1].doses] == pytest.approx([300, 300, 600])
