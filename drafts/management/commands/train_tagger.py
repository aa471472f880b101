from django.conf import settings
from django.core.management.base import BaseCommand

from drafts.tagger import Tagger
from drafts.tagger.data import development_set
from drafts.tagger.train import fit, weights_toml


class Command(BaseCommand):
    help = "Fit the move tagger's weights on the development abstracts and write fixtures/tagger/weights.toml."

    def handle(self, *args, **options):
        folder = settings.FIXTURES_DIR / "tagger"
        abstracts = development_set(settings.FIXTURES_DIR)
        weights = fit(Tagger.load(folder), abstracts)
        (folder / "weights.toml").write_text(weights_toml(weights, abstracts))
        sentences = sum(len(abstract.sentences) for abstract in abstracts)
        self.stdout.write(f"Trained on {len(abstracts)} abstracts ({sentences} sentences): {folder / 'weights.toml'}")
