"""Django's JSON serialisation with whole timestamps, for `manage.py backup`.

Django's JSON encoder cuts datetimes and times to milliseconds (as JavaScript does), so a
dump and load would move every timestamp; XML keeps them but strips the whitespace around
text (the newline that ends every Markdown source). This writes what the stock JSON
deserialiser reads back exactly, so `loaddata` needs nothing special.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def start_serialization(self):
        self.options.setdefault("cls", ExactEncoder)
        super().start_serialization()
