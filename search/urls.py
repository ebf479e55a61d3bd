from django.urls import path

from search import views

app_name = "search"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("suggest", views.suggest, name="suggest"),
    path("go/<str:token>/", views.open_suggestion, name="open_suggestion"),
    path("deflection/", views.deflection, name="deflection"),
]
