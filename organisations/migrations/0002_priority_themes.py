"""The City Mayor's priority themes from the council's proposals (section 3)."""

from django.db import migrations

THEMES = [
    ("place-to-do-business", "A place to do business",
     "The local economy, education, skills, employment and culture."),
    ("built-and-natural-environment", "The built and natural environment",
     "Protecting and enhancing the environment; accessible buildings and spaces."),
    ("healthy-and-active-city", "A healthy and active city",
     "Preventative care and healthy, active lifestyles."),
    ("care-and-support", "Providing care and support",
     "Independent living, safeguarding, carers, preventing homelessness."),
    ("children-and-young-people", "Our children and young people",
     "Disabled children, achievement, skills and reducing family poverty."),
    ("neighbours-and-communities", "Our neighbours and communities",
     "Welfare reform, engagement, cohesion, resilience and reducing inequality."),
]


def add_themes(apps, schema_editor):
    PriorityTheme = apps.get_model("organisations", "PriorityTheme")
    for position, (slug, name, description) in enumerate(THEMES, start=1):
        PriorityTheme.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )


def remove_themes(apps, schema_editor):
    apps.get_model("organisations", "PriorityTheme").objects.filter(
        slug__in=[slug for slug, _, _ in THEMES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]
    operations = [migrations.RunPython(add_themes, remove_themes)]
