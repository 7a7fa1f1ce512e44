from associations.views import ALL_PAGES

app_name = "associations"

urlpatterns = [pattern for pages in ALL_PAGES for pattern in pages.urls()]
