"""A plain-language summary of a virtual trial, written from its endpoint table.

Only endpoints the table has are mentioned, each with the hedged reading its numbers
support: a share of patients is said to be "most" only when more than half reached the
event, and two arms are called different only when their 95 % intervals do not overlap.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

from cartsim.engine import DISCLAIMER

__all__ = ["plain_summary"]

#: Antibodies given as repeated infusions/injections: B cells staying low under them is expected.
ANTIBODIES = ("ocrelizumab", "rituximab", "ofatumumab")
#: Endpoint -> what it is in words a patient would use (for the comparison sentences).
PLAIN = {
    "bcell_depletion_day": "how fast B cells fell",
    "bcell_recovery_day": "when B cells came back",
    "cart_peak_cells_per_uL": "how high CAR-T cells rose",
    "crs_max_grade": "cytokine release syndrome (CRS)",
    "icans_max_grade": "neurological side effects (ICANS)",
    "annualized_relapse_rate": "relapses per year",
    "cdp12": "confirmed disability progression",
    "igg_below_lln": "low antibody (IgG) levels",
}


def _finite(x: Any) -> bool:
    try:
        return x is not None and math.isfinite(float(x))
    except (TypeError, ValueError):
        return False


def _share(row: Mapping[str, Any]) -> float | None:
    """Share of virtual patients in whom the event happened within the horizon (not censored)."""
    n, censored = row.get("n"), row.get("censored")
    if not (_finite(n) and _finite(censored)) or float(n) <= 0:  # type: ignore[arg-type]
        return None
    return 1.0 - float(censored) / float(n)  # type: ignore[arg-type]


def _value(row: Mapping[str, Any], unit: str = "") -> str:
    """The value with its 95 % interval: a percentage for shares, whole days when ``unit`` is ``" days"``."""
    share = str(row.get("statistic", "")).startswith("fraction")

    def fmt(x: Any) -> str:
        return f"{float(x):.0%}" if share else (f"{float(x):.0f}" if unit == " days" else f"{float(x):.2g}")

    unit = "" if share else unit
    notes = [] if share else [str(row.get("statistic", "median"))]
    if _finite(row.get("lower")) and _finite(row.get("upper")):
        notes.append(f"95% interval {fmt(row['lower'])} to {fmt(row['upper'])}{unit}")
    return fmt(row["value"]) + unit + (f" ({'; '.join(notes)})" if notes else "")


def _grade_sentence(row: Mapping[str, Any], name: str) -> str | None:
    statistic = str(row.get("statistic", ""))
    if statistic.startswith("fraction_ge:"):
        k = statistic.split(":", 1)[1]
        if float(row["value"]) == 0.0 and not float(row.get("upper") or 0.0) > 0.0:
            return f"No virtual patient had {name} of grade {k} or higher."
        return f"About {_value(row)} of virtual patients had {name} of grade {k} or higher."
    if statistic in ("mean", "median"):
        return f"The highest {name} grade was about {_value(row)} (grades run from 0, none, to 5)."
    return None


def _arm_sentences(rows: Mapping[str, Mapping[str, Any]], entries: Sequence[Mapping[str, Any]], horizon: Any) -> list[str]:
    """What happened in one arm, from its rows (endpoint -> row with a finite value)."""
    out: list[str] = []
    recovery = rows.get("bcell_recovery_day")
    rows = {k: r for k, r in rows.items() if _finite(r.get("value"))}
    repeated = [e.get("therapy") for e in entries if e.get("therapy") in ANTIBODIES and int(e.get("count", 1) or 1) > 1]
    end = f"the end of the {float(horizon):.0f} simulated days" if _finite(horizon) else "the end of the simulation"
    if (row := rows.get("bcell_depletion_day")) is not None:
        share = _share(row)
        if share is None or share > 0.5:
            who = "virtual patients" if share is None else ("almost all virtual patients" if share >= 0.9 else "most virtual patients")
            out.append(f"B cells in the blood fell below 10 cells per microlitre (depleted) after about {_value(row, ' days')} "
                       f"for {who}" + (f" ({share:.0%})." if share is not None else "."))
        else:
            out.append(f"B cells fell below 10 cells per microlitre in only {share:.0%} of virtual patients.")
    if (row := recovery) is not None and ((share := _share(row)) is not None or _finite(row.get("value"))):
        if share is not None and share <= 0.5:
            if repeated:
                out.append(f"For most virtual patients B cells stayed low while the repeated {repeated[0]} doses continued, "
                           f"through {end}; they came back in {share:.0%}.")
            else:
                out.append(f"For most virtual patients B cells had not come back by {end}; they came back in {share:.0%}.")
        else:
            out.append(f"B cells came back after about {_value(row, ' days')}"
                       + (f"; {share:.0%} of virtual patients had B cells back before {end}." if share is not None else "."))
    if (row := rows.get("cart_peak_cells_per_uL")) is not None:
        out.append(f"CAR-T cells in the blood peaked at about {_value(row, ' cells per microlitre')}.")
    for endpoint, name in (("crs_max_grade", "cytokine release syndrome (CRS, a fever-like immune reaction)"),
                           ("icans_max_grade", "neurological side effects (ICANS)")):
        if (row := rows.get(endpoint)) is not None and (sentence := _grade_sentence(row, name)):
            out.append(sentence)
    if (row := rows.get("annualized_relapse_rate")) is not None:
        out.append(f"On average the model predicts about {_value(row)} relapses per patient per year.")
    if (row := rows.get("cdp12")) is not None and str(row.get("statistic", "")).startswith("fraction"):
        out.append(f"About {_value(row)} of virtual patients had disability progression confirmed over 12 weeks.")
    if (row := rows.get("igg_below_lln")) is not None and str(row.get("statistic", "")).startswith("fraction"):
        out.append(f"About {_value(row)} had low total antibody (IgG) levels, below 7 g/L, on the day measured.")
    return out


def _comparisons(by_arm: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> list[str]:
    """Between two or more arms: different only where the 95 % intervals do not overlap."""
    out = []
    arms = list(by_arm)
    for endpoint, words in PLAIN.items():
        rows = {a: by_arm[a][endpoint] for a in arms if endpoint in by_arm[a] and _finite(by_arm[a][endpoint].get("value"))}
        if len(rows) < 2 or not all(_finite(r.get("lower")) and _finite(r.get("upper")) for r in rows.values()):
            continue
        low, high = max(float(r["lower"]) for r in rows.values()), min(float(r["upper"]) for r in rows.values())
        if low <= high:
            out.append(f"On {words}, the 95% intervals of the arms overlap, so these virtual trials do not clearly separate them.")
        elif len(rows) == 2:
            (a, ra), (b, rb) = rows.items()
            out.append(f"On {words}, the arms differ in this model: {a} {_value(ra, ' days' if endpoint.endswith('_day') else '')} "
                       f"versus {b} {_value(rb, ' days' if endpoint.endswith('_day') else '')}.")
    return out


def plain_summary(summary: Any, arms: Mapping[str, Sequence[Mapping[str, Any]]], horizon_days: Any = None) -> list[str]:
    """Paragraphs a patient could read, generated from the endpoint table.

    Parameters
    ----------
    summary
        DataFrame with columns ``arm, endpoint, statistic, value, lower, upper, n, censored``.
    arms
        Arm name -> its regimen entries (to tell repeated antibody dosing from a single infusion).
    horizon_days
        Length of the simulation, for "by the end of ..." sentences.

    Returns
    -------
    list of str
        One paragraph per arm that has something to say, then comparisons, then the caveat.
    """
    by_arm: dict[str, dict[str, Mapping[str, Any]]] = {}
    for record in summary.to_dict("records") if summary is not None else []:
        # Rows without a value still count: a recovery nobody reached has a NaN median but says "stayed low".
        by_arm.setdefault(str(record.get("arm")), {}).setdefault(str(record.get("endpoint")), record)
    paragraphs = []
    for arm in list(arms) + [a for a in by_arm if a not in arms]:
        sentences = _arm_sentences(by_arm.get(arm, {}), arms.get(arm, ()), horizon_days)
        if sentences:
            paragraphs.append(f"With {arm}: " + " ".join(sentences))
    paragraphs += _comparisons(by_arm)
    paragraphs.append("These numbers describe virtual patients in a computer model, not people in a real trial. Real "
                      "people differ, and the model leaves out much of real life. Please discuss treatment decisions "
                      f"with your doctor. {DISCLAIMER}")
    return paragraphs
