"""The sign-in steps, under /admin/signin/ (before Wagtail's admin URLs)."""

from django.urls import path

from website.signin import views

urlpatterns = [
    path("verify/", views.verify, name="signin_verify"),
    path("two-step/", views.enrol, name="signin_enrol"),
    path("recovery-codes/", views.recovery_codes, name="signin_recovery_codes"),
]
