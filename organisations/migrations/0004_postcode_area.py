"""The council's postcode table moves here from diagnostics, and organisations
registered outside the area say why (issue 12).

Registration now checks the address against the area, and `organisations` may
not import `diagnostics`, so the table lives in the lower app. This migration
creates it and seeds Leicester's rows; diagnostics 0007 then copies over any
rows managers changed and drops the old table.

The table is the council area by postcode district, with the sectors of shared
districts that fall outside (or inside) the city boundary. It is a starting
point drawn from the council's ward boundaries: managers keep it up to date,
and officers judge borderline cases when they review an application.
"""

from django.db import migrations, models

LEICESTER = [
    ("LE1", True, "City centre"),
    ("LE2", True, "South and east of the city"),
    ("LE2 4", False, "Oadby (Oadby and Wigston)"),
    ("LE2 5", False, "Oadby (Oadby and Wigston)"),
    ("LE3", True, "West of the city"),
    ("LE3 3", False, "Leicester Forest East (Blaby)"),
    ("LE3 8", False, "Glenfield (Blaby)"),
    ("LE4", True, "North of the city"),
    ("LE4 3", False, "Birstall (Charnwood)"),
    ("LE4 4", False, "Birstall (Charnwood)"),
    ("LE4 8", False, "Thurmaston (Charnwood)"),
    ("LE5", True, "East of the city"),
    ("LE5 2", False, "Scraptoft (Harborough)"),
    ("LE7 9", True, "Hamilton and Thurnby Lodge edge (city part of LE7)"),
    ("LE18 4", True, "Eyres Monsell edge (city part of LE18)"),
    ("LE19 1", True, "Braunstone Frith edge (city part of LE19)"),
]


def seed_area(apps, schema_editor):
    """Leicester's rows, where missing: a manager's change to a row is kept."""
    PostcodePrefix = apps.get_model("organisations", "PostcodePrefix")
    for prefix, in_area, note in LEICESTER:
        PostcodePrefix.objects.get_or_create(
            area="leicester", prefix=prefix, defaults={"in_area": in_area, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("organisations", "0003_search_indexes")]

    operations = [
        migrations.CreateModel(
            name="PostcodePrefix",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("area", models.SlugField(max_length=40)),
                (
                    "prefix",
                    models.CharField(
                        help_text="A district (LE1) or a sector (LE2 4).", max_length=6
                    ),
                ),
                ("in_area", models.BooleanField(default=True)),
                ("note", models.CharField(blank=True, max_length=200)),
            ],
            options={
                "verbose_name_plural": "postcode prefixes",
                "ordering": ["area", "prefix"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("area", "prefix"), name="organisation_postcode_prefix_unique"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="organisation",
            name="outside_area_note",
            field=models.TextField(blank=True, verbose_name="why registered outside the area"),
        ),
        migrations.RunPython(seed_area, migrations.RunPython.noop),
    ]
