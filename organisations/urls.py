from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("organisation/register/", views.organisation_register, name="register"),
    path("organisation/edit/", views.organisation_edit, name="edit"),
    path("organisation/people/", views.organisation_people, name="people"),
    path(
        "organisation/invitations/<int:pk>/withdraw/",
        views.invitation_withdraw,
        name="invitation_withdraw",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("officer/", views.officer_queue, name="officer_queue"),
]
