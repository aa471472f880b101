from django.urls import path

from drafts import views

urlpatterns = [
    path("write/", views.write, name="write"),
    path("write/<int:draft_id>/", views.draft_detail, name="draft"),
    path("write/<int:draft_id>/check/", views.draft_check, name="draft_check"),
    path("write/<int:draft_id>/rename/", views.draft_rename, name="draft_rename"),
    path("write/<int:draft_id>/delete/", views.draft_delete, name="draft_delete"),
    path("write/<int:draft_id>/revisions/<int:number>/", views.revision_detail, name="draft_revision"),
    path(
        "write/<int:draft_id>/revisions/<int:number>/sentences/<int:position>/intent/",
        views.sentence_intent,
        name="sentence_intent",
    ),
]
