from django.contrib import admin

from articles.models import Article, Series


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "order_in_series", "status", "published_on"]
    list_filter = ["status", "series"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
