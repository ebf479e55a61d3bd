from django.urls import path

from desk import firefight_views, views

app_name = "desk"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("next/", views.take_next, name="next"),
    path("team/", views.team, name="team"),
    path("insights/", views.insights, name="insights"),
    path("links/", views.links, name="links"),
    path("articles/", views.articles, name="articles"),
    path("repeats/", firefight_views.repeats, name="repeats"),
    path("repeats/<id:group_id>/promote/", firefight_views.promote, name="promote_repeat"),
    path("repeats/<id:group_id>/dismiss/", firefight_views.dismiss, name="dismiss_repeat"),
    path("links/<id:link_id>/decide/", views.decide_link, name="decide_link"),
    path("replies/", views.saved_replies, name="replies"),
    path("replies/new/", views.new_reply, name="new_reply"),
    path("replies/<id:reply_id>/edit/", views.edit_reply, name="edit_reply"),
    path("replies/<id:reply_id>/delete/", views.delete_reply, name="delete_reply"),
    path("duty/", views.duty, name="duty"),
    path("settings/", views.save_settings, name="settings"),
    # Not staff-only: the one-click link in the desk's emails (desk/notifications.py).
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("threads/<id:thread_id>/take/", views.take, name="take"),
    path("threads/<id:thread_id>/release/", views.release, name="release"),
    path("threads/<id:thread_id>/hand/", views.hand_over, name="hand_over"),
    path("threads/<id:thread_id>/notes/", views.add_note, name="add_note"),
]
