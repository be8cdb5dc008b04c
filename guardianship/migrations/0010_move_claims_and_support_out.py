# Fee claims move to the `fees` app and support to the `support` app (issue 12). No row
# moves: the tables keep their names (each model's Meta.db_table) and only Django's state
# changes here. The claims' history triggers are named after their app, so they are
# dropped here and installed again under the new name by fees 0001, in the same run.

import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("guardianship", "0009_accesslog_fewer_indexes"),
    ]

    operations = [
        pgtrigger.migrations.RemoveTrigger(model_name="feeclaim", name="insert_insert"),
        pgtrigger.migrations.RemoveTrigger(model_name="feeclaim", name="update_update"),
        pgtrigger.migrations.RemoveTrigger(model_name="feeclaimevent", name="append_only"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="FeeClaimEvent"),
                migrations.DeleteModel(name="ClaimExpense"),
                migrations.DeleteModel(name="FeeClaim"),
                migrations.DeleteModel(name="SupportContact"),
                migrations.DeleteModel(name="TrainingSignup"),
            ],
            database_operations=[],
        ),
    ]
