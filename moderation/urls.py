from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("audit/", views.audit_log, name="audit"),
    path("report/<str:kind>/<id:object_id>/", views.report, name="report"),
    path("people/<id:person_id>/suspend/", views.suspend, name="suspend"),
    path("people/<id:person_id>/ban/", views.ban, name="ban"),
    path("<str:kind>/<id:object_id>/", views.case, name="case"),
    path("<str:kind>/<id:object_id>/hide/", views.hide, name="hide"),
    path("<str:kind>/<id:object_id>/redact/", views.redact, name="redact"),
    path("<str:kind>/<id:object_id>/lock/", views.lock, name="lock"),
    path("<str:kind>/<id:object_id>/dismiss/", views.dismiss, name="dismiss"),
]
