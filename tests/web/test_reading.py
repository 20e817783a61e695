"""The reading level of what the explorer's patient view says (Flesch-Kincaid grade, textstat).

US patient-education guidance (NIH, AMA) asks for grade 6-8. The patient view as a whole is held
to grade 8; a single paragraph, which may need a medical name (cytokine release syndrome,
gadolinium-enhancing lesions) to be exact, to grade 12. Numbers count as words, as they are read.
Lists and the choices of a form field are measured item by item, as they are read; the grade of
a single paragraph is taken only from 10 words on, since the formula measures running text, and
on a label of a few words ("Ofatumumab (Kesimpta), an injection every month") it measures the
drug's name.
"""

from __future__ import annotations

from html.parser import HTMLParser
from importlib.resources import files

import pytest
import textstat

from tests.web.conftest import TestClient

#: The whole patient view, and any one paragraph or list item (Flesch-Kincaid grade).
WHOLE, PARAGRAPH = 8.0, 12.0
#: Words from which a block is running text (its own grade is checked).
_RUNNING_TEXT = 10
_BLOCKS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "label", "legend", "figcaption", "caption", "option"}


class _Blocks(HTMLParser):
    """The text blocks of a page a patient reads: not scripts, code or the modellers' view."""

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[str] = []
        self._text: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "pre", "code") or dict(attrs).get("id") == "view-modellers":
            self._skip.append(tag)
        elif tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()
        elif tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._text.append(data)

    def _flush(self) -> None:
        text = " ".join(" ".join(self._text).split())
        self._text = []
        if text:
            self.blocks.append(text)


def page_blocks() -> list[str]:
    parser = _Blocks()
    parser.feed((files("cartsim.web") / "static" / "index.html").read_text(encoding="utf-8"))
    parser._flush()
    return parser.blocks


def answer_blocks(answer: dict) -> list[str]:
    """What the patient view shows of an answer, block by block (as app.js lays it out)."""
    detail = answer["sentences"]["detail"][answer["default_hypothesis"]]
    blocks = [answer["washout"]]
    blocks += [f"With {arm['arm']}: " + " ".join(s["text"] for s in arm["sentences"]) for arm in detail["arms"]]
    blocks += detail["comparisons"] + [answer["sentences"]["caveat"]]
    blocks += [h["words"] for h in answer["hypotheses"]]
    for part in answer["sentences"]["contrast_parts"]:
        blocks += [f"With {part['arm']}, the open question decides:", *part["decides"]]
        blocks += [f"With {part['arm']}, all three answers are about the same for:", *part["alike"]]
    blocks += [source["words"] for source in answer["sources_by_endpoint"].values()]
    return [b for b in blocks if b]


def whole(blocks: list[str]) -> str:
    """The blocks as one text, each its own sentence (a list item or a heading is read as one unit)."""
    return " ".join(b if b[-1] in ".!?" else f"{b.rstrip(':')}." for b in blocks)


def _grades(blocks: list[str]) -> list[tuple[float, str]]:
    return [(textstat.flesch_kincaid_grade(b), b) for b in blocks if len(b.split()) >= _RUNNING_TEXT]


#: Questions whose answers say different things: every option, progressive MS untreated, interferon.
QUESTIONS = {
    "every option": {"options": {"bcma_cart": True, "mrna_cart": True}},
    "PPMS untreated": {"situation": {"ms_type": "ppms", "therapy": "none", "years_on_therapy": 0}},
    "interferon": {"situation": {"therapy": "interferon"}},
}


def _check(blocks: list[str]) -> None:
    assert textstat.flesch_kincaid_grade(whole(blocks)) <= WHOLE
    hard = [(round(g, 1), b) for g, b in _grades(blocks) if g > PARAGRAPH]
    assert not hard, hard


def test_the_page_reads_at_grade_8() -> None:
    blocks = page_blocks()
    assert any(b.startswith("White blood cells that make antibodies") for b in blocks)  # the glossary is read
    assert not any("cartsim run scenario.toml" in b for b in blocks)  # the modellers' view is not
    _check(blocks)


def test_the_default_answer_reads_at_grade_8(default_answer: dict) -> None:
    _check(answer_blocks(default_answer))


@pytest.mark.parametrize("name", list(QUESTIONS))
def test_other_answers_read_at_grade_8(name: str, client: TestClient) -> None:
    response = client.post("/api/answer", json=QUESTIONS[name])
    assert response.status_code == 200, response.text
    _check(answer_blocks(response.json()))


def test_the_measure_tells_plain_words_from_hard_ones() -> None:
    plain = "B cells came back after about 74 days in most of the virtual patients."
    hard = (
        "Autoreactive memory is maintained by its own clones, which re-expand only where they survived (after anti-CD20 in "
        "lymphoid follicles; after a CD19 CAR-T rarely); 10% is re-primed from naive B cells."
    )
    assert textstat.flesch_kincaid_grade(plain) <= WHOLE < PARAGRAPH < textstat.flesch_kincaid_grade(hard)
