"""Reading the guide's content files: TOML, and Markdown with TOML front matter.

Errors name the file, the item and what is wrong, so an author can fix them without reading code.
"""

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from lessons.markdown import RenderError


@dataclass
class ContentError:
    """One problem in one content file."""

    file: str
    item: str
    message: str
    # The key it is about, as a path: "title", "paper.url", "sentences.3.signals" (an editor shows the
    # message next to that field); "" when it is about the item as a whole.
    field: str = ""

    def __str__(self):
        return f"{self.file}: {self.item}: {self.message}"


class ContentErrors(Exception):
    """The content did not load; every problem found is listed."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(str(error) for error in self.errors))


class FileReader:
    """Reads content files below one folder and collects what is wrong with them."""

    def __init__(self, root):
        self.root = Path(root)
        self.errors = []

    def error(self, path, item, message, field=""):
        self.errors.append(ContentError(self.name(path), item, message, field))

    def render(self, path, item, render, *sources, field=""):
        """`render(*sources)` (a renderer of `lessons.markdown`), or None with its `RenderError` recorded."""
        try:
            return render(*sources)
        except RenderError as error:
            self.error(path, item, str(error), field)
            return None

    def name(self, path):
        try:
            return str(Path(path).relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def files(self, folder, suffix):
        return sorted((self.root / folder).glob(f"*{suffix}")) if (self.root / folder).is_dir() else []

    def toml(self, path):
        try:
            with open(path, "rb") as file:
                return tomllib.load(file)
        except FileNotFoundError:
            self.error(path, "file", "is missing")
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            self.error(path, "file", f"is not valid TOML: {error}")
        return None

    def front_matter(self, path):
        """Split a Markdown file into its TOML front matter (between `+++` lines) and its body."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            self.error(path, "file", "is not UTF-8 text")
            return None, ""
        lines = text.splitlines(keepends=True)
        if not lines or lines[0].strip() != "+++":
            self.error(path, "front matter", "the file must start with a line '+++', the TOML front matter, and '+++'")
            return None, ""
        try:
            end = next(index for index, line in enumerate(lines[1:], start=1) if line.strip() == "+++")
        except StopIteration:
            self.error(path, "front matter", "has no closing '+++' line")
            return None, ""
        try:
            meta = tomllib.loads("".join(lines[1:end]))
        except tomllib.TOMLDecodeError as error:
            self.error(path, "front matter", f"is not valid TOML: {error}")
            return None, ""
        return meta, "".join(lines[end + 1 :]).strip() + "\n"


def require(reader, path, item, data, key, kind=str, allow_empty=False, field=None):
    """Return `data[key]` if present and of the right kind, else record an error and return None.

    The error names `field` (the key's path from the top of the file), else the key itself."""
    field = field or key
    if not isinstance(data, dict) or key not in data:
        reader.error(path, item, f"`{key}` is missing", field)
        return None
    value = data[key]
    if kind is str and isinstance(value, str) and not allow_empty and not value.strip():
        reader.error(path, item, f"`{key}` is empty", field)
        return None
    if kind is list and not isinstance(value, list):
        reader.error(path, item, f"`{key}` must be a list", field)
        return None
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        reader.error(path, item, f"`{key}` must be {kind.__name__}, not {type(value).__name__}", field)
        return None
    return value


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def require_slug(reader, path, item, data, key="slug", field=None):
    """Like `require`, and the value must be a slug: lower-case letters and digits joined by dashes.

    Slugs end up in URLs and in `data-move` attributes, so nothing else is allowed in them.
    """
    value = require(reader, path, item, data, key, field=field)
    if value is not None and not SLUG.match(value):
        message = f"`{key}` {value!r} is not a slug: use lower-case letters, digits and dashes"
        reader.error(path, item, message, field or key)
        return None
    return value


def require_url(reader, path, item, data, key="url", field=None):
    """Like `require`, and the value must be a full http(s) address: it ends up in an `href`."""
    value = require(reader, path, item, data, key, field=field)
    if value is None:
        return None
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        reader.error(path, item, f"`{key}` {value!r} is not a web address: write it in full, https://...", field or key)
        return None
    return value
