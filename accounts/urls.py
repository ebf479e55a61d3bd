from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("users/<id:user_id>/", views.profile, name="profile"),
    path("account/settings/", views.settings_view, name="settings"),
    path("account/my-data.json", views.data_download, name="data"),
    path("account/delete/", views.delete_account, name="delete"),
]
