"""The production settings, with static files collected into a directory of the stress run's own.

With DEBUG off the manifest storage needs `collectstatic`; the run collects into a temporary
directory instead of the project's `staticfiles/`, which other runs may be writing.
"""

import os
from pathlib import Path

from writing_guide.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["STRESS_STATIC_ROOT"])

# A write lock held past the busy timeout is a fault to answer with 503; the test waits 1 s, not 20.
if os.environ.get("STRESS_SQLITE_BUSY_TIMEOUT"):
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        **DATABASES["default"]["OPTIONS"],  # noqa: F405
        "timeout": float(os.environ["STRESS_SQLITE_BUSY_TIMEOUT"]),
    }
