from django.urls import path

from outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("<slug:slug>/", views.outcomes_page, name="page"),
    path("<slug:slug>/<slug:name>.svg", views.chart, name="chart"),
    path("<slug:slug>/data/<slug:table>.<str:fmt>", views.table_download, name="download"),
]
