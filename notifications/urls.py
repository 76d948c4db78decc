from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("account/emails/", views.my_notifications, name="mine"),
    path("officer/emails/failed/", views.failed_notifications, name="failed"),
    path("officer/emails/<int:pk>/retry/", views.notification_retry, name="retry"),
]
