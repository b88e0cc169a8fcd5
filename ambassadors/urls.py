from django.urls import path

from ambassadors import views

app_name = "ambassadors"

urlpatterns = [
    path("ambassador-term/<str:token>/", views.term_view, name="term"),
]
