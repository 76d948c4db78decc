from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    path("", views.provider_home, name="home"),
    path("register/", views.provider_register, name="register"),
]
