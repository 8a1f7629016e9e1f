from django.urls import path

from directory import views

app_name = "directory"
urlpatterns = [
    path("", views.entry_list, name="list"),
    path("suggest/", views.suggest_new, name="suggest"),
    path("suggest/sent/", views.suggest_sent, name="suggest-sent"),
    path("lookup/", views.entry_lookup, name="lookup"),
    path("<slug:slug>/", views.entry_detail, name="detail"),
    path("<slug:slug>/correct/", views.suggest_correction, name="correct"),
]
