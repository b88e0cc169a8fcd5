"""The site's form renderer writes the choice widgets exactly as Django's templates do."""

import copy

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.safestring import mark_safe

from mentoring.forms import ApplicationForm, InterestForm
from mentoring.models import Interest, PartnerOrganisation, Pathway
from website.factories.mentoring import RoundFactory
from website.forms import FormRenderer


def assert_same_html(make_form) -> None:
    """Every field of the form, rendered by Django's templates and by FormRenderer."""
    expected, actual = make_form(), make_form()
    expected.renderer = DjangoTemplates()
    actual.renderer = FormRenderer()
    assert list(actual.fields) == list(expected.fields)
    for name in expected.fields:
        assert str(actual[name].as_field_group()) == str(expected[name].as_field_group()), name


class EveryChoiceWidget(forms.Form):
    """Choice widgets in their less usual forms: groups, attributes true and false, safe
    labels, an empty value, a list of inputs without the checkbox template's line end."""

    GROUPED = [
        ("", "---"),
        ("Fruit", [("apple", "Apple & pear"), ("kiwi", mark_safe("<b>Kiwi</b>"))]),
        ("Numbers", [(1, 1000), (2, 2.5)]),
        ("plain", "Plain"),
    ]

    grouped = forms.ChoiceField(
        choices=GROUPED,
        required=False,
        widget=forms.Select(attrs={"class": 'big "one"', "disabled": False, "autofocus": True}),
    )
    several = forms.MultipleChoiceField(choices=GROUPED, widget=forms.SelectMultiple)
    radios = forms.ChoiceField(
        choices=GROUPED, widget=forms.RadioSelect(attrs={"class": "inline", "data-x": "<&>"})
    )
    boxes = forms.MultipleChoiceField(
        choices=GROUPED, required=False, widget=forms.CheckboxSelectMultiple
    )
    inputs = forms.MultipleChoiceField(
        choices=GROUPED,
        required=False,
        widget=type(
            "InputOptions",
            (forms.CheckboxSelectMultiple,),
            {"option_template_name": "django/forms/widgets/input_option.html"},
        ),
    )


@pytest.mark.parametrize("language", ["en", "es", "ar"])
@pytest.mark.django_db
def test_the_application_form_is_written_as_by_the_templates(language):
    round_ = RoundFactory()
    organisation = PartnerOrganisation.objects.create(name="State Library")
    Pathway.objects.create(round=round_, organisation=organisation, kind=Pathway.Kind.SELF_DECLARED)
    interests = [
        Interest.objects.create(code=f"topic-{n}", name=f"Topic <{n}>", sort_order=n)
        for n in range(8)
    ]
    sent = {
        "country": "FR",
        "time_zone": "Europe/Paris",
        "languages": ["es", "fr"],
        "interests": [interests[0].pk, interests[3].pk],
        "wants_sector": "same",
        "availability": ["mon-am", "sun-eve"],
        "sector": "not a sector",
        "years_experience": "-3",
    }
    with translation.override(language):
        assert_same_html(lambda: ApplicationForm(round=round_))
        assert_same_html(lambda: ApplicationForm(sent, round=round_))
        assert_same_html(lambda: InterestForm({"country": "XX"}))


def test_unusual_choice_widgets_are_written_as_by_the_templates():
    assert_same_html(EveryChoiceWidget)
    assert_same_html(
        lambda: EveryChoiceWidget(
            {"grouped": "kiwi", "several": ["apple", "1"], "radios": "2", "boxes": ["plain"]}
        )
    )


def test_a_long_list_of_choices_is_shared_by_the_forms_not_copied():
    first, second = (
        ApplicationForm.base_fields["time_zone"],
        copy.deepcopy(ApplicationForm.base_fields)["time_zone"],
    )
    assert second is not first
    assert second._choices is first._choices
    second.choices = [("UTC", "UTC")]
    assert len(first.choices) > 500
