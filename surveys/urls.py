from django.urls import path

from surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/answer/<str:token>/", views.answer, name="answer"),
    path("surveys/<slug:slug>/", views.public, name="public"),
    path("surveys/<slug:slug>/thanks/", views.thanks, name="thanks"),
]
