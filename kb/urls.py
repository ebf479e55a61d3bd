from django.urls import path

from kb import views

app_name = "kb"
urlpatterns = [
    path("", views.kb_home, name="home"),
    # Fixed words first; Article.RESERVED_SLUGS keeps any article from shadowing them.
    path("new/", views.new_article, name="new"),
    path("unhelpful/", views.unhelpful, name="unhelpful"),
    path("promote/<id:post_id>/", views.promote, name="promote"),
    path("category/<slug:slug>/", views.category, name="category"),
    path("<slug:slug>/", views.article_detail, name="article"),
    path("<slug:slug>/vote/", views.vote, name="vote"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/history/<id:number>/restore/", views.restore, name="restore"),
    path("<slug:slug>/edit/", views.edit_article, name="edit"),
    path("<slug:slug>/publish/", views.publish, name="publish"),
    path("<slug:slug>/archive/", views.archive, name="archive"),
    path("<slug:slug>/link/", views.link_thread, name="link"),
    path("<slug:slug>/reviewed/", views.reviewed, name="reviewed"),
]
