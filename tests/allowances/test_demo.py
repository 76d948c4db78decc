"""seed_demo shows every allowance situation the issue asks for, and can run twice."""

from django.core.management import call_command
from django.utils import timezone

from allowances.models import AgreedPackage, BudgetYear, LedgerEntry
from allowances.rules import financial_year_of, fy_start
from allowances.selectors import strands_with_figures
from allowances.services import allowance_summary
from organisations.models import Organisation


def test_the_demo_has_organisations_at_each_point_of_their_allowance(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    entries = LedgerEntry.objects.count()
    call_command("seed_demo")  # idempotent: make run calls it every time
    assert LedgerEntry.objects.count() == entries

    today = timezone.localdate()
    used = {
        org.name: allowance_summary(org, today)
        for org in Organisation.objects.filter(eligibility_decisions__isnull=False).distinct()
    }
    assert used["Aylestone Meadows Friends"].used_this_year == 0
    assert used["Highfields Community Association"].used_this_year == 1
    assert used["Braunstone Youth Project"].used_this_year == 2
    belgrave = used["Belgrave Neighbourhood Centre"]
    assert belgrave.used_in_period == 4
    assert belgrave.next_available == fy_start(financial_year_of(today) + 1)
    assert AgreedPackage.objects.filter(status="cancelled").count() == 1

    this_year = BudgetYear.objects.get(start_year=financial_year_of(today))
    strand = strands_with_figures(this_year.strands.filter(kind="vcs_support")).get()
    assert 0 < strand.committed < strand.amount
