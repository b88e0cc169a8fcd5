from django.urls import path

from conduct import views

app_name = "conduct"

urlpatterns = [
    path("me/<str:token>/conduct/", views.report, name="report"),
]
