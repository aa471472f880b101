"""The sentence splitter on the traps abstracts hold."""

import pytest

from drafts.tagger import split_sentences


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("We used e.g., CNNs. Then we stopped.", ["We used e.g., CNNs.", "Then we stopped."]),
        ("It holds, i.e., always. Next.", ["It holds, i.e., always.", "Next."]),
        (
            "As Smith et al. (2019) showed, it works. We agree.",
            ["As Smith et al. (2019) showed, it works.", "We agree."],
        ),
        ("See Fig. 3 for the map. It is clear.", ["See Fig. 3 for the map.", "It is clear."]),
        ("Rain vs. sun was compared. Rain won.", ["Rain vs. sun was compared.", "Rain won."]),
        (
            "Accuracy rose to 95.5% on the test set. It fell to 3.2 later.",
            ["Accuracy rose to 95.5% on the test set.", "It fell to 3.2 later."],
        ),
        ("The U.S. market grew. Europe did not.", ["The U.S. market grew.", "Europe did not."]),
        ("We show that $x = 2.5$ holds. Then $y$ follows.", ["We show that $x = 2.5$ holds.", "Then $y$ follows."]),
        ("Code is at https://example.org/a.b. It is free.", ["Code is at https://example.org/a.b.", "It is free."]),
        ("We list: 1. speed, 2. cost. Both matter.", ["We list: 1. speed, 2. cost.", "Both matter."]),
        ('They called it "a trick." It worked.', ['They called it "a trick."', "It worked."]),
        (
            "Results (see the appendix. It is long.) follow here.",
            ["Results (see the appendix. It is long.) follow here."],
        ),
        ("J. Smith built it. It works!", ["J. Smith built it.", "It works!"]),
        ("Does it scale? We test it.", ["Does it scale?", "We test it."]),
        ("One paragraph\n\nand another", ["One paragraph", "and another"]),
    ],
)
def test_the_splitter_survives_the_traps_of_abstracts(text, sentences):
    assert split_sentences(text) == sentences


def test_whitespace_alone_has_no_sentence():
    assert split_sentences(" \n\t ") == []
