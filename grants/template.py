"""The template every new round starts from: section B's criteria and a 0 to 4 scale.

Taken from the council's document (section B, "Engagement to support a
cohesive Leicester"), in its meaning and as near its words as a question
allows: first the criteria an applicant organisation must meet, then the
requirements that give a representative its mandate. A manager changes a
draft round's copy; the template itself stays as the document says.

The document gives no weights, word limits or scale: every scored criterion
starts at weight 1, answers at 500 words (250 for a must-have), and the scale
is a common five-point one. Managers set their own in the draft.
"""

from dataclasses import dataclass

from django.conf import settings

from .rules import city_population, percent_words

MUST_HAVE, SCORED = "must_have", "scored"
ELIGIBILITY, REPRESENTATION = "eligibility", "representation"


@dataclass(frozen=True)
class TemplateCriterion:
    title: str
    question: str
    guidance: str
    kind: str = SCORED
    section: str = ELIGIBILITY
    automatic_check: str = ""
    word_limit: int = 500
    weight: int | None = 1
    shows_backing: bool = False


def _must_have(title, question, guidance, automatic_check=""):
    return TemplateCriterion(
        title=title,
        question=question,
        guidance=guidance,
        kind=MUST_HAVE,
        automatic_check=automatic_check,
        word_limit=250,
        weight=None,
    )


def _requirement(title, question, guidance):
    return TemplateCriterion(
        title=title, question=question, guidance=guidance, section=REPRESENTATION
    )


def section_b_criteria() -> list[TemplateCriterion]:
    """Section B's criteria, with the city and threshold from settings."""
    area = settings.COUNCIL_AREA_NAME
    city = city_population()
    share = percent_words(city.percent)
    return [
        _must_have(
            f"Based in {area}",
            f"Is your organisation based in the city of {area}?",
            "The service checks your registered postcode against the council's area.",
            automatic_check="based_in_area",
        ),
        _must_have(
            f"Activities mainly in {area}",
            f"Are your activities conducted mainly in the city of {area}? Say where they "
            "take place.",
            f"Activities should be conducted mainly, and preferably only, in the city of {area}.",
        ),
        _must_have(
            "Purpose: community cohesion and good relations",
            "How do your organisation's purpose and objectives relate directly to supporting "
            "community cohesion and good relations among the communities that make up the "
            f"city of {area}?",
            "Quote or attach the objects in your governing document, and show how your work "
            "follows them.",
        ),
        _must_have(
            "Established, with sound governance and finances",
            "Show that your organisation is established and has sound governance and "
            "operational structures, especially for its financial affairs.",
            "Your governing document, your latest accounts, how your board oversees the money, "
            "and your financial controls.",
        ),
        _must_have(
            "Signed up to the Leicester Compact",
            "Is your organisation signed up to the Leicester Compact? How do you support and "
            "promote its principles?",
            "Evidence that you have signed up, and examples of acting on its principles.",
        ),
        _must_have(
            f"A community of more than {share} of the city",
            "Define the community of interest you represent. How many people in the city "
            "belong to it, and where does that figure come from?",
            f"The community must make up more than {share} of the total population of {area} "
            f"at {city.source} (more than {city.threshold:,} people). The service checks the "
            "community's size against this.",
            automatic_check="community_size",
        ),
        TemplateCriterion(
            "The need for representation",
            "Why does this community of interest need to be represented?",
            "Base the need on the community's significance in demographic terms and on the "
            "issues in which it is involved, as shown by relevant social and economic "
            "indicators.",
        ),
        TemplateCriterion(
            "Support of the majority of the community",
            "How can you show that you have the support of the majority of the community you "
            "represent?",
            "Articulate it clearly and evidence it: for example letters of support, "
            "membership, endorsements from the community's organisations. Those being "
            "represented must have a choice over who represents them.",
            shows_backing=True,
        ),
        TemplateCriterion(
            "A proportionate and representative make-up",
            "How is your organisation's make-up, its staff and board, proportionate and "
            "representative of the whole community of interest?",
            "Include evidence of financial support from any constituent or affiliated "
            "organisations that you represent now, or hope to represent.",
        ),
        TemplateCriterion(
            "Equality of access and opportunity",
            "How do you provide equality of access and equality of opportunity to the people "
            "you serve?",
            "Prove it: your equality policy and how you put it into practice, who uses your "
            "services and how you reach those less often heard.",
        ),
        TemplateCriterion(
            "Dialogue across the community, and feedback",
            "What capacity and proven ability do you have to facilitate a dialogue across "
            "the community you represent, and to feed back to it?",
            "Examples of dialogue you have held across the whole community, and how you "
            "reported back what came of it.",
        ),
        _requirement(
            "How you will make representation",
            "Set out how you intend to make representation on behalf of the community.",
            "Be clear and give evidence: representatives must be able to set out how they "
            "will represent the community to the council.",
        ),
        _requirement(
            "Gathering knowledge and information",
            "How will you gather knowledge and information to understand the issues that "
            "are important to those you represent?",
            "For example surveys, meetings, links with the community's groups, and how you "
            "will hear those less often heard.",
        ),
        _requirement(
            "The scope of your representation",
            "What is the scope of your representation activities, and what capacity and "
            "commitment do you have to undertake the role?",
            "Say what you will and will not do, and who in your organisation will do it.",
        ),
        _requirement(
            "Feeding back to those you represent",
            "Which communication channels will you use to feed back to those whom you represent?",
            "Name the channels and how often you will use them. This becomes part of your "
            "public mandate.",
        ),
        _requirement(
            "Appeal if people feel misrepresented",
            "What structured process will be in place for people you represent to appeal if "
            "they feel misrepresented?",
            "Describe the steps, who decides, how long each takes and how the person is told. "
            "This becomes part of your public mandate.",
        ),
    ]


# The scoring scale: (score, label, what it means).
SCALE = [
    (0, "No evidence", "The answer does not address the criterion, or gives no evidence."),
    (1, "Weak", "The answer addresses the criterion in part, with little evidence."),
    (2, "Adequate", "The answer addresses the criterion, with some evidence."),
    (3, "Good", "The answer addresses the criterion fully, with clear evidence."),
    (
        4,
        "Excellent",
        "The answer addresses the criterion fully, with strong evidence that goes beyond "
        "what is asked.",
    ),
]

SUMMARY = (
    "The council wants appropriate ways of engaging effectively with key communities in "
    "the city. The primary purpose of this engagement is achieving a cohesive city which "
    "continues to celebrate our cultural diversity by supporting and enhancing trust, "
    "understanding and co-operation among communities. This round funds organisations to "
    "represent a specific community of interest to the council."
)

# The grant agreement's standing terms, shown with every offer (section B's
# accountability: the representative reports, feeds back and can be appealed).
GRANT_CONDITIONS = [
    "Represent the whole community of interest to the council, as your application set out, "
    "and take its views to the council's engagement meetings.",
    "Feed back to the community through the channels named in your application, and publish "
    "what you feed back.",
    "Keep the appeal process for people who feel misrepresented, as your application set "
    "out, and answer concerns the council passes to you within the time it asks.",
    "Spend the grant only on representing the community, and keep records the council may inspect.",
    "Your answers on how you will represent the community are published on your public page "
    "as the representative, with the reports the council accepts and counts of concerns and "
    "their outcomes.",
    "Tell the council at once of any change that affects your ability to represent the "
    "community, your governance or your finances.",
]

MONITORING_REQUIREMENTS = [
    "A monitoring report for each payment period: engagement activities, people reached, "
    "issues taken to the council, feedback given to the community and changes in the "
    "community's views.",
    "Each instalment is paid once the council has accepted the report for its period.",
    "A yearly meeting with a council officer to review the grant.",
]
