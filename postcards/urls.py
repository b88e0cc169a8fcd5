from django.urls import path

from . import views

app_name = "postcards"
urlpatterns = [
    path("postcard/", views.submit_postcard_view, name="submit_postcard"),
    path("photos/<int:pk>/", views.submitted_photo, name="submitted_photo"),
]
