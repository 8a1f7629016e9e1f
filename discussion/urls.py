from django.urls import path

from discussion import views

app_name = "discussion"
urlpatterns = [
    path("<slug:kind>/<int:pk>/write/", views.comment_write, name="write"),
    path("posted/<str:token>/", views.comment_posted, name="posted"),
    path("<int:comment_id>/edit/", views.comment_edit, name="edit"),
    path("<int:comment_id>/delete/", views.comment_delete, name="delete"),
    path("<int:comment_id>/report/", views.comment_report, name="report"),
    path("confirm/<str:token>/", views.commenter_confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
