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
from website.forms import FixedChoicesSelect, FormRenderer


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


class EveryInput(forms.Form):
    """Plain inputs and field groups in their less usual forms: help text with markup, no
    label, a label ending in punctuation, a hidden field, attributes true and false, values
    that need escaping, a number localized, a suffix of the field's own."""

    required_css_class = "needed"

    text = forms.CharField(help_text=mark_safe("Say <em>why</em>"), label="Name & title")
    email = forms.EmailField(required=False, label="Email?")
    number = forms.DecimalField(required=False, label_suffix=" -")
    site = forms.URLField(
        required=False, assume_scheme="https", widget=forms.URLInput(attrs={"autofocus": False})
    )
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    search = forms.CharField(required=False, label="", widget=forms.TextInput({"type": "search"}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    agree = forms.BooleanField(help_text="Tick it")
    day = forms.DateField(required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)


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


@pytest.mark.parametrize("language", ["en", "ar"])
def test_plain_inputs_and_field_groups_are_written_as_by_the_templates(language):
    sent = {
        "text": 'A "quoted" <name>',
        "email": "not an email",
        "number": "1234.5",
        "site": "https://example.org/?a=1&b=2",
        "secret": "p<w>",
        "note": "\nTwo\nlines & more",
        "day": "2026-02-30",
        "token": "t&t",
    }
    with translation.override(language):
        assert_same_html(EveryInput)
        assert_same_html(lambda: EveryInput(sent))
        assert_same_html(lambda: EveryInput(sent, auto_id=False))
        assert_same_html(lambda: EveryInput(initial={"number": 1234.5, "agree": True}))


def test_a_long_list_of_choices_is_shared_by_the_forms_not_copied():
    first, second = (
        ApplicationForm.base_fields["time_zone"],
        copy.deepcopy(ApplicationForm.base_fields)["time_zone"],
    )
    assert second is not first
    assert second._choices is first._choices
    second.choices = [("UTC", "UTC")]
    assert len(first.choices) > 500


@pytest.mark.django_db
def test_a_fixed_list_is_written_once_a_language_and_marks_each_forms_choice():
    """The options FixedChoicesSelect keeps per language serve the next form: its own choice
    marked, in its own language, exactly as the templates write it."""
    round_ = RoundFactory()
    for language, country, zone in [
        ("en", "FR", "Europe/Paris"),
        ("es", "KE", "Africa/Nairobi"),
        ("en", "", "UTC"),
        ("ar", "PE", "America/Lima"),
        ("es", "FR", "Asia/Tokyo"),
    ]:
        with translation.override(language):
            sent = {"country": country, "time_zone": zone}
            assert_same_html(lambda sent=sent: ApplicationForm(sent, round=round_))
            html = str(ApplicationForm(sent, round=round_)["time_zone"])
            assert html.count(" selected") == 1
            assert f'<option value="{zone}" selected>' in html


def test_new_choices_for_a_fixed_list_are_written_afresh():
    widget = FixedChoicesSelect(choices=[("a", "A"), ("b", "B")])
    renderer = FormRenderer()
    assert '<option value="b" selected>B</option>' in widget.render("x", "b", renderer=renderer)
    copied = copy.deepcopy(widget)
    copied.choices = [("c", "C & D")]
    assert widget.render("x", "c", renderer=renderer).count("<option") == 2
    assert copied.render("x", "c", renderer=renderer) == forms.Select(
        choices=[("c", "C & D")]
    ).render("x", "c", renderer=DjangoTemplates())
