"""The production settings, with static files collected into a directory of the stress run's own.

With DEBUG off the manifest storage needs `collectstatic`; the run collects into a temporary
directory instead of the project's `staticfiles/`, which other runs may be writing.
"""

import os
from pathlib import Path

from writing_guide.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["STRESS_STATIC_ROOT"])
