"""A plain-language summary of a virtual trial, written from its endpoint table.

Each endpoint says its own sentence (:attr:`cartsim.endpoints.Endpoint.sentence`); this
module orders them per arm, adds the comparisons between arms, and the caveat. Two arms are
called different only when their 95 % intervals do not overlap.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cartsim.endpoints import ENDPOINTS, ArmWords
from cartsim.endpoints.wording import finite, value_text
from cartsim.engine import DISCLAIMER
from cartsim.protocol import Treatment

__all__ = ["NEGLIGIBLE", "arm_sentences", "by_hypothesis", "contrast_parts", "hypothesis_contrast", "plain_summary"]

#: Answers closer than this (relative to the larger) are called alike even when their intervals do not overlap.
NEGLIGIBLE = 0.05


def _catalogue_name(row: Mapping[str, Any]) -> str:
    return str(row.get("catalogue") or row.get("endpoint"))


def _label(row: Mapping[str, Any]) -> str:
    """The scenario's name for the endpoint (several requests of one endpoint differ by it)."""
    return str(row.get("endpoint") or _catalogue_name(row))


def _named(row: Mapping[str, Any], text: str) -> str:
    """``text`` prefixed with the request's own name when it is not the catalogue name."""
    label = _label(row)
    return text if label == _catalogue_name(row) else f"{label.replace('_', ' ')}: {text}"


def _interval(row: Mapping[str, Any]) -> tuple[float, float] | None:
    low, high = row.get("lower", row.get("low")), row.get("upper", row.get("high"))
    return (float(low), float(high)) if finite(low) and finite(high) else None


def _what(label: str, endpoint: Any) -> str:
    """An endpoint request in words: the endpoint's own words, with the request's name when it has one."""
    if not endpoint.words:
        return label.replace("_", " ")
    return endpoint.words if label == endpoint.name else f"{endpoint.words} ({label.replace('_', ' ')})"


def _by_arm(summary: Any) -> dict[str, list[Mapping[str, Any]]]:
    by_arm: dict[str, list[Mapping[str, Any]]] = {}
    for record in summary.to_dict("records") if summary is not None else []:
        by_arm.setdefault(str(record.get("arm")), []).append(record)
    return by_arm


def _labelled_sentences(rows: list[Mapping[str, Any]], words: ArmWords) -> list[tuple[str, str]]:
    out = []
    for row in rows:
        endpoint = ENDPOINTS.get(_catalogue_name(row))
        # An event nobody reached has no finite median but still says something ("stayed low").
        if endpoint is None or endpoint.sentence is None or not (finite(row.get("value")) or endpoint.kind == "days"):
            continue
        if (sentence := endpoint.sentence(row, words)) is not None:
            out.append((_label(row), _named(row, sentence)))
    return out


def arm_sentences(
    summary: Any, arms: Mapping[str, Treatment | None], horizon_days: float | None = None
) -> dict[str, list[tuple[str, str]]]:
    """Per arm (in the order of ``arms``, then any other), its endpoints' sentences as ``(endpoint label, sentence)``.

    The same sentences :func:`plain_summary` joins into one paragraph per arm; kept apart here so
    that each number can be shown with what stands behind it (the web explorer's sources).
    """
    by_arm = _by_arm(summary)
    out = {}
    for arm in list(arms) + [a for a in by_arm if a not in arms]:
        if sentences := _labelled_sentences(by_arm.get(arm, []), ArmWords(arms.get(arm), horizon_days)):
            out[arm] = sentences
    return out


def _comparisons(by_arm: Mapping[str, list[Mapping[str, Any]]]) -> list[str]:
    """Between two or more arms, per requested endpoint: different only where the 95 % intervals do not overlap."""
    out = []
    labels = list(dict.fromkeys(_label(r) for rows in by_arm.values() for r in rows))
    for label in labels:
        rows = {a: r for a, arm_rows in by_arm.items() for r in arm_rows if _label(r) == label and finite(r.get("value"))}
        endpoint = ENDPOINTS.get(_catalogue_name(next(iter(rows.values())))) if rows else None
        if endpoint is None or not endpoint.words or len(rows) < 2 or not all(_interval(r) for r in rows.values()):
            continue
        low = max(_interval(r)[0] for r in rows.values())  # type: ignore[index]
        high = min(_interval(r)[1] for r in rows.values())  # type: ignore[index]
        unit = " days" if endpoint.kind == "days" else ""
        what = _what(label, endpoint)
        if low <= high:
            out.append(f"On {what}, the arms do not clearly differ. Their 95% intervals overlap.")
        elif len(rows) == 2:
            (a, ra), (b, rb) = rows.items()
            out.append(f"On {what}, the arms differ in this model. {a}: {value_text(ra, unit)}. {b}: {value_text(rb, unit)}.")
    return out


def contrast_parts(summary: Any) -> dict[str, tuple[list[str], list[str]]]:
    """Per arm, what the open questions change: the endpoints whose answers differ between hypotheses
    (each with its range and the hypotheses at either end) and the endpoints that every hypothesis
    answers alike, in words. See :func:`hypothesis_contrast`; the web explorer shows them as lists.
    """
    if summary is None or "hypothesis" not in summary or summary["hypothesis"].nunique() < 2:
        return {}
    out = {}
    records = summary.to_dict("records")
    for arm in dict.fromkeys(str(r["arm"]) for r in records):
        differs, alike = [], []
        for label in dict.fromkeys(_label(r) for r in records if str(r["arm"]) == arm):
            rows = [r for r in records if str(r["arm"]) == arm and _label(r) == label and finite(r.get("value"))]
            endpoint = ENDPOINTS.get(_catalogue_name(rows[0])) if rows else None
            if endpoint is None or len(rows) < 2 or not all(_interval(r) for r in rows):
                continue
            what = _what(label, endpoint)
            unit = " days" if endpoint.kind == "days" else ""
            low, high = min(rows, key=lambda r: float(r["value"])), max(rows, key=lambda r: float(r["value"]))
            overlap = max(_interval(r)[0] for r in rows) <= min(_interval(r)[1] for r in rows)  # type: ignore[index]
            close = abs(float(high["value"]) - float(low["value"])) <= NEGLIGIBLE * max(abs(float(high["value"])), abs(float(low["value"])))
            if overlap or close:
                alike.append(what)
                continue
            differs.append(
                f"{what}: under {low['hypothesis']}, {value_text(low, unit)}. Under {high['hypothesis']}, {value_text(high, unit)}."
            )
        out[arm] = (differs, alike)
    return out


def hypothesis_contrast(summary: Any) -> list[str]:
    """What the open questions change: per arm, the endpoints whose 95 % intervals do not overlap
    between hypotheses and whose values differ by more than :data:`NEGLIGIBLE` (with their range),
    and those that every hypothesis answers alike.

    ``summary`` has a ``hypothesis`` column besides those :func:`plain_summary` reads; with
    fewer than two hypotheses there is nothing to contrast (an empty list).
    """
    out = []
    for arm, (differs, alike) in contrast_parts(summary).items():
        if differs:
            out.append(f"With {arm}, the open question decides: " + " ".join(differs))
        if alike:
            out.append(
                f"With {arm}, the hypotheses do not clearly separate (overlapping 95% intervals, or within {NEGLIGIBLE:.0%} of each "
                "other) on: " + ", ".join(alike) + "."
            )
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
    paragraphs = [
        f"With {arm}: " + " ".join(s for _, s in sentences) for arm, sentences in arm_sentences(summary, arms, horizon_days).items()
    ]
    paragraphs += _comparisons(_by_arm(summary))
    paragraphs.append(
        "These numbers describe virtual patients in a computer model, not people in a real trial. Real "
        "people differ, and the model leaves out much of real life. The 95% intervals show how sure these "
        "virtual trials are of each number; they get narrower with more virtual patients. They do not show "
        "how much people differ from each other: the shaded bands in the figures do. Doubt about the "
        "model's own values is not included. Please discuss treatment decisions "
        f"with your doctor. {DISCLAIMER}"
    )
    return paragraphs


def by_hypothesis(
    summary: Any, arms: Mapping[str, Treatment | None], hypotheses: Sequence[str], horizon_days: float | None = None
) -> dict[str, list[str]]:
    """The plain-language paragraphs of each hypothesis's rows of ``summary`` (without the caveat, said once)."""
    return {h: plain_summary(summary[summary["hypothesis"] == h], arms, horizon_days)[:-1] for h in hypotheses}
