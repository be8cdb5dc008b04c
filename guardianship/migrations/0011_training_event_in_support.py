# A training done may come from a training event, which now belongs to `support` (issue
# 12). State only: the foreign key still points at the same table.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("guardianship", "0010_move_claims_and_support_out"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="guardiantraining",
                    name="event",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="completions",
                        to="support.trainingevent",
                        verbose_name="training event",
                    ),
                ),
                migrations.DeleteModel(name="TrainingEvent"),
            ],
            database_operations=[],
        ),
    ]
