"""Certificates owns issued certificates, their audit trail, and how each course awards them.

``CertificateDesign`` and ``CertificatePolicy`` are what educators and administrators
configure (snippets in the admin); ``Certificate`` and ``CertificateAction`` are learner
state, written only by ``certificates.api``. A certificate is a snapshot: the learner's
name, the course title, the credit and the issuer as they were when it was issued, so
that verification still works after the course or the account is gone.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

DEFAULT_ISSUER_NAME = "Allele"


def new_public_id() -> str:
    """An unguessable identifier (128 bits) used in verification URLs."""
    return secrets.token_urlsafe(16)


class CertificateDesign(ClusterableModel):
    """How a certificate looks and what it says: logo, wording, signatories, issuer."""

    name = models.CharField(_("name"), max_length=120, help_text=_("For the admin only."))
    issuer_name = models.CharField(_("issuer name"), max_length=200, default=DEFAULT_ISSUER_NAME)
    accrediting_body = models.CharField(_("accrediting body"), max_length=200, blank=True)
    wording = models.TextField(
        _("wording"), blank=True,
        help_text=_("The attestation sentence, e.g. “has successfully completed”. "
                    "Leave blank for the default wording of each tier."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("issuer_name"), FieldPanel("accrediting_body")]),
        FieldPanel("wording"),
        FieldPanel("logo"),
        InlinePanel("signatories", label=_("Signatories")),
    ]

    class Meta:
        verbose_name = _("certificate design")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CertificateSignatory(Orderable):
    design = ParentalKey(CertificateDesign, on_delete=models.CASCADE, related_name="signatories")
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    signature = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("title"), FieldPanel("signature")]

    def __str__(self) -> str:
        return self.name


class CertificatePolicy(models.Model):
    """Which certificates a course awards, and for how long. A course without one awards a
    confirmation of participation in the default design, valid for ever."""

    course = models.OneToOneField(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="certificate_policy"
    )
    offers_participation = models.BooleanField(
        _("confirmation of participation"), default=True,
        help_text=_("Awarded when every required module is complete."),
    )
    offers_achievement = models.BooleanField(
        _("record of achievement"), default=False,
        help_text=_("Awarded, with the score, when the final assessment is passed at the "
                    "threshold below."),
    )
    achievement_threshold = models.PositiveSmallIntegerField(
        _("achievement threshold (%)"), default=70,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    expiry_months = models.PositiveSmallIntegerField(
        _("valid for (months)"), null=True, blank=True,
        help_text=_("Leave blank for certificates that never expire."),
    )
    reminder_days_before = models.PositiveSmallIntegerField(
        _("reminder (days before expiry)"), default=30
    )
    design = models.ForeignKey(
        CertificateDesign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [
        FieldPanel("course"),
        MultiFieldPanel([
            FieldPanel("offers_participation"),
            FieldPanel("offers_achievement"),
            FieldPanel("achievement_threshold"),
        ], heading=_("Tiers")),
        FieldRowPanel([FieldPanel("expiry_months"), FieldPanel("reminder_days_before")]),
        FieldPanel("design"),
    ]

    class Meta:
        verbose_name = _("certificate policy")
        verbose_name_plural = _("certificate policies")

    def __str__(self) -> str:
        return str(_("Certificates for %(course)s") % {"course": self.course})


class Certificate(models.Model):
    """One certificate as issued. Never edited after issue except to revoke it, supersede it
    by a reissue, or attach its rendered PDF and signed credential."""

    class Tier(models.TextChoices):
        PARTICIPATION = "participation", _("Confirmation of participation")
        ACHIEVEMENT = "achievement", _("Record of achievement")

    public_id = models.CharField(max_length=32, unique=True, default=new_public_id,
                                 editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="certificates")
    learner_name = models.CharField(_("learner name"), max_length=200)
    course = models.ForeignKey("courses.CoursePage", null=True, on_delete=models.SET_NULL,
                               related_name="certificates")
    course_title = models.CharField(_("course"), max_length=255)
    tier = models.CharField(_("tier"), max_length=16, choices=Tier.choices)
    score = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    cpd_credit_hours = models.DecimalField(_("CPD credit hours"), max_digits=5,
                                           decimal_places=1, default=0)
    completed_at = models.DateTimeField(_("completed"))
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revocation_reason = models.TextField(blank=True)
    # Set together when a reissue replaces this certificate; only superseded_at is in the
    # "one current certificate" constraint, so the replacement can be inserted after it.
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    issuer_name = models.CharField(_("issuer"), max_length=200)
    accrediting_body = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=10, default="en")
    pdf = models.FileField(upload_to="certificates/pdf/", null=True, blank=True)
    credential = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(superseded_at__isnull=True),
                name="one_current_certificate_per_learner_and_course",
            ),
        ]
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.course_title} · {self.learner_name} ({self.public_id})"


class CertificateAction(models.Model):
    """The append-only audit trail: who did what to a certificate, when and why."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")
        REISSUED = "reissued", _("Reissued")
        REMINDER_SENT = "reminder_sent", _("Expiry reminder sent")

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE,
                                    related_name="actions")
    action = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate"], condition=Q(action="reminder_sent"),
                name="one_expiry_reminder_per_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%Y-%m-%d}"
