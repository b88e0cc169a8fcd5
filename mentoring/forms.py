"""Public forms: the application, the expression-of-interest list, the lost-link request;
and the directors' matching forms: a round's decision hierarchy, the review's search."""

from collections.abc import Iterator

from django import forms
from django.utils.choices import flatten_choices
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from timezone_field import TimeZoneFormField

from mentoring.choices import (
    AVAILABILITY_CHOICES,
    CRITERION_LABELS,
    HARD_ALLOWED,
    LANGUAGE_CHOICES,
    CareerStage,
    Region,
    Sector,
    Wish,
)
from mentoring.matching.hierarchy import Criterion
from mentoring.models import Application, Interest, Pathway, Round
from mentoring.services.applications import FORM_FIELDS
from website.forms import FixedChoicesSelect, SharedChoicesMixin
from website.public_forms import HoneypotMixin
from website.templatetags.language_tags import default_lang_span


class TimeZoneField(SharedChoicesMixin, TimeZoneFormField):
    """The time zone choice; its 600 choices are shared by every form."""

    widget = FixedChoicesSelect


class DefaultLanguageCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes whose labels are written in the default language (names that directors
    type, not translated): each label says so to a screen reader on a translated page. The
    label is marked up here, so that the site's form renderer writes the options without a
    template each (website/forms.py)."""

    option_template_name = "django/forms/widgets/input_option.html"

    def create_option(self, *args, **kwargs) -> dict:
        option = super().create_option(*args, **kwargs)
        option["label"] = default_lang_span(option["label"])
        return option


class InterestForm(HoneypotMixin):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), max_length=254)
    country = CountryField(blank_label=_("Choose a country")).formfield(
        label=_("Country you live in"), widget=FixedChoicesSelect
    )


class LostLinkForm(HoneypotMixin):
    email = forms.EmailField(label=_("The email address you applied with"), max_length=254)


class ApplicationForm(HoneypotMixin):
    name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(
        label=_("Email address"), max_length=254, help_text=_("We will send a link to check it.")
    )
    country = CountryField(blank_label=_("Choose a country")).formfield(
        label=_("Country you live in"), widget=FixedChoicesSelect
    )
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    time_zone = TimeZoneField(
        label=_("Time zone"),
        initial="UTC",
        help_text=_("Filled in from your browser; change it if wrong."),
    )
    sector = forms.ChoiceField(label=_("Library sector you work in"), choices=Sector.choices)
    role = forms.CharField(
        label=_("Your role"),
        max_length=150,
        help_text=_("For example: reference librarian, cataloguer, student."),
    )
    career_stage = forms.ChoiceField(label=_("Career stage"), choices=CareerStage.choices)
    years_experience = forms.IntegerField(
        label=_("Years of experience in libraries"), min_value=0, max_value=70
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak besides English"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("Areas of interest"),
        queryset=Interest.objects.filter(active=True),
        widget=DefaultLanguageCheckboxes,
        help_text=_("Choose up to six."),
    )
    wants_sector = forms.ChoiceField(
        label=_("Your partner's sector should be"),
        choices=Wish.choices,
        initial=Wish.ANY,
        widget=forms.RadioSelect,
    )
    wanted_sectors = forms.MultipleChoiceField(
        label=_("Or, specifically, one of these sectors"),
        choices=Sector.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wants_career_stage = forms.ChoiceField(
        label=_("Your partner's career stage should be"),
        choices=Wish.choices,
        initial=Wish.ANY,
        widget=forms.RadioSelect,
    )
    preferred_regions = forms.MultipleChoiceField(
        label=_("Regions you would like your partner to live in"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for anywhere."),
    )
    availability = forms.MultipleChoiceField(
        label=_("When you are usually free to talk (your local time)"),
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    special_requests = forms.CharField(
        label=_("Special requests"),
        required=False,
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("For example a colleague you would like to be paired with, or not."),
    )
    pathway = forms.ModelChoiceField(
        label=_("Are you a member of one of our partner organisations?"),
        queryset=Pathway.objects.none(),
        required=False,
        empty_label=_("No, or I prefer not to say"),
    )
    pathway_code = forms.CharField(
        label=_("Members' access code"),
        max_length=40,
        required=False,
        help_text=_("If your organisation gave you a code, type it here."),
    )
    agree_code_of_conduct = forms.BooleanField(label=_("I agree to the code of conduct."))
    agree_requirements = forms.BooleanField(label=_("I agree to the participation requirements."))

    MAX_INTERESTS = 6
    # Longer lists of checkboxes fold away behind a "Show the choices" toggle (native
    # <details>): a keyboard user passes them with one Tab unless they open them.
    SHORT_LIST = 5
    SECTIONS = [
        (_("About you"), ["name", "email", "country", "city", "time_zone", "languages"]),
        (_("Your work"), ["sector", "role", "career_stage", "years_experience", "interests"]),
        (
            _("Your partner"),
            [
                "wants_sector",
                "wanted_sectors",
                "wants_career_stage",
                "preferred_regions",
                "availability",
                "special_requests",
            ],
        ),
        (_("Partner organisations"), ["pathway", "pathway_code"]),
        (_("Agreements"), ["agree_code_of_conduct", "agree_requirements"]),
    ]

    def sections(self):
        for title, names in self.SECTIONS:
            fields = [self[name] for name in names if name in self.fields]
            if fields:
                yield title, fields

    CORRECTION_OMITS = ("email", "agree_code_of_conduct", "agree_requirements")
    """A correction keeps the verified address and the agreements already given."""

    def __init__(self, *args, round: Round, correcting: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.fields["pathway"].queryset = Pathway.objects.filter(
            round=round, kind=Pathway.Kind.SELF_DECLARED
        ).select_related("organisation")
        if not self.fields["pathway"].queryset.exists():
            del self.fields["pathway"]
        if correcting:
            for name in self.CORRECTION_OMITS:
                del self.fields[name]
        for field in self.fields.values():
            if (
                isinstance(field.widget, forms.CheckboxSelectMultiple)
                and len(field.choices) > self.SHORT_LIST
            ):
                field.template_name = "includes/fields/long_choices.html"

    @classmethod
    def initial_for(cls, application: Application) -> dict:
        """The form's values as the applicant last sent them, to correct them."""
        initial = {name: getattr(application, name) for name in FORM_FIELDS}
        initial["country"] = application.country.code
        initial["interests"] = list(application.interests.all())
        pathway = application.pathway
        if pathway and pathway.kind == Pathway.Kind.MEMBERS_ONLY:
            initial["pathway_code"] = pathway.code
        return initial

    def answers(self) -> Iterator[tuple[str, list[tuple[str, str]]]]:
        """The initial values as a person reads them, by section, with the form's labels:
        what the applicant sent, shown on their page."""
        for title, fields in self.sections():
            rows = []
            for bound in fields:
                if bound.name == "pathway_code":
                    pathway = self.initial.get("pathway")
                    if pathway and "pathway" not in self.fields:
                        rows.append((_("Partner organisation"), str(pathway.organisation)))
                    continue
                rows.append((bound.label, self._shown(bound.field, self.initial.get(bound.name))))
            if rows:
                yield title, rows

    @staticmethod
    def _shown(field: forms.Field, value) -> str:
        if value is None or value == "" or value == []:
            return str(_("Not given"))
        if isinstance(field, forms.ModelMultipleChoiceField):
            return ", ".join(str(item) for item in value)
        if isinstance(field, forms.ModelChoiceField):
            return str(value)
        if isinstance(field, forms.ChoiceField) and not isinstance(value, (list, tuple)):
            value = [value]
        if isinstance(field, forms.ChoiceField):
            labels = dict(flatten_choices(field.choices))
            return ", ".join(str(labels.get(item, item)) for item in value)
        return str(value)

    def clean_interests(self):
        interests = self.cleaned_data["interests"]
        if len(interests) > self.MAX_INTERESTS:
            raise forms.ValidationError(
                _("Choose at most %(max)d areas of interest."), params={"max": self.MAX_INTERESTS}
            )
        return interests

    def clean(self):
        cleaned = super().clean()
        code = (cleaned.get("pathway_code") or "").strip()
        if code:
            members = Pathway.objects.filter(
                round=self.round, kind=Pathway.Kind.MEMBERS_ONLY, code__iexact=code
            ).first()
            if members is None:
                self.add_error("pathway_code", _("This code is not valid for this round."))
            else:
                cleaned["pathway"] = members
        return cleaned

    def application_data(self) -> dict:
        data = {
            name: self.cleaned_data.get(name)
            for name in (*FORM_FIELDS, "interests")
            if name in self.fields or name == "pathway"
        }
        data["name"] = " ".join(data["name"].split())
        data["city"] = " ".join((data["city"] or "").split())
        return data


class HierarchyForm(forms.Form):
    """One row per criterion: its rank, its weight, and whether it is hard."""

    def __init__(self, *args, round: Round, **kwargs):
        super().__init__(*args, **kwargs)
        current = {
            item["criterion"]: (rank, item["weight"])
            for rank, item in enumerate(round.hierarchy, start=1)
        }
        self.rows = []
        for criterion in Criterion:
            rank, weight = current.get(criterion.value, (len(Criterion), 0))
            self.fields[f"{criterion}_rank"] = forms.IntegerField(
                min_value=1, max_value=len(Criterion), initial=rank, label=_("Rank")
            )
            self.fields[f"{criterion}_weight"] = forms.FloatField(
                min_value=0, max_value=1000, initial=weight, label=_("Weight")
            )
            if criterion in HARD_ALLOWED:
                self.fields[f"{criterion}_hard"] = forms.BooleanField(
                    required=False, initial=criterion.value in round.hard_criteria, label=_("Hard")
                )
            self.rows.append((criterion, CRITERION_LABELS[criterion]))

    def bound_rows(self):
        for criterion, label in self.rows:
            yield (
                label,
                self[f"{criterion}_rank"],
                self[f"{criterion}_weight"],
                self[f"{criterion}_hard"] if f"{criterion}_hard" in self.fields else None,
            )

    def clean(self):
        cleaned = super().clean()
        weights = [cleaned.get(f"{c}_weight") or 0 for c in Criterion]
        if not any(weights):
            raise forms.ValidationError(_("At least one criterion needs a weight above 0."))
        ranks = [cleaned.get(f"{c}_rank") for c in Criterion]
        if None not in ranks and len(set(ranks)) != len(ranks):
            raise forms.ValidationError(_("Give each criterion a different rank."))
        return cleaned

    def hierarchy(self) -> tuple[list[dict], list[str]]:
        rows = sorted(Criterion, key=lambda c: self.cleaned_data[f"{c}_rank"])
        weights = [
            {"criterion": c.value, "weight": self.cleaned_data[f"{c}_weight"]}
            for c in rows
            if self.cleaned_data[f"{c}_weight"] > 0
        ]
        hard = [c.value for c in Criterion if self.cleaned_data.get(f"{c}_hard")]
        return weights, hard


class ReviewSearchForm(forms.Form):
    """The review's search (a name or an email address) and its one filter."""

    LOW_SCORE = "low"
    ADJUSTED = "adjusted"
    TRIADS = "triads"
    UNMATCHED = "unmatched"

    q = forms.CharField(required=False, max_length=200, label=_("Name or email"))
    show = forms.ChoiceField(
        required=False,
        label=_("Show"),
        choices=[
            ("", _("All pairs")),
            (LOW_SCORE, _("Pairs scoring under 50")),
            (ADJUSTED, _("Pairs changed by hand")),
            (TRIADS, _("Triads")),
            (UNMATCHED, _("Only the unmatched")),
        ],
    )
