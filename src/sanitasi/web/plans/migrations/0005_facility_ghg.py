# The TPA's opening year and IPCC site class for the plan's GHG chapter.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_cityfile"),
    ]

    operations = [
        migrations.AddField(
            model_name="facility",
            name="year_built",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="year built"
            ),
        ),
        migrations.AddField(
            model_name="facility",
            name="tpa_site_class",
            field=models.CharField(blank=True, max_length=32, verbose_name="TPA site class"),
        ),
    ]
