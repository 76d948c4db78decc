"""The ONS postcode lookup (NSPL or ONSPD), loaded by `manage.py load_postcode_lookup`,
and a record of the file it came from (issue 17)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organisations", "0005_address_is_home")]

    operations = [
        migrations.CreateModel(
            name="PostcodeLookup",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "postcode",
                    models.CharField(
                        help_text="As organisations store it.", max_length=8, unique=True
                    ),
                ),
                ("la_code", models.CharField(max_length=9, verbose_name="local-authority code")),
                ("ward_code", models.CharField(max_length=9, verbose_name="ward code")),
                ("ward_name", models.CharField(blank=True, max_length=100)),
                ("terminated", models.BooleanField(default=False)),
            ],
            options={
                "ordering": ["postcode"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("la_code__regex", "^[ENSWLM]\\d{8}$"),
                            ("ward_code__regex", "^[ENSWLM]\\d{8}$"),
                        ),
                        name="postcode_lookup_codes_shape",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PostcodeLookupFile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("file_name", models.CharField(max_length=255)),
                (
                    "source",
                    models.CharField(
                        help_text="NSPL or ONSPD, and the columns read.", max_length=100
                    ),
                ),
                ("rows", models.PositiveIntegerField(help_text="Postcodes loaded.")),
                ("rows_read", models.PositiveIntegerField(help_text="Rows in the file.")),
                (
                    "only_la_code",
                    models.CharField(
                        blank=True,
                        help_text="Only this local authority's postcodes were kept.",
                        max_length=9,
                    ),
                ),
                ("loaded_at", models.DateTimeField()),
            ],
            options={"ordering": ["-loaded_at"]},
        ),
    ]
