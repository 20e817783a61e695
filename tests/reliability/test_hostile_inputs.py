"""Every hostile input of ``cases.CASES`` is refused cleanly or handled (see ``cases`` for the rules)."""

from __future__ import annotations

import pytest

from tests.reliability.cases import CASES, run_case


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case, tmp_path):
    result = run_case(case, tmp_path)
    assert result.outcome == case.expect, result.detail
