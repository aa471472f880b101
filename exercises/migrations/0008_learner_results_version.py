from django.db import migrations, models

# Every write to a learner's attempts, answers or objections (a submit, a regrade, a claim, a
# decision, a deletion, an edit in the admin or in SQL by hand) adds one to the learner's
# `results_version`, in the same transaction, by the database itself: what the caches of a class's
# results (courses.analytics) and of a reader's own pages (lessons.pages) key on, and no code path
# can forget it.

TABLES = [
    ("exercises_attempt", "{row}.learner_id"),
    ("exercises_answer", "(SELECT learner_id FROM exercises_attempt WHERE id = {row}.attempt_id)"),
    ("exercises_objection", "{row}.learner_id"),
]

SQLITE = []
for table, learner_of in TABLES:
    for event, rows in [("INSERT", ["NEW"]), ("UPDATE", ["NEW", "OLD"]), ("DELETE", ["OLD"])]:
        learners = ", ".join(learner_of.format(row=row) for row in rows)
        SQLITE.append(
            f"CREATE TRIGGER {table}_{event.lower()}_bumps_learner AFTER {event} ON {table} FOR EACH ROW BEGIN "
            f"UPDATE exercises_learner SET results_version = results_version + 1 WHERE id IN ({learners}); END"
        )

POSTGRESQL = []
for table, learner_of in TABLES:
    bump = "UPDATE exercises_learner SET results_version = results_version + 1 WHERE id = {learner};"
    POSTGRESQL.append(
        f"""CREATE FUNCTION {table}_bumps_learner() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'DELETE' THEN {bump.format(learner=learner_of.format(row="NEW"))} END IF;
            IF TG_OP = 'DELETE' THEN {bump.format(learner=learner_of.format(row="OLD"))}
            ELSIF TG_OP = 'UPDATE' THEN
                IF {learner_of.format(row="OLD")} IS DISTINCT FROM {learner_of.format(row="NEW")} THEN
                    {bump.format(learner=learner_of.format(row="OLD"))}
                END IF;
            END IF;
            RETURN NULL;
        END $$"""
    )
    POSTGRESQL.append(
        f"CREATE TRIGGER {table}_bumps_learner AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {table}_bumps_learner()"
    )


def create_triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"no results_version triggers for {schema_editor.connection.vendor}")
    for statement in statements:
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for table, _ in TABLES:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_bumps_learner ON {table}")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_bumps_learner()")
        else:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{event}_bumps_learner")


class Migration(migrations.Migration):
    dependencies = [("exercises", "0007_exercises_outside_the_bank")]

    operations = [
        migrations.AddField(
            model_name="learner",
            name="results_version",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
