"""The standard "partner satisfaction" question set, as StreamField data (the data migration
makes the template from it; the demo and the tests use it too)."""

import uuid

TITLE = "Partner satisfaction (template)"
INTRO = (
    "A few questions about your partnership. Your answers help us match partners better; "
    "we report them only as totals, and quote you only if you say we may."
)

FREQUENCIES = ["Every week", "Every two weeks", "Once a month", "Less often"]


def _question(key, text, kind, required=True, choices="", show_if=None, help_text=""):
    return {
        "type": "item",
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"surveys:partner-satisfaction:{key}")),
        "value": {
            "key": key,
            "text": text,
            "help_text": help_text,
            "kind": kind,
            "choices": choices,
            "required": required,
            "show_if": show_if or {"question": "", "values": ""},
        },
    }


def partner_satisfaction_body() -> list[dict]:
    return [
        {
            "type": "section",
            "id": "7e0c4b52-9c55-4a44-9b7e-5c1f0e6b1a01",
            "value": {
                "heading": "Your partnership",
                "intro": "",
                "show_if": {"question": "", "values": ""},
                "questions": [
                    _question(
                        "met_partner",
                        "Have you met your partner?",
                        "yesno",
                        help_text="In person, by video or by phone.",
                    ),
                    _question(
                        "meeting_frequency",
                        "How often do you meet?",
                        "single",
                        choices="\n".join(FREQUENCIES),
                        show_if={"question": "met_partner", "values": "yes"},
                    ),
                    _question(
                        "satisfaction",
                        "How satisfied are you with your partnership?",
                        "scale5",
                        help_text="1: not at all, 5: very satisfied.",
                    ),
                    _question(
                        "recommend",
                        "How likely are you to recommend the program to a colleague?",
                        "scale10",
                        help_text="0: not at all likely, 10: extremely likely.",
                    ),
                ],
            },
        },
        {
            "type": "section",
            "id": "7e0c4b52-9c55-4a44-9b7e-5c1f0e6b1a02",
            "value": {
                "heading": "In your own words",
                "intro": "",
                "show_if": {"question": "", "values": ""},
                "questions": [
                    _question("what_worked", "What worked well?", "text", required=False),
                    _question("what_did_not", "What did not work?", "text", required=False),
                    _question(
                        "quote_consent",
                        "May we quote your answers anonymously in reports to partner "
                        "organisations and in public statistics?",
                        "yesno",
                    ),
                ],
            },
        },
    ]
