from django.urls import path

from . import views

app_name = "packages"

urlpatterns = [
    path("packages/", views.menu, name="menu"),
    path("packages/<slug:slug>/", views.package_detail, name="detail"),
    path("manager/packages/", views.manage, name="manage"),
    path("manager/packages/new/", views.package_create, name="create"),
    path("manager/packages/<int:pk>/edit/", views.package_edit, name="edit"),
    path("manager/packages/<int:pk>/withdraw/", views.package_withdraw, name="withdraw"),
    path("manager/packages/<int:pk>/reinstate/", views.package_reinstate, name="reinstate"),
]
