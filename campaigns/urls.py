from django.urls import path

from campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("email/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
