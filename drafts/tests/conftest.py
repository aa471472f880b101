import pytest

# Four sentences the tagger reads as the four moves in the usual order.
ABSTRACT = (
    "Spiking networks hold great promise for low-power computing. "
    "However, training deep spiking networks remains difficult. "
    "In this paper, we introduce a method that trains them with backpropagation. "
    "It outperforms all earlier spiking networks on two benchmarks."
)


@pytest.fixture
def write_as():
    """`write_as(client, text, title="")`: a plain Check of a new draft; returns the response."""

    def check(client, text=ABSTRACT, title=""):
        return client.post("/write/", {"title": title, "text": text})

    return check


class ScriptedTagger:
    """A stand-in for the move tagger (which is tuned apart from this app): moves by plain keywords."""

    KEYWORDS = (
        ("however", "problem"),
        ("in this paper", "about"),
        ("we present", "about"),
        ("outperforms", "importance"),
    )

    def tag(self, sentences):
        from drafts.tagger import Tagged

        results = []
        for index, sentence in enumerate(sentences):
            move = next((move for word, move in self.KEYWORDS if word in sentence.lower()), "lead-in")
            confidence = 0.4 if "perhaps" in sentence.lower() else 0.9
            results.append(Tagged(sentence, move, confidence, f"scripted reason for sentence {index + 1}"))
        return results


@pytest.fixture
def scripted_tagger(monkeypatch):
    """The /write/ views tag with `ScriptedTagger`, so a test can say which move each sentence gets."""
    tagger = ScriptedTagger()
    monkeypatch.setattr("drafts.views.tagger", lambda: tagger)
    return tagger
