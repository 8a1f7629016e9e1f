from django.urls import path

from stories import views

app_name = "stories"
urlpatterns = [
    path("", views.story_list, name="list"),
    path("share/", views.story_share, name="share"),
    path("share/sent/", views.story_share_sent, name="share-sent"),
    path("confirm/<str:token>/", views.story_confirm, name="confirm"),
    path("<slug:slug>/", views.story_detail, name="detail"),
    path("<slug:slug>/report/", views.story_report, name="report"),
    path("<slug:slug>/report/sent/", views.story_report_sent, name="report-sent"),
]
