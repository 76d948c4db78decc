"""Seed the areas of the city providers work in, and the languages they work in.

Areas are Leicester's postcode districts, the same ones the eligibility
postcode table (diagnostics 0003) counts as the city: LE1 to LE5 whole, and the
city parts of LE7, LE18 and LE19. Languages are those most spoken in the city
(2021 census), with British Sign Language. Managers add more in the admin.
"""

from django.db import migrations

AREAS = [
    ("LE1", "LE1 – City centre"),
    ("LE2", "LE2 – South and east: Highfields, Clarendon Park, Aylestone, Knighton"),
    ("LE3", "LE3 – West: Braunstone, Westcotes, New Parks, Rowley Fields"),
    ("LE4", "LE4 – North: Belgrave, Rushey Mead, Beaumont Leys, Abbey"),
    ("LE5", "LE5 – East: Evington, Humberstone, Netherhall"),
    ("LE7", "LE7 – Hamilton and Thurnby Lodge edge"),
    ("LE18", "LE18 – Eyres Monsell edge"),
    ("LE19", "LE19 – Braunstone Frith edge"),
]

LANGUAGES = [
    "English",
    "Gujarati",
    "Punjabi",
    "Urdu",
    "Hindi",
    "Bengali",
    "Polish",
    "Somali",
    "Arabic",
    "Tamil",
    "Romanian",
    "Portuguese",
    "Kurdish",
    "Farsi",
    "Tigrinya",
    "Chinese (Mandarin or Cantonese)",
    "British Sign Language",
]


def add_reference_data(apps, schema_editor):
    Area = apps.get_model("providers", "Area")
    Language = apps.get_model("providers", "Language")
    for position, (code, name) in enumerate(AREAS, start=1):
        Area.objects.update_or_create(code=code, defaults={"name": name, "position": position})
    for position, name in enumerate(LANGUAGES, start=1):
        Language.objects.update_or_create(name=name, defaults={"position": position})


def remove_reference_data(apps, schema_editor):
    apps.get_model("providers", "Area").objects.filter(code__in=[c for c, _ in AREAS]).delete()
    apps.get_model("providers", "Language").objects.filter(name__in=LANGUAGES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0002_register"),
    ]

    operations = [
        migrations.RunPython(add_reference_data, remove_reference_data),
    ]
