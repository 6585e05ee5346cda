"""The clinical review workflow (ADR 0004).

- A "Clinical review" workflow with one group approval task for the Clinical reviewers
  group, attached to the catalog home page (every domain, course and module below
  inherits it) and to the Quiz and Question snippets.
- Clinical reviewers may see, edit and publish every catalog page, quiz and question:
  Wagtail publishes an approved change with the approving reviewer's rights, and a
  reviewer who publishes her own edit is the clinical reviewer who approved it.
- Educators lose the publish permission on the catalog: their only route to learners is
  "Submit for review". Site administrators keep publishing rights on pages and gain them
  on quizzes and questions.
"""

from django.db import migrations

WORKFLOW = "Clinical review"
TASK = "Clinical reviewer approval"
CLINICAL_REVIEWERS = "Clinical reviewers"
REVIEWER_PAGE_PERMISSIONS = ["change_page", "publish_page", "lock_page", "unlock_page"]
SNIPPET_MODELS = ["quiz", "question"]
REVIEWER_SNIPPET_PERMISSIONS = ["view", "change", "publish", "lock", "unlock"]
SITE_ADMINISTRATOR_SNIPPET_PERMISSIONS = ["view", "add", "change", "delete", "publish",
                                          "lock", "unlock"]


def _content_type(apps, app_label, model):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label=app_label, model=model)[0]


def _permission(apps, app_label, model, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get_or_create(
        content_type=_content_type(apps, app_label, model), codename=codename,
        defaults={"name": f"Can {codename.replace('_', ' ')}"},
    )[0]


def _grant_permissions(apps):
    Group = apps.get_model("auth", "Group")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    HomePage = apps.get_model("courses", "HomePage")
    reviewers = Group.objects.get(name=CLINICAL_REVIEWERS)
    GroupPagePermission.objects.filter(
        group__name="Educator", permission__codename="publish_page",
        permission__content_type__app_label="wagtailcore",
    ).delete()
    for home in HomePage.objects.all():
        for codename in REVIEWER_PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=reviewers, page_id=home.pk,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
    administrators = Group.objects.filter(name="Site administrator").first()
    for model in SNIPPET_MODELS:
        for action in REVIEWER_SNIPPET_PERMISSIONS:
            reviewers.permissions.add(_permission(apps, "assessments", model,
                                                  f"{action}_{model}"))
        for action in SITE_ADMINISTRATOR_SNIPPET_PERMISSIONS:
            if administrators is not None:
                administrators.permissions.add(_permission(apps, "assessments", model,
                                                           f"{action}_{model}"))


def _create_workflow(apps):
    Group = apps.get_model("auth", "Group")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    HomePage = apps.get_model("courses", "HomePage")

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK, active=True,
            content_type=_content_type(apps, "wagtailcore", "groupapprovaltask"),
        )
    task.groups.add(Group.objects.get(name=CLINICAL_REVIEWERS))
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task,
                                       defaults={"sort_order": 0})
    for home in HomePage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=home.pk,
                                              defaults={"workflow": workflow})
    for model in SNIPPET_MODELS:
        WorkflowContentType.objects.update_or_create(
            content_type=_content_type(apps, "assessments", model),
            defaults={"workflow": workflow},
        )


def set_up_clinical_review(apps, schema_editor):
    _grant_permissions(apps)
    _create_workflow(apps)


def take_down_clinical_review(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow.objects.filter(name=WORKFLOW).delete()
    GroupApprovalTask.objects.filter(name=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_quiz_question_review_state"),
        ("core", "0005_clinical_reviewers"),
        ("courses", "0002_catalog"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(set_up_clinical_review, take_down_clinical_review)]
