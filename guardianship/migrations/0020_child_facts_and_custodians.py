"""Children and custodians with the facts that matter (issue 14, part 4).

- A child's language becomes the mother tongue as an ISO 639 code (guardianship.languages):
  the column is renamed, so "fi", "sv" and "en" stay as they were, in the history too;
  "other" told no language, so it becomes "" (not known), which the request page says.
  The interpreter flag, the non-disclosure (turvakielto) and the child's view are new.
- The custodians become rows (Custodian). The old free text `custodians` is renamed
  `custodian_notes`, "other information about the custodians", and stays as it was.
  Rows are made of the old `custodian_names` only where the text splits reliably into
  full names (`split_names`: "Maija Mallikas, Matti Mallikas", "Maija ja Matti Mallikas");
  otherwise no rows are made and the text stays in `custodian_names`, which the pages show
  in place of the rows. Such rows have no relation recorded, and are marked as affected by
  the conflict: the old form asked why "the custodians" could not act impartially.
"""

import re

import django.db.models.deletion
import guardianship.languages
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


def other_language_unknown(apps, schema_editor):
    Child = apps.get_model("guardianship", "Child")
    Child.objects.filter(mother_tongue="other").update(mother_tongue="")


# A word of a name: letters, joined by a hyphen or an apostrophe ("Anna-Liisa", "O'Brien").
NAME_WORD = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*$")
SEPARATORS = re.compile(r"\s*(?:[,;/&+]|\bja\b|\boch\b|\band\b)\s*", re.IGNORECASE)


def split_names(text):
    """The full names in `text`, or [] when it does not split reliably: every part must
    be two to four words of letters ("Maija Mallikas"), except that first names before
    the last full name share its last name ("Maija ja Matti Mallikas")."""
    parts = [p for p in SEPARATORS.split(text.strip()) if p]
    words = [p.split() for p in parts]
    if not parts or not all(NAME_WORD.match(w) for part in words for w in part):
        return []
    last = words[-1]
    if 2 <= len(last) <= 4 and all(len(part) == 1 for part in words[:-1]):
        return [f"{part[0]} {last[-1]}" for part in words[:-1]] + [" ".join(last)]
    if all(2 <= len(part) <= 4 for part in words):
        return [" ".join(part) for part in words]
    return []


def custodian_rows_from_names(apps, schema_editor=None):
    """Rows for the requests with no custodian rows whose old names split reliably; the
    names of the others stay where they were. Returns how many requests got rows."""
    Request = apps.get_model("guardianship", "GuardianshipRequest")
    Custodian = apps.get_model("guardianship", "Custodian")
    done = 0
    requests = Request.objects.exclude(custodian_names="").filter(custodians__isnull=True)
    for request_id, text in requests.values_list("pk", "custodian_names").iterator():
        names = split_names(text)
        if not names:
            continue
        Custodian.objects.bulk_create(
            Custodian(request_id=request_id, name=name, affected_by_conflict=True)
            for name in names
        )
        Request.objects.filter(pk=request_id).update(custodian_names="")
        done += 1
    return done


class Migration(migrations.Migration):

    dependencies = [
        ('guardianship', '0019_request_documents'),
        ('municipalities', '0007_reference_data_2023'),
        ('pghistory', '0007_auto_20250421_0444'),
    ]

    operations = [
        migrations.CreateModel(
            name='Custodian',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('relation', models.CharField(blank=True, choices=[('mother', 'Mother'), ('father', 'Father'), ('parent', 'Parent'), ('other', 'Other custodian')], max_length=20, verbose_name='relation to the child')),
                ('phone', models.CharField(blank=True, max_length=50, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                ('address', models.CharField(blank=True, max_length=300, verbose_name='address')),
                ('affected_by_conflict', models.BooleanField(default=False, help_text='The conflict of interest concerns this custodian (LSL 22 §, ETL 4:8).', verbose_name='cannot act impartially in the matter')),
                ('suspect', models.BooleanField(default=False, help_text='Only on the criminal-investigation track (ETL 4:8).', verbose_name='suspected of the offence')),
                ('non_disclosure', models.BooleanField(default=False, verbose_name='non-disclosure for personal safety (turvakielto)')),
            ],
            options={
                'verbose_name': 'custodian',
                'verbose_name_plural': 'custodians',
                'ordering': ['request', 'id'],
            },
        ),
        migrations.CreateModel(
            name='CustodianEvent',
            fields=[
                ('pgh_id', models.AutoField(primary_key=True, serialize=False)),
                ('pgh_created_at', models.DateTimeField(auto_now_add=True)),
                ('pgh_label', models.TextField(help_text='The event label.')),
                ('relation', models.CharField(blank=True, choices=[('mother', 'Mother'), ('father', 'Father'), ('parent', 'Parent'), ('other', 'Other custodian')], max_length=20, verbose_name='relation to the child')),
                ('affected_by_conflict', models.BooleanField(default=False, help_text='The conflict of interest concerns this custodian (LSL 22 §, ETL 4:8).', verbose_name='cannot act impartially in the matter')),
                ('non_disclosure', models.BooleanField(default=False, verbose_name='non-disclosure for personal safety (turvakielto)')),
            ],
            options={
                'abstract': False,
            },
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='child',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='child',
            name='update_update',
        ),
        migrations.RenameField(
            model_name='child',
            old_name='language',
            new_name='mother_tongue',
        ),
        migrations.RenameField(
            model_name='childevent',
            old_name='language',
            new_name='mother_tongue',
        ),
        migrations.RenameField(
            model_name='guardianshiprequest',
            old_name='custodians',
            new_name='custodian_notes',
        ),
        migrations.AddField(
            model_name='child',
            name='child_view',
            field=models.TextField(blank=True, help_text="The child's wishes and views in the matter, as the child's age and development allow (Child Welfare Act 20 §). A child aged 12 or more must be given the chance to be heard, and may use the right to be heard alone (20–21 §).", verbose_name="the child's view"),
        ),
        migrations.AddField(
            model_name='child',
            name='interpreter_needed',
            field=models.BooleanField(default=False, verbose_name='an interpreter is needed'),
        ),
        migrations.AlterField(
            model_name='child',
            name='mother_tongue',
            field=models.CharField(blank=True, max_length=8, validators=[guardianship.languages.validate_language_code], verbose_name='mother tongue'),
        ),
        migrations.AddField(
            model_name='child',
            name='non_disclosure',
            field=models.BooleanField(default=False, verbose_name='non-disclosure for personal safety (turvakielto)'),
        ),
        migrations.AddField(
            model_name='childevent',
            name='interpreter_needed',
            field=models.BooleanField(default=False, verbose_name='an interpreter is needed'),
        ),
        migrations.AlterField(
            model_name='childevent',
            name='mother_tongue',
            field=models.CharField(blank=True, max_length=8, validators=[guardianship.languages.validate_language_code], verbose_name='mother tongue'),
        ),
        migrations.AddField(
            model_name='childevent',
            name='non_disclosure',
            field=models.BooleanField(default=False, verbose_name='non-disclosure for personal safety (turvakielto)'),
        ),
        migrations.AlterField(
            model_name='guardianshiprequest',
            name='custodian_notes',
            field=models.TextField(blank=True, help_text="What the rows above do not tell, e.g. how to reach a custodian. Addresses go on the custodian's row, where a non-disclosure hides them.", verbose_name='other information about the custodians'),
        ),
        migrations.AlterField(
            model_name='guardianshiprequest',
            name='custodian_names',
            field=models.CharField(blank=True, max_length=300, verbose_name="custodians' names (before the custodians were rows)"),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='child',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "guardianship_childevent" ("anonymised_at", "home_municipality_id", "interpreter_needed", "mother_tongue", "non_disclosure", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "request_id") VALUES (NEW."anonymised_at", NEW."home_municipality_id", NEW."interpreter_needed", NEW."mother_tongue", NEW."non_disclosure", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."request_id"); RETURN NULL;', hash='256f88ceed615a273398366d822bea39d4be261d', operation='INSERT', pgid='pgtrigger_insert_insert_1940b', table='guardianship_child', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='child',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."anonymised_at" IS DISTINCT FROM (NEW."anonymised_at") OR OLD."home_municipality_id" IS DISTINCT FROM (NEW."home_municipality_id") OR OLD."interpreter_needed" IS DISTINCT FROM (NEW."interpreter_needed") OR OLD."mother_tongue" IS DISTINCT FROM (NEW."mother_tongue") OR OLD."non_disclosure" IS DISTINCT FROM (NEW."non_disclosure") OR OLD."request_id" IS DISTINCT FROM (NEW."request_id"))', func='INSERT INTO "guardianship_childevent" ("anonymised_at", "home_municipality_id", "interpreter_needed", "mother_tongue", "non_disclosure", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "request_id") VALUES (NEW."anonymised_at", NEW."home_municipality_id", NEW."interpreter_needed", NEW."mother_tongue", NEW."non_disclosure", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."request_id"); RETURN NULL;', hash='364d85b5189469b3708c5185d117353b8e653b60', operation='UPDATE', pgid='pgtrigger_update_update_f6584', table='guardianship_child', when='AFTER')),
        ),
        migrations.RunPython(other_language_unknown, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='child',
            constraint=models.CheckConstraint(condition=models.Q(('mother_tongue__regex', '^([a-z]{2,3})?$')), name='child_mother_tongue_code'),
        ),
        migrations.AddField(
            model_name='custodian',
            name='request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='custodians', to='guardianship.guardianshiprequest', verbose_name='request'),
        ),
        migrations.AddField(
            model_name='custodianevent',
            name='pgh_context',
            field=models.ForeignKey(db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='pghistory.context'),
        ),
        migrations.AddField(
            model_name='custodianevent',
            name='pgh_obj',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='history', related_query_name='history', to='guardianship.custodian'),
        ),
        migrations.AddField(
            model_name='custodianevent',
            name='request',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', related_query_name='+', to='guardianship.guardianshiprequest', verbose_name='request'),
        ),
        migrations.AddConstraint(
            model_name='custodian',
            constraint=models.CheckConstraint(condition=models.Q(('relation', ''), ('relation__in', ['mother', 'father', 'parent', 'other']), _connector='OR'), name='custodian_relation_known'),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='custodian',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "guardianship_custodianevent" ("affected_by_conflict", "non_disclosure", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "relation", "request_id") VALUES (NEW."affected_by_conflict", NEW."non_disclosure", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."relation", NEW."request_id"); RETURN NULL;', hash='11a31797fc0884444000cb1bf814c728431d7bbc', operation='INSERT', pgid='pgtrigger_insert_insert_38897', table='guardianship_custodian', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='custodian',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD."affected_by_conflict" IS DISTINCT FROM (NEW."affected_by_conflict") OR OLD."non_disclosure" IS DISTINCT FROM (NEW."non_disclosure") OR OLD."relation" IS DISTINCT FROM (NEW."relation") OR OLD."request_id" IS DISTINCT FROM (NEW."request_id"))', func='INSERT INTO "guardianship_custodianevent" ("affected_by_conflict", "non_disclosure", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "relation", "request_id") VALUES (NEW."affected_by_conflict", NEW."non_disclosure", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."relation", NEW."request_id"); RETURN NULL;', hash='2337eaac1b6e99867b12b005572069cbd0b41533', operation='UPDATE', pgid='pgtrigger_update_update_a493b', table='guardianship_custodian', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='custodianevent',
            trigger=pgtrigger.compiler.Trigger(name='append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="RAISE EXCEPTION 'pgtrigger: Cannot update or delete rows from % table', TG_TABLE_NAME;", hash='d0c5449993b234601550043a0659aa63d482bdcb', operation='UPDATE OR DELETE', pgid='pgtrigger_append_only_215a1', table='guardianship_custodianevent', when='BEFORE')),
        ),
        migrations.RunPython(custodian_rows_from_names, migrations.RunPython.noop),
    ]
