from django.urls import path

from accounts import views
from followups import views as followup_views

app_name = "accounts"
urlpatterns = [
    path("", views.my_stories, name="my-stories"),
    path("stories/<int:story_id>/", views.story_manage, name="story-manage"),
    path("stories/<int:story_id>/edit/", views.story_edit, name="story-edit"),
    path("stories/<int:story_id>/withdraw/", views.story_withdraw, name="story-withdraw"),
    path("stories/<int:story_id>/resubmit/", views.story_resubmit, name="story-resubmit"),
    path("stories/<int:story_id>/consent/", views.story_consent, name="story-consent"),
    path("stories/<int:story_id>/reminders/", views.story_reminders, name="story-reminders"),
    path("stories/<int:story_id>/erase/", views.story_erase, name="story-erase"),
    path("stories/<int:story_id>/follow-up/", followup_views.followup_add, name="followup-add"),
    path("stories/<int:story_id>/follow-up/<int:followup_id>/sent/",
         followup_views.followup_sent, name="followup-sent"),
    path("stories/<int:story_id>/before-treatment/", followup_views.baseline_record,
         name="baseline"),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment-delete"),
    path("erase/", views.erase_me, name="erase-me"),
    path("my-data.<str:fmt>", views.export, name="export"),
]
