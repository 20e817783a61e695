"""A plain-language summary of a virtual trial, written from its endpoint table.

Each endpoint says its own sentence (:attr:`cartsim.endpoints.Endpoint.sentence`); this
module orders them per arm, adds the comparisons between arms, and the caveat. Two arms are
called different only when their 95 % intervals do not overlap.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cartsim.endpoints import ENDPOINTS, ArmWords
from cartsim.endpoints.wording import finite, value_text
from cartsim.engine import DISCLAIMER
from cartsim.protocol import Treatment

__all__ = ["plain_summary"]


def _catalogue_name(row: Mapping[str, Any]) -> str:
    return str(row.get("catalogue") or row.get("endpoint"))


def _arm_sentences(rows: list[Mapping[str, Any]], words: ArmWords) -> list[str]:
    out = []
    for row in rows:
        endpoint = ENDPOINTS.get(_catalogue_name(row))
        # An event nobody reached has no finite median but still says something ("stayed low").
        if endpoint is None or endpoint.sentence is None or not (finite(row.get("value")) or endpoint.kind == "days"):
            continue
        if (sentence := endpoint.sentence(row, words)) is not None:
            out.append(sentence)
    return out


def _comparisons(by_arm: Mapping[str, list[Mapping[str, Any]]]) -> list[str]:
    """Between two or more arms: different only where the 95 % intervals do not overlap."""
    out = []
    for name, endpoint in ENDPOINTS.items():
        if not endpoint.words:
            continue
        rows = {a: r for a, arm_rows in by_arm.items() for r in arm_rows if _catalogue_name(r) == name and finite(r.get("value"))}
        if len(rows) < 2 or not all(finite(r.get("lower", r.get("low"))) and finite(r.get("upper", r.get("high"))) for r in rows.values()):
            continue
        low = max(float(r.get("lower", r.get("low"))) for r in rows.values())
        high = min(float(r.get("upper", r.get("high"))) for r in rows.values())
        unit = " days" if endpoint.kind == "days" else ""
        if low <= high:
            out.append(f"On {endpoint.words}, the 95% intervals of the arms overlap, so these virtual trials do not clearly separate them.")
        elif len(rows) == 2:
            (a, ra), (b, rb) = rows.items()
            out.append(f"On {endpoint.words}, the arms differ in this model: {a} {value_text(ra, unit)} versus {b} {value_text(rb, unit)}.")
    return out


def plain_summary(summary: Any, arms: Mapping[str, Treatment | None], horizon_days: float | None = None) -> list[str]:
    """Paragraphs a patient could read, generated from the endpoint table.

    Parameters
    ----------
    summary
        DataFrame with columns ``arm, endpoint, catalogue, statistic, value, lower, upper, n, censored``
        (``catalogue`` is the endpoint's catalogue name when ``endpoint`` is a label).
    arms
        Arm name -> its treatment (to tell repeated antibody dosing from a single infusion).
    horizon_days
        Length of the simulation, for "by the end of ..." sentences.

    Returns
    -------
    list of str
        One paragraph per arm that has something to say, then comparisons, then the caveat.
    """
    by_arm: dict[str, list[Mapping[str, Any]]] = {}
    for record in summary.to_dict("records") if summary is not None else []:
        by_arm.setdefault(str(record.get("arm")), []).append(record)
    paragraphs = []
    for arm in list(arms) + [a for a in by_arm if a not in arms]:
        sentences = _arm_sentences(by_arm.get(arm, []), ArmWords(arms.get(arm), horizon_days))
        if sentences:
            paragraphs.append(f"With {arm}: " + " ".join(sentences))
    paragraphs += _comparisons(by_arm)
    paragraphs.append(
        "These numbers describe virtual patients in a computer model, not people in a real trial. Real "
        "people differ, and the model leaves out much of real life. Please discuss treatment decisions "
        f"with your doctor. {DISCLAIMER}"
    )
    return paragraphs
