"""Every event the code records reads as words in a history, never as its code.

The actions are found in the source itself: every `action=` (and `audit_action=`,
which the invitation services pass on to `record`) in our apps, read with `ast`.
A literal is an action; a module constant is looked up; a parameter passed on is
found at its callers; an f-string is expanded from the table of moves that
supplies its verb (`DYNAMIC`). Anything else fails the test, so a new way of
naming an action must be taught here rather than slip past it.
"""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from audit.models import AuditEvent
from audit.wording import WORDING, fallback, in_words

from ..conftest import client_for
from ..factories import AgreedPackageFactory, PackageFactory, StaffFactory

KEYWORDS = {"action", "audit_action"}


def _targets(transitions) -> set[str]:
    return {str(to) for moves in transitions.values() for to in moves}


def _dynamic() -> dict[str, set[str]]:
    """Each f-string action's prefix, and the values its verb takes: from the moves tables."""
    from delivery.models import CLAIM_TRANSITIONS, REQUEST_TRANSITIONS
    from diagnostics.rules import APPLICATION_TRANSITIONS as ELIGIBILITY_MOVES
    from providers.rules import APPLICATION_TRANSITIONS as PROVIDER_MOVES
    from volunteering.volunteer_rules import HOURS_TRANSITIONS, INTEREST_TRANSITIONS

    return {
        "claim.": _targets(CLAIM_TRANSITIONS),
        "provider_request.": _targets(REQUEST_TRANSITIONS),
        "package_application.": set(PROVIDER_MOVES),
        # The officers' decisions only: sending is recorded as the literal
        # "eligibility_application.submitted" by submit_application.
        "eligibility_application.": set(ELIGIBILITY_MOVES) - {"submit"},
        # The organisation's answers (withdrawing is the volunteer's literal action).
        "interest.": _targets(INTEREST_TRANSITIONS) - {"withdrawn"},
        "hours.": _targets(HOURS_TRANSITIONS),
    }


class _Actions(ast.NodeVisitor):
    """The actions one module writes, and what it writes that this test cannot read."""

    def __init__(self, tree: ast.Module):
        self.constants = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        self.parameters: list[set[str]] = [set()]
        self.literals: set[str] = set()
        self.prefixes: set[str] = set()
        self.unreadable: list[str] = []
        self.visit(tree)

    def visit_FunctionDef(self, node):
        args = node.args
        names = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
        self.parameters.append(names)
        self.generic_visit(node)
        self.parameters.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        # argparse's add_argument(action="store_true") is not an audit action.
        if not (isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument"):
            for keyword in node.keywords:
                if keyword.arg in KEYWORDS:
                    self._read(keyword.value)
        self.generic_visit(node)

    def _read(self, value):
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            self.literals.add(value.value)
        elif isinstance(value, ast.IfExp):
            self._read(value.body)
            self._read(value.orelse)
        elif isinstance(value, ast.Name) and value.id in self.constants:
            self.literals.add(self.constants[value.id])
        elif isinstance(value, ast.Name) and value.id in self.parameters[-1]:
            pass  # passed on: its callers' literals are read where they call
        elif (
            isinstance(value, ast.JoinedStr)
            and len(value.values) == 2
            and isinstance(value.values[0], ast.Constant)
            and isinstance(value.values[1], ast.FormattedValue)
        ):
            self.prefixes.add(value.values[0].value)
        else:
            self.unreadable.append(f"line {value.lineno}: {ast.unparse(value)}")


def _our_source_files():
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(root) and ".venv" not in path.parts:
            for file in sorted(path.rglob("*.py")):
                if "migrations" not in file.parts:
                    yield file


def written_actions() -> tuple[set[str], list[str]]:
    """Every action recorded anywhere in our apps, and what could not be read."""
    dynamic = _dynamic()
    actions, problems = set(), []
    for file in _our_source_files():
        found = _Actions(ast.parse(file.read_text(), filename=str(file)))
        actions |= found.literals
        problems += [f"{file}: {line}" for line in found.unreadable]
        for prefix in found.prefixes:
            if prefix in dynamic:
                actions |= {prefix + verb for verb in dynamic[prefix]}
            else:
                problems.append(f"{file}: f-string action {prefix}…: add its verbs to _dynamic()")
    return actions, problems


def test_every_action_written_in_the_code_has_words():
    actions, problems = written_actions()
    assert not problems, "actions this test cannot read:\n" + "\n".join(problems)
    missing = sorted(actions - set(WORDING))
    assert not missing, f"add these to audit/wording.py WORDING: {missing}"


def test_the_search_finds_actions_of_every_kind():
    # A search that found nothing would pass the test above: check it finds a
    # literal, a module constant, both arms of a choice and each f-string family.
    actions, _ = written_actions()
    assert {
        "agreed_package.agreed",  # a literal passed to record()
        "invitation.sent",  # audit_action=, passed on to record()
        "second_factor_locked",  # a module constant
        "claim.approved",  # f"claim.{to}", to from CLAIM_TRANSITIONS
        "provider_request.declined",
        "package_application.approve",
        "eligibility_application.find_eligible",
    } <= actions
    assert len(actions) > 90


def test_a_new_action_without_words_is_caught():
    source = """
def approve(thing, by):
    record(actor=by, action="grant.approved", obj=thing)
    record(actor=by, action=f"grant.{thing.verb}", obj=thing)
    record(actor=by, action=lookup(thing), obj=thing)
"""
    found = _Actions(ast.parse(source))
    assert found.literals == {"grant.approved"}
    assert found.prefixes == {"grant."}  # not in _dynamic(): reported
    assert found.unreadable == ["line 5: lookup(thing)"]
    assert "grant.approved" not in WORDING


@pytest.mark.parametrize(
    ("action", "actor", "subject", "words"),
    [
        (
            "eligibility_application.submitted",
            "Priya Shah",
            "",
            "Eligibility application sent by Priya Shah",
        ),
        (
            "agreed_package.agreed",
            "Priya Officer",
            "Fund raising",
            "Package agreed by Priya Officer: Fund raising",
        ),
        ("agreed_package.expired", None, "Fund raising", "Package expired: Fund raising"),
        ("second_factor_locked", None, "", "Sign-in codes locked after too many wrong ones"),
        ("a_thing.was_moved_on", None, "", "A thing: was moved on"),
    ],
)
def test_an_event_reads_as_a_sentence(action, actor, subject, words):
    assert in_words(action, actor=actor, subject=subject) == words


@pytest.mark.parametrize("action", ["grant.approved", "some_thing.done_twice", "lonely", "."])
def test_an_action_with_no_words_still_reads_as_words(action):
    words = fallback(action)
    assert words and "_" not in words and "." not in words
    assert words[0].isupper()


def test_a_page_with_a_history_shows_words_not_codes(db):
    officer = StaffFactory(full_name="Priya Officer")
    agreed = AgreedPackageFactory(package=PackageFactory(name="Fund raising"), agreed_by=officer)
    assert AuditEvent.objects.filter(action="agreed_package.agreed").exists()
    response = client_for(officer).get(
        reverse("allowances:agreed_package_detail", args=[agreed.pk])
    )
    html = response.content.decode()
    assert "Package agreed by Priya Officer" in html
    assert "agreed_package.agreed" not in html
