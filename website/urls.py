from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from website import page_saves, views
from website.sitemaps import TranslatedSitemap

urlpatterns = [
    path("admin/signin/", include("website.signin.urls")),
    # Wagtail's page editor, with saves of one page one after another (website/page_saves.py)
    path("admin/pages/<int:page_id>/edit/", page_saves.edit_page),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": TranslatedSitemap}}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("anymail/", include("anymail.urls")),
    path("", include("campaigns.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("contribute/", include("blog.urls")),
    path("contribute/", include("postcards.urls")),
    path("", include("mentoring.urls")),
    path("", include("conduct.urls")),  # code of conduct: reports from the personal page
    path("", include("surveys.urls")),  # surveys (#15)
    path("", include("ambassadors.urls")),
    path("", include("volunteers.urls")),  # volunteers: the recommit-or-resign link
    path("", include("reporting.urls")),  # statistics: partner-report links (#15)
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
