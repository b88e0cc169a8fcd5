"""The site shell's page types: where they may be created, how they render, and that the
admin can create and edit them."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from ambassadors.models import AmbassadorIndexPage
from blog.models import BlogIndexPage, SubmissionGuidelinesPage, TopicIndexPage
from postcards.models import PostcardIndexPage
from reporting.models import StatisticsIndexPage  # statistics (#15)
from volunteers.models import PositionIndexPage
from website.factories.website import StandardPageFactory
from website.models import HomePage, StandardPage


class TestPageTree(WagtailPageTestCase):
    def setUp(self):
        self.home = HomePage.objects.get(depth=2)
        self.root = Page.objects.get(depth=1)
        self.login()

    def test_home_page_lives_at_the_root_only(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertAllowedSubpageTypes(
            HomePage,
            {
                StandardPage,
                BlogIndexPage,
                TopicIndexPage,
                SubmissionGuidelinesPage,
                PostcardIndexPage,
                AmbassadorIndexPage,
                StatisticsIndexPage,  # statistics (#15)
                PositionIndexPage,  # volunteers (#16)
            },
        )

    def test_standard_pages_live_under_home_or_each_other(self):
        self.assertAllowedParentPageTypes(StandardPage, {HomePage, StandardPage})
        self.assertCanCreateAt(HomePage, StandardPage)
        self.assertCanCreateAt(StandardPage, StandardPage)
        self.assertCanNotCreateAt(StandardPage, HomePage)

    def test_admin_creates_a_standard_page(self):
        data = nested_form_data(
            {
                "title": "Volunteer with us",
                "slug": "volunteer",
                "intro": "Roles open now.",
                "body": streamfield(
                    [("paragraph", rich_text("<p>Every role has a position description.</p>"))]
                ),
            }
        )
        self.assertCanCreate(self.home, StandardPage, data)
        page = StandardPage.objects.get(slug="volunteer")
        assert page.body[0].block_type == "paragraph"

    def test_admin_edit_view_opens_for_each_page_type(self):
        standard = StandardPageFactory(parent=self.home, title="About", slug="about")
        for page in (self.home, standard):
            response = self.client.get(f"/admin/pages/{page.pk}/edit/")
            assert response.status_code == 200, page

    def test_pages_render(self):
        standard = StandardPageFactory(
            parent=self.home,
            title="How it works",
            slug="how-it-works",
            intro="The steps of a round.",
            body=[("question", {"question": "Who can apply?", "answer": "<p>Anyone.</p>"})],
        )
        self.assertPageIsRenderable(self.home)
        self.assertPageIsRenderable(standard)
        response = self.client.get(standard.url)
        self.assertContains(response, "<h1>How it works</h1>", html=True)
        self.assertContains(response, "Who can apply?")


@pytest.mark.django_db
def test_home_page_shows_the_hero_and_its_link(client, home_page):
    target = StandardPageFactory(parent=home_page, title="How it works", slug="how-it-works")
    home_page.hero_text = "Meet a colleague in another country."
    home_page.hero_link = target
    home_page.hero_link_label = "Find out how"
    home_page.save_revision().publish()
    response = client.get("/")
    content = response.content.decode()
    assert "Meet a colleague in another country." in content
    assert '<a class="button" href="/how-it-works/">Find out how</a>' in content


@pytest.mark.django_db
def test_button_block_needs_a_page_or_an_address():
    from wagtail.blocks import StructBlockValidationError

    from website.blocks import ButtonBlock

    block = ButtonBlock()
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({"label": "Apply", "page": None, "url": ""}))
