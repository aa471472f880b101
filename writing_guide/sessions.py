"""Django's database sessions, read with SQL compiled once per process (`writing_guide.compiled`): every
request with a session reads one, and the ORM took longer to build that lookup than to run it."""

import datetime

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db import router
from django.utils import timezone

from writing_guide.compiled import CompiledQuery

_SAMPLE_KEY = "sample-session-key-never-issued"
_SAMPLE_NOW = datetime.datetime(1970, 1, 2, 3, 4, 5, 6789, tzinfo=datetime.UTC)

_session_data = CompiledQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list("session_data"),
    _SAMPLE_KEY,
    _SAMPLE_NOW,
)


# Sessions decoded in this process, by their stored text: a signed-in reader's session is read on
# every request and changes rarely, and checking its signature and parsing it took a twentieth of a
# kept page (bench/README.md). The same text always decodes to the same session, so nothing here can be
# stale; only sessions of plain values (text, numbers) are kept, each read getting its own copy, and
# never one that failed its check (each such read is logged, as Django logs it).
_DECODED = {}
_DECODED_MAX = 10_000
_PLAIN = (str, int, float, bool, type(None))


class SessionStore(db.SessionStore):
    def decode(self, session_data):
        decoded = _DECODED.get(session_data)
        if decoded is None:
            decoded = super().decode(session_data)
            if not (decoded and all(isinstance(value, _PLAIN) for value in decoded.values())):
                return decoded
            if len(_DECODED) >= _DECODED_MAX:
                _DECODED.clear()
            _DECODED[session_data] = decoded
        return dict(decoded)

    def load(self):
        # As Django's: no row (missing or expired) is an empty session that will get a new key.
        if not self.session_key:  # Django's lookup finds nothing for an empty key either
            self._session_key = None
            return {}
        alias = router.db_for_read(Session)
        rows = _session_data.rows(self.session_key, timezone.now(), using=alias)
        if not rows:
            self._session_key = None
            return {}
        return self.decode(rows[0][0])
