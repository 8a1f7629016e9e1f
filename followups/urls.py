from django.urls import path

from followups import views

app_name = "reminders"
urlpatterns = [
    path("<str:token>/follow-up/", views.followup_from_reminder, name="follow-up"),
    path("<str:token>/follow-up/<int:followup_id>/sent/", views.followup_from_reminder_sent,
         name="sent"),
    path("<str:token>/stop/", views.reminders_stop, name="stop"),
]
