from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/<id:user_id>/", views.profile, name="profile"),
    path("account/settings/", views.settings_view, name="settings"),
    path("account/notifications/", views.notifications_view, name="notifications"),
    path("account/notifications/stop-all/", views.stop_all, name="stop_all"),
    path("account/emails/stop/<str:token>/", views.stop_all_emails, name="stop_all_emails"),
    path("account/my-data.json", views.data_download, name="data"),
    path("account/delete/", views.delete_account, name="delete"),
]
