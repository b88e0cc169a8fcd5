from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("volunteer-term/<str:token>/", views.term_view, name="term"),
]
