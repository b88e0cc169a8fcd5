from django.urls import path

from mentoring import views

app_name = "mentoring"

urlpatterns = [
    path("apply/", views.apply, name="apply"),
    path("apply/sent/", views.application_sent, name="application_sent"),
    path("apply/verify/<str:token>/", views.verify_email, name="verify_email"),
    path("interest/sent/", views.interest_sent, name="interest_sent"),
    path("interest/confirm/<str:token>/", views.interest_confirm, name="interest_confirm"),
    path(
        "interest/unsubscribe/<str:token>/", views.interest_unsubscribe, name="interest_unsubscribe"
    ),
    path("me/", views.lost_link, name="lost_link"),
    path("me/<str:token>/", views.personal_page, name="personal_page"),
    path("me/<str:token>/confirm/", views.confirm, name="confirm"),
    path("me/<str:token>/application/", views.correct_application, name="correct_application"),
    path("me/<str:token>/withdraw/", views.withdraw, name="withdraw"),
    path("me/<str:token>/report/", views.report_partner, name="report_partner"),
    path("me/<str:token>/check-in/<int:day>/", views.check_in, name="check_in"),
    path("me/<str:token>/data/", views.download_data, name="download_data"),
    path("me/<str:token>/erase/", views.erase_data, name="erase_data"),
]
