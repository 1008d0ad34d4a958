from django.urls import path

from . import staff_views, staff_views_more, views

app_name = "office"

urlpatterns = [
    path("gazette/", views.gazette_list, name="gazette-list"),
    path("gazette/<int:year>/<int:number>/", views.gazette_issue, name="gazette-issue"),
    path("gazette/<int:year>/<int:number>/gazette.<str:kind>", views.gazette_file, name="gazette-file"),
    path("gazette/texts/<int:pk>/", views.gazette_entry, name="gazette-entry"),
    path("normative/cleanup/<int:year>/", views.cleanup_list, name="cleanup"),
    path("staff/", staff_views.dashboard, name="dashboard"),
    path("staff/catalogue/", staff_views.catalogue_page, name="catalogue"),
    path("staff/catalogue/catalogue.xlsx", staff_views.catalogue_export, name="catalogue-export"),
    path("staff/site/", staff_views.site_page, name="site"),
    path("staff/normative/", staff_views.normative_page, name="normative"),
    path("staff/normative/<int:pk>/evaluate/", staff_views.evaluate, name="evaluate"),
    path("staff/normative/cleanup/", staff_views.publish_cleanup, name="publish-cleanup"),
    path("staff/gazette/", staff_views.gazette_page, name="gazette"),
    path("staff/gazette/<int:pk>/publish/", staff_views.gazette_publish, name="gazette-publish"),
    path("staff/gazette/<int:pk>/draft.<str:kind>", staff_views.gazette_draft_file, name="gazette-draft"),
    path("staff/budget/", staff_views_more.budget_page, name="budget"),
    path("staff/assessment/", staff_views_more.assessment_page, name="assessment"),
    path("staff/assessment/assessment.xlsx", staff_views_more.assessment_export, name="assessment-export"),
    path("staff/workplan/", staff_views.workplan_page, name="workplan"),
    path("staff/workplan/items/<int:pk>/", staff_views.workplan_item, name="workplan-item"),
]
