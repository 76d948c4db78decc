"""The open data everyone may read, without an account, at addresses that never change."""

from django.urls import path

from . import open_data_public_views as public_views

app_name = "open_data"

urlpatterns = [
    path("open-data/", public_views.open_data_public, name="public"),
    path("open-data/<str:filename>", public_views.public_file, name="file"),
]
