from django.urls import path

from forum import views

app_name = "forum"
urlpatterns = [
    path("", views.thread_list, name="list"),
    path("ask/", views.ask, name="ask"),
    path("mine/", views.mine, name="mine"),
    path("preview/", views.preview, name="preview"),
    path("tags/suggest/", views.tag_suggest, name="tag_suggest"),
    path("tagged/<str:tag>/", views.tagged, name="tagged"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("topics/follow/", views.follow_topic, name="follow_topic"),
    path("topics/stop/<str:token>/", views.topic_unsubscribe, name="topic_unsubscribe"),
    path("<id:thread_id>/", views.thread_detail, name="thread_noslug"),
    path("<id:thread_id>/answer/", views.answer, name="answer"),
    path("<id:thread_id>/comment/", views.comment, name="comment"),
    path("<id:thread_id>/edit/", views.edit_thread, name="edit_thread"),
    path("<id:thread_id>/history/", views.thread_history, name="thread_history"),
    path("<id:thread_id>/delete/", views.delete_thread, name="delete_thread"),
    path("<id:thread_id>/lock/", views.lock_thread, name="lock_thread"),
    path("<id:thread_id>/me-too/", views.me_too, name="me_too"),
    path("<id:thread_id>/follow/", views.follow, name="follow"),
    path("<id:thread_id>/accept/", views.accept, name="accept"),
    path("<id:thread_id>/linked-fix/", views.linked_fix, name="linked_fix"),
    path("<id:thread_id>/did-it-fix/", views.did_it_fix, name="did_it_fix"),
    path("<id:thread_id>/solved/", views.mark_solved, name="mark_solved"),
    path("answers/<id:post_id>/edit/", views.edit_post, name="edit_post"),
    path("answers/<id:post_id>/history/", views.post_history, name="post_history"),
    path("answers/<id:post_id>/helpful/", views.helpful, name="helpful"),
    path("answers/<id:post_id>/official/", views.official, name="official"),
    path("answers/<id:post_id>/delete/", views.delete_post, name="delete_post"),
    path("comments/<id:comment_id>/edit/", views.edit_comment, name="edit_comment"),
    path("comments/<id:comment_id>/delete/", views.delete_comment, name="delete_comment"),
    # Last: a slug that looks like an action word never shadows an action (see Thread.make_slug).
    path("<id:thread_id>/<str:slug>/", views.thread_detail, name="thread"),
]
