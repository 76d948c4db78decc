"""Whether an organisation's registered address is someone's home (issue 17).

Open data gives only the postcode district of a home address. Registration now
asks; organisations registered before were never asked, so this guesses
cautiously: an unregistered group (no charity and no company number) is taken
to be at someone's home, anything registered is taken to have premises. Either
answer can be changed on the organisation's details page.
"""

from django.db import migrations, models
from django.db.models import Q


def guess_homes(apps, schema_editor):
    Organisation = apps.get_model("organisations", "Organisation")
    registered = Q(charity_number__isnull=False) | Q(company_number__isnull=False)
    Organisation.objects.filter(registered).update(address_is_home=False)
    Organisation.objects.exclude(registered).update(address_is_home=True)


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_postcode_area")]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="address_is_home",
            field=models.BooleanField(default=True, verbose_name="the address is someone's home"),
        ),
        migrations.RunPython(guess_homes, migrations.RunPython.noop),
    ]
