from django.urls import path

from . import views

app_name = "blog"
urlpatterns = [
    path("article/", views.submit_article_view, name="submit_article"),
    path("thanks/", views.submission_thanks, name="submission_thanks"),
]
