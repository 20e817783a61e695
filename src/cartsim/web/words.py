"""The explorer's own words for a patient: the reset hypotheses and the washout, in short sentences.

The hypotheses' descriptions in :mod:`cartsim.parameters.hypotheses` are written for modellers
(the modellers' view shows them); these say the same for a patient. The reading level of every
text the patient view shows is measured in the tests (Flesch-Kincaid grade).
"""

from __future__ import annotations

from cartsim.web.request import OPTION_NAMES, WASHOUT_BCELLS, Question, depleted, suggested_washout

__all__ = ["HYPOTHESIS_WORDS", "washout_words"]

#: Hypothesis name -> what it says, for a patient.
HYPOTHESIS_WORDS = {
    "reset-none": "No reset: the memory B cells that drive MS come back about as fast as other memory B cells, in about a year. "
    "MS activity comes back with them.",
    "reset-partial": "Partial reset (the model's middle answer): most of the memory B cells that drive MS can only regrow from cells "
    "that survived. After CAR-T few survive, so MS activity comes back slowly, over years.",
    "reset-full": "Full reset: the memory B cells that drive MS can only regrow from cells that survived. Where none survived, MS "
    "activity does not come back.",
}

_CART_OPTIONS = tuple(o for o in OPTION_NAMES if o != "stay")


def washout_words(question: Question, days: int) -> str:
    """When the CAR-T options start and why, and where B-cell return is counted from."""
    s = question.situation
    origin = (
        "Days until B cells come back are counted from each option's last dose: the CAR-T infusion, or the last dose when you stay "
        "on treatment."
        if depleted(question)
        else "Days until B cells come back are counted from today."
    )
    if not any(getattr(question.options, o) for o in _CART_OPTIONS):
        return origin
    untreated = "Until then you get no MS treatment. That time counts in the CAR-T results."
    if question.options.washout_days is not None:
        start = f"The CAR-T options stop {s.therapy}. The (first) infusion is on day {days}, the day you chose. {untreated}"
    elif suggested_washout(s.ms_type, s.therapy, s.years_on_therapy) is None:
        start = f"The CAR-T options start right away: chemotherapy first, then the (first) infusion on day {days}."
    else:
        start = (
            f"The CAR-T options stop {s.therapy}. The (first) infusion is on day {days}. By then, in the model, a typical patient's "
            f"B cells are back to {WASHOUT_BCELLS:g} per microlitre. CAR T cells need B cells to find before they multiply, so "
            f"every CAR-T option uses this day. {untreated}"
        )
    return f"{start} {origin}"
