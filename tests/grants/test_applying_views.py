"""Applying through the pages: the journey, word limits, uploads, the gates, who sees what."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diagnostics.uploads import EICAR
from grants.models import Application, ApplicationEvidence

from ..conftest import client_for
from ..factories import OrganisationFactory
from .factories import close, complete_application, fill_in, open_round, pdf, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant_round(world):
    return open_round(by=world.manager)


def _url(name, *args):
    return reverse(f"grants:{name}", args=args)


def _scored(grant_round):
    return grant_round.criteria.filter(kind="scored").order_by("position").first()


def test_an_administrator_applies_from_start_to_confirmation(world, grant_round):
    client = client_for(world.org_a_admin)
    entry = grant_round.round_communities.select_related("community").first()
    response = client.post(_url("apply_start", grant_round.pk), {"community": entry.pk})
    application = Application.objects.get(organisation=world.org_a)
    assert response.url == _url("application", application.pk)

    page = client.get(response.url).content.decode()
    assert "Criteria for your organisation" in page and "Not yet started" in page
    assert "Checked by the service: The registered postcode LE1 6ZG is in Leicester." in page

    fill_in(application, world.org_a_admin)  # the questions, through the service
    check = client.get(_url("application_check", application.pk)).content.decode()
    assert "Accept and send" in check and "Met" in check
    response = client.post(
        _url("application_check", application.pk), {"confirm": "on", "full_name": "Asha Patel"}
    )
    assert response.url == _url("application_sent", application.pk)
    sent = client.get(response.url).content.decode()
    assert "Application sent" in sent and application.reference in sent


def test_an_answer_over_the_limit_is_refused_and_what_was_typed_is_kept(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    criterion = _scored(grant_round)
    typed = " ".join(["community"] * 501) + " last-word-typed"
    response = client_for(world.org_a_admin).post(
        _url("application_question", application.pk, criterion.pk), {"answer": typed}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Answer must be 500 words or fewer" in page
    assert "govuk-error-summary" in page
    assert "last-word-typed" in page
    assert not application.answers.exists()


def test_an_answer_is_saved_as_a_draft_or_carried_on_to_the_next_question(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    client = client_for(world.org_a_admin)
    criterion = _scored(grant_round)
    url = _url("application_question", application.pk, criterion.pk)
    response = client.post(url, {"answer": "A short draft", "draft": "1"})
    assert response.url == _url("application", application.pk)
    assert application.answers.get().word_count == 3
    response = client.post(url, {"answer": ""})
    assert "Enter your answer, or save as a draft to come back to it" in response.content.decode()
    response = client.post(url, {"answer": "Four words in all"})
    following = grant_round.criteria.filter(position__gt=criterion.position).first()
    assert response.url == _url("application_question", application.pk, following.pk)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("rules.pdf", b"<html><script>alert(1)</script></html>", "is not a real PDF file"),
        ("rules.exe", b"MZ\x90\x00", "The selected file must be a PDF, PNG, JPEG or DOCX"),
        ("rules.pdf", b"", "The selected file is empty"),
        ("rules.pdf", b"%PDF-1.4\n" + EICAR, "The selected file contains a virus"),
    ],
)
def test_a_bad_upload_is_refused_with_a_clear_message(
    world, grant_round, settings, name, content, message
):
    settings.EVIDENCE_VIRUS_SCANNER = "tests.diagnostics.fake_scanner.eicar_scanner"
    application = start(grant_round, world.org_a_admin)
    response = client_for(world.org_a_admin).post(
        _url("application_evidence", application.pk, "accounts"),
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApplicationEvidence.objects.exists()


def test_a_good_upload_is_stored_and_served_only_to_those_allowed(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    response = client_for(world.org_a_admin).post(
        _url("application_evidence", application.pk, "accounts"), {"file": pdf("accounts.pdf")}
    )
    assert response.url == _url("application_evidence", application.pk, "make_up")
    evidence = application.evidence.get()
    download = _url("evidence_download", evidence.pk)
    assert client_for(world.org_a_member).get(download).status_code == 200
    assert client_for(world.org_b_admin).get(download).status_code == 404
    assert client_for(world.officer).get(download).status_code == 404  # a draft's


def test_a_form_opened_before_the_closing_time_and_sent_after_is_refused(world, grant_round):
    application = complete_application(grant_round, world.org_a_admin)
    client = client_for(world.org_a_admin)
    assert (
        "Accept and send" in client.get(_url("application_check", application.pk)).content.decode()
    )
    close(grant_round)  # the clock passes the closing time while the page is open
    response = client.post(
        _url("application_check", application.pk), {"confirm": "on", "full_name": "Asha Patel"}
    )
    assert response.status_code == 200
    assert "This round closed for applications at" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_a_failed_must_have_is_shown_and_the_application_cannot_be_sent(world, grant_round):
    proposal = {
        "characteristic": "religion_or_belief",
        "name": "Jain community",
        "population": 1_200,
        "population_source": "2011 census",
    }
    application = complete_application(grant_round, world.org_a_admin, proposal=proposal)
    page = client_for(world.org_a_admin).get(_url("application_check", application.pk))
    text = page.content.decode()
    assert "This application cannot be sent yet." in text
    assert "The community of 1,200 people is not more than 1%" in text
    assert "Accept and send" not in text
    response = client_for(world.org_a_admin).post(
        _url("application_check", application.pk), {"confirm": "on", "full_name": "Asha Patel"}
    )
    assert "The community of 1,200 people is not more than 1%" in response.content.decode()
    application.refresh_from_db()
    assert application.status == "draft"


def test_another_organisation_gets_404_and_a_plain_member_may_only_read(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    criterion = _scored(grant_round)
    for name, args in [
        ("application", ()),
        ("application_check", ()),
        ("application_question", (criterion.pk,)),
        ("consortium", ()),
        ("application_withdraw", ()),
    ]:
        url = _url(name, application.pk, *args)
        assert client_for(world.org_b_admin).get(url).status_code == 404, name
        assert client_for(world.officer).get(url).status_code == 404, name
    member = client_for(world.org_a_member)
    assert member.get(_url("application", application.pk)).status_code == 200
    assert member.get(_url("application_check", application.pk)).status_code == 403
    # Staff read an application once it is sent, never before.
    staff_url = _url("staff_application", application.pk)
    assert client_for(world.officer).get(staff_url).status_code == 404


def test_staff_read_a_sent_application_and_the_rounds_counts(world, grant_round):
    from .factories import sent_application

    application = sent_application(grant_round, world.org_a_admin)
    start(grant_round, world.org_b_admin)  # a draft: counted, never listed
    page = client_for(world.officer).get(_url("staff_application", application.pk))
    assert page.status_code == 200 and "Asha Patel" in page.content.decode()
    listing = client_for(world.manager).get(_url("round_applications", grant_round.pk))
    counts = {row.community.name: (row.sent, row.drafts) for row in listing.context["counts"]}
    assert counts[application.community_name] == (1, 1)
    assert [a.pk for a in listing.context["page"]] == [application.pk]
    assert (
        client_for(world.org_a_admin).get(_url("round_applications", grant_round.pk)).status_code
        == 404
    )


def test_the_consortium_search_finds_by_name_or_number_never_lists_everyone(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    OrganisationFactory(name="Sikh Welfare Trust", charity_number="1187654")
    OrganisationFactory(name="Gurdwara Committee")
    client = client_for(world.org_a_admin)
    url = _url("consortium", application.pk)
    assert client.get(url).context["matches"] == []  # nothing typed: nothing listed
    assert client.get(url, {"q": "Si"}).context["too_short"]
    found = client.get(url, {"q": "welfare"}).context["matches"]
    assert [o.name for o in found] == ["Sikh Welfare Trust"]
    found = client.get(url, {"q": "1187654"}).context["matches"]
    assert [o.name for o in found] == ["Sikh Welfare Trust"]
    assert client.get(url, {"q": "Organisation A"}).context["matches"] == []  # itself


def test_a_named_organisation_confirms_or_declines_on_its_own_side(world, grant_round):
    application = start(grant_round, world.org_a_admin)
    client_a = client_for(world.org_a_admin)
    client_a.post(_url("consortium_add", application.pk), {"organisation": world.org_b.pk})
    member = application.members.get()
    request_url = _url("consortium_request", member.pk)
    assert client_for(world.org_b_admin).get(request_url).status_code == 200
    assert client_a.get(request_url).status_code == 404  # the lead's own view is the consortium
    listing = client_for(world.org_b_admin).get(_url("my_applications")).content.decode()
    assert "Organisation A" in listing
    response = client_for(world.org_b_admin).post(_url("consortium_decline", member.pk), {})
    assert "Enter why your organisation is declining" in response.content.decode()
    client_for(world.org_b_admin).post(_url("consortium_confirm", member.pk))
    member.refresh_from_db()
    assert member.status == "confirmed"
