from django.urls import path

from research import views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:pk>/download/", views.download, name="download"),
    # Public: what an export holds, so anyone can see what researchers receive.
    path("dictionary/", views.dictionary, name="dictionary"),
    path("dictionary/data-dictionary.<str:fmt>", views.dictionary_download,
         name="dictionary-download"),
    path("dictionary/questionnaire.json", views.questionnaire_resource, name="questionnaire"),
]
