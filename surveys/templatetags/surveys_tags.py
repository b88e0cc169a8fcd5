"""The open surveys on a participant's personal page."""

from django import template

from surveys import links
from surveys.services.responses import open_surveys_for

register = template.Library()


@register.inclusion_tag("surveys/_open_surveys.html")
def open_surveys(application) -> dict:
    items = [
        {
            "survey": survey,
            "response": response,
            "url": links.answer_url(survey, application),
        }
        for survey, response in open_surveys_for(application)
    ]
    return {"items": items}
