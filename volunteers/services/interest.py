"""Expressions of interest in volunteering, from the public form to the directors' listing."""

from volunteers.models import ExpressionOfInterest


def express_interest(
    name: str, email: str, country: str, roles: list[str], message: str
) -> ExpressionOfInterest:
    return ExpressionOfInterest.objects.create(
        name=name, email=email, country=country or "", roles=list(roles), message=message
    )
