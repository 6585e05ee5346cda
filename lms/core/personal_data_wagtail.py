"""Personal data the editing tools keep about editors and administrators: Wagtail's (admin
preferences, comments, page subscriptions, editing sessions, API tokens, who wrote a
revision, owns or locked a page, uploaded a file, asked for or finished a workflow task,
translated a string; the page and object history) and Django admin's change log.

Learners rarely have any of it. Registered by ``CoreConfig.ready()``; see
lms/core/personal_data.py.
"""

from django.contrib.admin.models import LogEntry
from django.utils.translation import gettext_lazy as _
from wagtail.admin.models import EditingSession
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    APIToken,
    Comment,
    CommentReply,
    ModelLogEntry,
    Page,
    PageLogEntry,
    PageSubscription,
    Revision,
    TaskState,
    UploadedFile,
    WorkflowState,
)
from wagtail.users.models import UserProfile
from wagtail_localize.models import SegmentOverride, StringTranslation

from lms.core.personal_data import PersonalDataDeclaration, detach, model_rows

__all__ = ["DECLARATION"]


def _form_state_model():
    from wagtail.admin.models import FormState

    return FormState


# "Who did it" references: the record stays (a page, a revision, an image), without a name.
def _detached() -> list[tuple[type, str]]:
    return [
        (Page, "owner"), (Page, "locked_by"), (Revision, "user"),
        (get_document_model(), "uploaded_by_user"), (get_image_model(), "uploaded_by_user"),
        (UploadedFile, "uploaded_by_user"), (WorkflowState, "requested_by"),
        (TaskState, "finished_by"), (StringTranslation, "last_translated_by"),
        (SegmentOverride, "last_translated_by"), (Comment, "resolved_by"),
    ]


def export(user) -> dict:
    return {
        "editor_preferences": model_rows(UserProfile.objects.filter(user=user),
                                         exclude=("avatar",)),
        "editor_comments": model_rows(Comment.objects.filter(user=user),
                                      fields=("id", "page", "text", "created_at")),
        "editor_comment_replies": model_rows(CommentReply.objects.filter(user=user),
                                             fields=("id", "comment", "text", "created_at")),
        "editor_page_subscriptions": model_rows(PageSubscription.objects.filter(user=user)),
        "editor_revisions": model_rows(
            Revision.objects.filter(user=user),
            fields=("id", "content_type", "object_id", "object_str", "created_at")),
        "editor_pages_owned": model_rows(Page.objects.filter(owner=user),
                                         fields=("id", "title", "first_published_at")),
        "editor_history": model_rows(
            PageLogEntry.objects.filter(user=user), fields=("id", "label", "action", "timestamp")
        ) + model_rows(
            ModelLogEntry.objects.filter(user=user), fields=("id", "label", "action", "timestamp")
        ),
        "editor_api_tokens": model_rows(APIToken.objects.filter(user=user),
                                        fields=("id", "name", "created_at")),
        "admin_change_log": model_rows(LogEntry.objects.filter(user=user),
                                       fields=("id", "action_time", "object_repr",
                                               "action_flag", "change_message")),
    }


def erase(user) -> None:
    for model in (UserProfile, PageSubscription, EditingSession, _form_state_model(), APIToken,
                  CommentReply, Comment, LogEntry):
        model._default_manager.filter(user=user).delete()
    for model, field_name in _detached():
        detach(model, field_name, user)


DECLARATION = PersonalDataDeclaration(
    app_label="wagtail",
    models=(
        "wagtailusers.UserProfile", "wagtailadmin.EditingSession", "wagtailadmin.FormState",
        "wagtailcore.APIToken", "wagtailcore.Comment", "wagtailcore.CommentReply",
        "wagtailcore.PageSubscription", "wagtailcore.Revision", "wagtailcore.Page",
        "wagtailcore.ModelLogEntry", "wagtailcore.PageLogEntry", "wagtailcore.UploadedFile",
        "wagtailcore.WorkflowState", "wagtailcore.TaskState", "wagtaildocs.Document",
        "wagtailimages.Image", "wagtail_localize.StringTranslation",
        "wagtail_localize.SegmentOverride", "admin.LogEntry",
    ),
    export=export,
    erase=erase,
    kept_after_erasure=_(
        "If you edited courses, the pages, revisions, images and documents you made stay "
        "(they are the course), without your name; the page history keeps the number of "
        "your former account beside each change, which no longer leads to you."
    ),
)
