"""Small queries that run on nearly every request, with their SQL compiled once per process.

Building and compiling a query with the ORM takes longer than the database takes to answer a lookup
by key: reading the session and the user came to 0.13-0.16 ms each in-process, most of it spent
before the SQL was sent (bench/README.md). `CompiledQuery` compiles the query once, with sample
values, and then runs the same SQL with each call's values in their places, converted as the ORM
would convert them (dates and times made aware, and so on).
"""

import datetime

from django.db import connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

# A sample id for a query by id: no row's, and within every database's 32-bit integer (PostgreSQL's
# `integer`: a lookup outside it matches nothing, and compiles to no SQL).
SAMPLE_ID = -2_046_021_559


class CompiledQuery:
    """`make(*values)` gives a QuerySet of `values_list`; `rows(*values)` runs its SQL, compiled once from
    `make(*samples)`, with `values` wherever the samples were. Each sample must differ from every other
    parameter of the query (a number or a text no row has)."""

    def __init__(self, make, *samples):
        self.make = make
        self.samples = samples
        self.compiled = {}  # per database alias

    def _compile(self, alias):
        queryset = self.make(*self.samples).using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        ops = connections[alias].ops
        positions = []
        for sample in self.samples:
            adapted = ops.adapt_datetimefield_value(sample) if isinstance(sample, datetime.datetime) else sample
            found = [index for index, param in enumerate(params) if param == adapted]
            if not found:
                raise ValueError(f"sample {sample!r} is not among the query's parameters {params!r}")
            positions.append(found)
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        # SQLite's own placeholders, as Django's cursor would convert them on every call.
        direct_sql = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%") if ops.connection.vendor == "sqlite" else None
        self.compiled[alias] = (compiler, sql, list(params), positions, converters, direct_sql)
        return self.compiled[alias]

    def rows(self, *values, using="default", convert=True):
        """The rows, each value converted as the ORM converts it; with `convert=False`, as the database gave
        them (a key needs no datetime parsed): `converted()` converts one of them afterwards."""
        compiler, sql, params, positions, converters, direct_sql = self.compiled.get(using) or self._compile(using)
        connection = connections[using]
        ops = connection.ops
        params = list(params)
        for found, value in zip(positions, values, strict=True):
            adapted = ops.adapt_datetimefield_value(value) if isinstance(value, datetime.datetime) else value
            for position in found:
                params[position] = adapted
        if direct_sql is not None and not (connection.queries_logged or connection.execute_wrappers):
            rows = _sqlite_rows(connection, direct_sql, params)
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
        if converters and convert:
            rows = [tuple(row) for row in compiler.apply_converters(rows, converters)]
        return rows

    def converted(self, row, using="default"):
        """A row that `rows(..., convert=False)` gave, converted as `rows()` converts its rows."""
        compiler, *_, converters, _ = self.compiled[using]
        return tuple(next(iter(compiler.apply_converters([row], converters)))) if converters else tuple(row)


def _sqlite_rows(connection, sql, params):
    """The rows of `sql` from SQLite's own connection: what Django's cursor does around the statement
    (a wrapper per cursor, the placeholders converted, the call timed for the debug log) took three
    times as long as SQLite's answer to a lookup by key, on every one of a page's four or five. Only
    when nothing listens: with the queries logged (DEBUG, or a test counting them) or an execute
    wrapper installed, the statement goes through Django's cursor. The connection's checks and its
    errors are Django's, as through a cursor."""
    connection.close_if_health_check_failed()
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors:
        return connection.connection.execute(sql, params).fetchall()


class CompiledObjectsQuery(CompiledQuery):
    """`objects(*values)`: the model instances `make(*values)` selects, with only `fields` (attnames) loaded,
    each built from its row as the ORM builds it (`Model.from_db`), from SQL compiled once."""

    def __init__(self, model, fields, make, *samples):
        # from_db takes the loaded fields in the model's order.
        order = [field.attname for field in model._meta.concrete_fields]
        self.model = model
        self.fields = sorted(fields, key=order.index)
        super().__init__(lambda *values: make(*values).values_list(*self.fields), *samples)

    def objects(self, *values, using="default"):
        return [self.model.from_db(using, self.fields, row) for row in self.rows(*values, using=using)]
