"""What a learner does on /write/ (Your abstract), shared by the journeys and the page scans."""

from playwright.sync_api import Page, expect

WRITE_URL = "/write/"

# A short abstract in the four moves, in our own words.
EXAMPLE_ABSTRACT = (
    "Spiking neural networks promise image recognition at a fraction of the energy of today's hardware. "
    "However, training deep spiking networks remains difficult, because spikes are not differentiable. "
    "In this paper, we introduce a way to train them with backpropagation on the membrane potentials. "
    "Our networks outperform every earlier spiking network on two benchmarks."
)


def check_an_abstract(page: Page, text=EXAMPLE_ABSTRACT, revision=1):
    """Type `text` into the abstract box and press Check; waits for the analysis of `revision`."""
    page.locator("#id_text").fill(text)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#analysis")).to_have_text(f"What the tagger reads in revision {revision}")
