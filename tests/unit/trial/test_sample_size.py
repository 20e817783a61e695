"""Sample sizes against textbook values (cartsim.trial.sample_size)."""

from __future__ import annotations

import math

import pytest

from cartsim.errors import InputError
from cartsim.trial.sample_size import patients_per_arm


def test_two_proportions_normal_approximation() -> None:
    # (1.96 + 0.8416)^2 * (0.25 + 0.2275) / 0.15^2 = 166.6 (Chow, Shao & Wang 4.2)
    size = patients_per_arm("binary", (0.5, 0.35))
    assert (size.arm_a, size.arm_b, size.per_arm, size.total, size.events) == (167, 167, 167, 334, None)
    # Pooled variance under the null (Fleiss, no continuity correction): 169.3
    assert patients_per_arm("binary", (0.5, 0.35), pooled_variance=True).per_arm == 170
    # One-sided, same power: (1.645 + 0.8416)^2 * 0.4775 / 0.0225 = 131.2
    assert patients_per_arm("binary", [0.5, 0.35], two_sided=False).per_arm == 132


def test_power_and_alpha_move_the_size_the_right_way() -> None:
    base = patients_per_arm("binary", (0.3, 0.5)).per_arm
    assert patients_per_arm("binary", (0.3, 0.5), power=0.9).per_arm > base
    assert patients_per_arm("binary", (0.3, 0.5), alpha=0.01).per_arm > base
    assert patients_per_arm("binary", (0.5, 0.3)).per_arm == base


def test_schoenfeld_events_and_patients() -> None:
    # 4 * (1.96 + 0.8416)^2 / ln(0.7)^2 = 246.8 events
    size = patients_per_arm("time_to_event", 0.7, event_probability=1.0)
    assert size.events == 247 and size.per_arm == 124
    assert patients_per_arm("time_to_event", 1 / 0.7, event_probability=0.5).events == 247
    assert patients_per_arm("time_to_event", 0.7, event_probability=0.5).per_arm == 247
    # Different event probabilities: 246.8 / (0.6 + 0.4) patients per arm
    assert patients_per_arm("time_to_event", 0.7, event_probability=(0.6, 0.4)).per_arm == 247
    # 2:1 allocation: (1 + 2)^2 / 2 * 7.849 / ln(0.7)^2 = 277.6 events
    uneven = patients_per_arm("time_to_event", 0.7, event_probability=1.0, allocation=2)
    assert uneven.events == 278 and (uneven.arm_a, uneven.arm_b) == (93, 186)


def test_two_means() -> None:
    # 2 * (1.96 + 0.8416)^2 / 0.5^2 = 62.8 per arm
    assert patients_per_arm("continuous", 0.5, sd=1.0).per_arm == 63
    assert patients_per_arm("continuous", (10.0, 12.0), sd=4.0).per_arm == 63
    assert patients_per_arm("continuous", -5.0, sd=10.0, power=0.9).per_arm == math.ceil(2 * (1.959964 + 1.281552) ** 2 / 0.25)


@pytest.mark.parametrize(
    ("kind", "effect", "options"),
    [
        ("survival", 0.7, {}),
        ("binary", (0.5, 0.35), {"power": 1.0}),
        ("binary", (0.5, 0.35), {"power": 0.0}),
        ("binary", (0.5, 0.35), {"alpha": 1.5}),
        ("binary", (0.5, 0.35), {"alpha": True}),
        ("binary", (0.5, 0.35), {"allocation": 0}),
        ("binary", (0.0, 0.35), {}),
        ("binary", (0.5, 1.0), {}),
        ("binary", (0.4, 0.4), {}),
        ("binary", 0.4, {}),
        ("time_to_event", 1.0, {"event_probability": 0.5}),
        ("time_to_event", 0.0, {"event_probability": 0.5}),
        ("time_to_event", -0.7, {"event_probability": 0.5}),
        ("time_to_event", float("nan"), {"event_probability": 0.5}),
        ("time_to_event", 0.7, {}),
        ("time_to_event", 0.7, {"event_probability": 0.0}),
        ("time_to_event", 0.7, {"event_probability": (0.5, 1.2)}),
        ("continuous", 0.5, {}),
        ("continuous", 0.5, {"sd": 0.0}),
        ("continuous", 0.0, {"sd": 1.0}),
        ("continuous", "big", {"sd": 1.0}),
    ],
)
def test_invalid_input_raises(kind: str, effect: object, options: dict[str, object]) -> None:
    with pytest.raises(InputError):
        patients_per_arm(kind, effect, **options)  # type: ignore[arg-type]
