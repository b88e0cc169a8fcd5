"""The public side of the partner reports: the page a liaison's signed link opens, and its
downloads."""

from django.urls import path

from reporting import views

app_name = "reporting"

urlpatterns = [
    path("partner-report/<str:token>/", views.public_partner_report, name="partner_report"),
    path(
        "partner-report/<str:token>/report.<str:fmt>",
        views.public_partner_report_download,
        name="partner_report_download",
    ),
]
