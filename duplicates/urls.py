from django.urls import path

from duplicates import views

app_name = "duplicates"
# Included under /questions/ (config/urls.py): the paths the forum served them at.
urlpatterns = [
    path("cluster/<id:cluster_id>/", views.cluster_page, name="cluster"),
    path("cluster/<id:cluster_id>/merge/<id:thread_id>/", views.merge_into_main, name="merge"),
    path("links/<id:link_id>/decide/", views.decide_link, name="decide_link"),
]
