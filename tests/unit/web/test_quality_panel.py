"""The need form's quality panel cuts a field's text at each finding's span: the pieces put together are
the text, and a piece inside overlapping spans carries the number of each."""

from service.needs.schemas import NeedQuality, QualityFinding
from service.web.quality_panel import Piece, marked_pieces, panel


def test_the_pieces_are_the_text_with_each_span_numbered() -> None:
    text = "Vi trenger Cisco Meraki tilgangspunkter"
    pieces = marked_pieces(text, [(1, 11, 16), (2, 17, 23)])
    assert "".join(piece.text for piece in pieces) == text
    assert [piece for piece in pieces if piece.numbers] == [Piece("Cisco", (1,)), Piece("Meraki", (2,))]


def test_overlapping_spans_mark_their_shared_words_with_both_numbers() -> None:
    pieces = marked_pieces("abcdef", [(1, 0, 4), (2, 2, 6)])
    assert pieces == [Piece("ab", (1,)), Piece("cd", (1, 2)), Piece("ef", (2,))]


def _finding(rule: str, start: int, end: int) -> QualityFinding:
    words = {"message_en": "m", "message_no": "m", "suggestion_en": "s", "suggestion_no": "s"}
    return QualityFinding(rule=rule, severity="info", field="description", start=start, end=end, **words)  # type: ignore[arg-type]


def test_a_rule_about_the_whole_text_is_listed_but_not_marked() -> None:
    description = "Cisco overalt."
    checklist = dict.fromkeys(
        ("problem-not-solution", "measurable-outcome", "context", "too-short", "personal-data"), True
    )
    quality = NeedQuality(
        language="no",
        findings=[_finding("too-short", 0, len(description)), _finding("brand-name", 0, 5)],
        checklist={**checklist, "brand-name": False},  # type: ignore[dict-item]
    )
    shown = panel(quality, "Tittel", f"  {description}\n")
    assert [item.quote for item in shown["findings"]] == ["", "Cisco"]
    assert shown["previews"]["description"][0] == Piece("Cisco", (2,))
    assert "title" not in shown["previews"]
    assert ("Names no brand without “or equivalent”", False) in shown["checklist"]
