"""Certificates' front door: issue, render, sign, revoke, reissue, verify, remind.

Tasks, views, the admin and management commands call these functions; nothing else
writes certificate models. The PDF renderer (``certificates.pdf``) and the signed
credential (``certificates.credentials``) are called from here only.
"""

from __future__ import annotations

import base64
import logging
import mimetypes
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from certificates.content import (
    CertificateContent,
    Signatory,
    TranscriptContent,
    TranscriptRow,
    wording_language,
)
from certificates.models import (
    DEFAULT_ISSUER_NAME,
    Certificate,
    CertificateAction,
    CertificateDesign,
    CertificatePolicy,
)
from courses import api as courses_api
from lms.core.api import AuditAction, get_profile, note_learning_state_changed, record_audit

__all__ = [
    "Certificate",
    "CertificateError",
    "VerificationView",
    "certificate_content",
    "certificates_of",
    "current_certificate",
    "get_certificate",
    "issue_certificate",
    "reissue",
    "render_certificate",
    "revoke",
    "send_expiry_reminders",
    "sign_certificate",
    "transcript",
    "transcript_pdf",
    "transcript_rows",
    "verification",
    "verification_url",
]

logger = logging.getLogger(__name__)
Kind = CertificateAction.Kind
# The attestation sentence when the design leaves it blank, in the certificate's language
# (the course's, fixed when it is issued), so an Arabic certificate reads Arabic throughout.
DEFAULT_WORDING = {
    "en": {Certificate.Tier.PARTICIPATION: "has participated in and completed",
           Certificate.Tier.ACHIEVEMENT: "has successfully completed, with the score shown,"},
    "fr": {Certificate.Tier.PARTICIPATION: "a participé à la formation et l’a terminée",  # noqa: RUF001
           Certificate.Tier.ACHIEVEMENT: "a terminé avec succès, avec le score indiqué,"},
    "es": {Certificate.Tier.PARTICIPATION: "ha participado en el curso y lo ha completado",
           Certificate.Tier.ACHIEVEMENT: "ha completado con éxito, con la puntuación indicada,"},
    "pt": {Certificate.Tier.PARTICIPATION: "participou no curso e concluiu-o",
           Certificate.Tier.ACHIEVEMENT: "concluiu com êxito, com a pontuação indicada,"},
    "ar": {Certificate.Tier.PARTICIPATION: "للمشاركة في الدورة وإتمامها",
           Certificate.Tier.ACHIEVEMENT: "لإتمام الدورة بنجاح، بالدرجة المبيّنة"},
}


class CertificateError(Exception):
    """A certificate action that cannot be done (already superseded, no reason given)."""


# --- Issue -----------------------------------------------------------------------------------


def _policy(course) -> CertificatePolicy:
    policy = CertificatePolicy.objects.filter(course=course).select_related("design").first()
    return policy or CertificatePolicy(course=course)  # unsaved: the defaults


def _tier(*, policy: CertificatePolicy, score: Decimal | None) -> str | None:
    if (policy.offers_achievement and score is not None
            and Decimal(score) >= policy.achievement_threshold):
        return Certificate.Tier.ACHIEVEMENT
    if policy.offers_participation:
        return Certificate.Tier.PARTICIPATION
    return None


def _learner_name(user) -> str:
    profile = get_profile(user=user)
    return profile.full_name if profile else user.get_full_name() or user.get_username()


def current_certificate(*, user, course) -> Certificate | None:
    """Her current certificate for ``course`` (any translation of it: certificates are
    for the canonical course)."""
    course = courses_api.canonical_page(course)
    return Certificate.objects.filter(user=user, course=course, superseded_at=None).first()


def issue_certificate(*, user, course) -> Certificate | None:
    """The learner's certificate for a course she has completed: the one already issued,
    or a new one in the tier her course's policy and score earn; None if the course is not
    complete or awards none. Safe to call any number of times, also concurrently. A
    translation of a course stands for its canonical course."""
    course = courses_api.canonical_page(course)
    if (existing := current_certificate(user=user, course=course)) is not None:
        return existing
    try:
        with transaction.atomic():
            certificate = _issue(user=user, course=course)
    except IntegrityError:  # a concurrent call issued it first
        return current_certificate(user=user, course=course)
    if certificate is not None:
        _prepare_on_commit(certificate)
    return certificate


def _issue(*, user, course) -> Certificate | None:
    enrollment = (courses_api.Enrollment.objects.select_for_update()
                  .filter(user=user, course=course, completed_at__isnull=False).first())
    if enrollment is None:
        return None
    if (existing := current_certificate(user=user, course=course)) is not None:
        return existing
    policy = _policy(course)
    score = courses_api.course_score(user=user, course=course)
    tier = _tier(policy=policy, score=score)
    if tier is None:
        return None
    design = policy.design or CertificateDesign.objects.order_by("pk").first()
    now = timezone.now()
    certificate = Certificate.objects.create(
        user=user, learner_name=_learner_name(user), course=course,
        course_title=course.title, tier=tier,
        score=Decimal(score).quantize(Decimal("0.01"))
        if tier == Certificate.Tier.ACHIEVEMENT else None,
        cpd_credit_hours=course.cpd_credit_hours, completed_at=enrollment.completed_at,
        issued_at=now,
        expires_at=enrollment.completed_at + relativedelta(months=policy.expiry_months)
        if policy.expiry_months else None,
        issuer_name=design.issuer_name if design else DEFAULT_ISSUER_NAME,
        accrediting_body=design.accrediting_body if design else "",
        language=wording_language(course.language),
    )
    CertificateAction.objects.create(certificate=certificate, action=Kind.ISSUED, at=now)
    note_learning_state_changed(user=user)
    return certificate


def _prepare_on_commit(certificate: Certificate) -> None:
    from certificates import tasks

    transaction.on_commit(lambda: tasks.prepare_certificate_task.enqueue(certificate.pk))


# --- Render and sign -------------------------------------------------------------------------


def verification_url(*, certificate: Certificate) -> str:
    path = reverse("certificates:verify", args=[certificate.public_id])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def _design_for(certificate: Certificate) -> CertificateDesign | None:
    policy = CertificatePolicy.objects.filter(course_id=certificate.course_id).first()
    if policy and policy.design_id:
        return policy.design
    return CertificateDesign.objects.order_by("pk").first()


def _image_path(image) -> str | None:
    """The image as a ``data:`` URI, read through its storage (local disk or S3 alike: a
    worker never needs the file on its own disk), or None without one or when unreadable."""
    if not image:
        return None
    kind = mimetypes.guess_type(image.file.name)[0] or "application/octet-stream"
    try:
        with image.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        logger.warning("Certificate image %s could not be read", image.file.name)
        return None
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def certificate_content(*, certificate: Certificate) -> CertificateContent:
    """What the certificate's PDF shows (no ORM in the renderer)."""
    design = _design_for(certificate)
    signatories = tuple(
        Signatory(name=person.name, title=person.title,
                  signature_path=_image_path(person.signature))
        for person in (design.signatories.all() if design else ())
    )
    language = wording_language(certificate.language)
    return CertificateContent(
        public_id=certificate.public_id, learner_name=certificate.learner_name,
        course_title=certificate.course_title, tier=certificate.tier,
        score=certificate.score if certificate.tier == Certificate.Tier.ACHIEVEMENT else None,
        completed_on=timezone.localdate(certificate.completed_at),
        cpd_credit_hours=certificate.cpd_credit_hours, issuer_name=certificate.issuer_name,
        accrediting_body=certificate.accrediting_body,
        wording=design.wording if design and design.wording
        else DEFAULT_WORDING[language][certificate.tier],
        signatories=signatories, logo_path=_image_path(design.logo if design else None),
        verification_url=verification_url(certificate=certificate), language=language,
        expires_on=timezone.localdate(certificate.expires_at) if certificate.expires_at else None,
    )


def render_certificate(*, certificate: Certificate) -> bool:
    """Render and store the certificate's PDF (once); False while no renderer is installed.

    The file is saved under the row's lock and only while the row names none, at the
    certificate's own name (``certificates/pdf/<public id>.pdf``): a file left there by a
    worker that died before recording it is replaced, and a concurrent render records
    nothing a second time, so there is always exactly one PDF."""
    if certificate.pdf:
        return True
    try:
        from certificates import pdf
    except ImportError:
        logger.warning("certificates.pdf is not available: PDF of %s not rendered",
                       certificate.public_id)
        return False
    data = pdf.render_certificate_pdf(certificate_content(certificate=certificate))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if not locked.pdf:
            field = Certificate._meta.get_field("pdf")
            name = field.generate_filename(locked, f"{locked.public_id}.pdf")
            if field.storage.exists(name):  # an earlier run died before recording it
                field.storage.delete(name)
            locked.pdf.save(f"{locked.public_id}.pdf", ContentFile(data), save=False)
            Certificate.objects.filter(pk=locked.pk).update(pdf=locked.pdf.name)
    certificate.pdf = locked.pdf.name
    return True


def sign_certificate(*, certificate: Certificate) -> bool:
    """Attach the signed Open Badges credential (once); False while signing is unavailable."""
    if certificate.credential:
        return True
    try:
        from certificates import credentials
    except ImportError:
        logger.warning("certificates.credentials is not available: %s not signed",
                       certificate.public_id)
        return False
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    course = certificate.course
    credential = credentials.sign_credential(credentials.build_credential(
        public_id=certificate.public_id, learner_name=certificate.learner_name,
        course_title=certificate.course_title,
        course_description=getattr(course, "summary", "") or "",
        tier=certificate.tier, score=certificate.score,
        cpd_credit_hours=certificate.cpd_credit_hours, completed_at=certificate.completed_at,
        issued_at=certificate.issued_at, expires_at=certificate.expires_at,
        issuer_name=certificate.issuer_name,
        issuer_url=base + reverse("credentials:issuer"),
        verification_url=verification_url(certificate=certificate),
        achievement_url=base + (course.url if course and course.url else "/"),
    ))
    certificate.credential = credential
    Certificate.objects.filter(pk=certificate.pk).update(credential=credential)
    return True


# --- Revoke and reissue ----------------------------------------------------------------------


def _require_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise CertificateError(_("Give a reason."))
    return reason.strip()


def revoke(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Revoke a certificate: its verification page says so, with the date, from now on."""
    reason = _require_reason(reason)
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at is not None:
            raise CertificateError(_("This certificate is already revoked."))
        now = timezone.now()
        certificate.revoked_at, certificate.revocation_reason = now, reason
        certificate.save(update_fields=["revoked_at", "revocation_reason"])
        CertificateAction.objects.create(certificate=certificate, action=Kind.REVOKED,
                                         actor=actor, at=now, reason=reason)
        record_audit(actor=actor, action=AuditAction.CERTIFICATE_REVOKED, target=certificate,
                     subject=certificate.user, summary=reason,
                     details={"public_id": certificate.public_id, "reason": reason})
        if certificate.user_id:
            note_learning_state_changed(user=certificate.user)
    return certificate


def reissue(*, certificate: Certificate, actor, reason: str) -> Certificate:
    """Replace a certificate by a new one (new public id, the learner's name and the course
    title as they are now); the old one's page then says it was replaced."""
    reason = _require_reason(reason)
    with transaction.atomic():
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.superseded_at is not None:
            raise CertificateError(_("This certificate has already been replaced."))
        now = timezone.now()
        old.superseded_at = now
        old.save(update_fields=["superseded_at"])
        course = old.course
        new = Certificate.objects.create(
            user=old.user, learner_name=_learner_name(old.user) if old.user else old.learner_name,
            course=course, course_title=course.title if course else old.course_title,
            tier=old.tier, score=old.score, cpd_credit_hours=old.cpd_credit_hours,
            completed_at=old.completed_at, issued_at=now, expires_at=old.expires_at,
            issuer_name=old.issuer_name, accrediting_body=old.accrediting_body,
            language=old.language,
        )
        old.superseded_by = new
        old.save(update_fields=["superseded_by"])
        CertificateAction.objects.create(certificate=old, action=Kind.REISSUED, actor=actor,
                                         at=now, reason=reason)
        CertificateAction.objects.create(certificate=new, action=Kind.ISSUED, actor=actor,
                                         at=now, reason=reason)
        record_audit(actor=actor, action=AuditAction.CERTIFICATE_REISSUED, target=old,
                     subject=old.user, summary=reason,
                     details={"public_id": old.public_id, "new_public_id": new.public_id,
                              "reason": reason})
        if new.user_id:
            note_learning_state_changed(user=new.user)
    _prepare_on_commit(new)
    return new


# --- Reads -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerificationView:
    """Everything a public verification shows, and nothing more (never an e-mail)."""

    public_id: str
    status: str  # "valid" | "revoked" | "expired" | "superseded"
    learner_name: str
    course_title: str
    completed_on: date
    cpd_credit_hours: Decimal
    issuer_name: str
    tier: str
    tier_label: str
    score: Decimal | None
    issued_on: date
    expires_on: date | None
    revoked_on: date | None
    replaced_by: str | None  # the public id of the certificate that replaced this one

    def as_json(self) -> dict:
        return {
            "public_id": self.public_id, "status": self.status,
            "learner_name": self.learner_name, "course": self.course_title,
            "completed_on": self.completed_on.isoformat(),
            "cpd_credit_hours": str(self.cpd_credit_hours), "issuer": self.issuer_name,
            "tier": self.tier, "score": None if self.score is None else str(self.score),
            "issued_on": self.issued_on.isoformat(),
            "expires_on": self.expires_on.isoformat() if self.expires_on else None,
            "revoked_on": self.revoked_on.isoformat() if self.revoked_on else None,
            "replaced_by": self.replaced_by,
        }


def _status(certificate: Certificate, now: datetime) -> str:
    if certificate.superseded_at is not None:
        return "superseded"
    if certificate.revoked_at is not None:
        return "revoked"
    if certificate.expires_at is not None and certificate.expires_at <= now:
        return "expired"
    return "valid"


def verification(*, public_id: str) -> VerificationView | None:
    """The public facts about a certificate, or None for an unknown id."""
    certificate = (Certificate.objects.select_related("superseded_by")
                   .filter(public_id=public_id).first())
    if certificate is None:
        return None
    local = timezone.localdate
    achievement = certificate.tier == Certificate.Tier.ACHIEVEMENT
    return VerificationView(
        public_id=certificate.public_id, status=_status(certificate, timezone.now()),
        learner_name=certificate.learner_name, course_title=certificate.course_title,
        completed_on=local(certificate.completed_at),
        cpd_credit_hours=certificate.cpd_credit_hours, issuer_name=certificate.issuer_name,
        tier=certificate.tier, tier_label=str(certificate.get_tier_display()),
        score=certificate.score if achievement else None,
        issued_on=local(certificate.issued_at),
        expires_on=local(certificate.expires_at) if certificate.expires_at else None,
        revoked_on=local(certificate.revoked_at) if certificate.revoked_at else None,
        replaced_by=certificate.superseded_by.public_id if certificate.superseded_by else None,
    )


def get_certificate(*, public_id: str, user=None) -> Certificate | None:
    """A certificate by public id; with ``user``, only if it is hers."""
    certificates = Certificate.objects.filter(public_id=public_id)
    if user is not None:
        certificates = certificates.filter(user=user)
    return certificates.first()


def certificates_of(*, user, course=None) -> QuerySet[Certificate]:
    """The learner's current (not replaced) certificates, newest first."""
    certificates = Certificate.objects.filter(user=user, superseded_at=None)
    if course is not None:
        certificates = certificates.filter(course=courses_api.canonical_page(course))
    return certificates.order_by("-issued_at", "-pk")


def transcript_rows(*, user, start: date, end: date) -> list[TranscriptRow]:
    """Her valid-when-issued certificates completed between ``start`` and ``end`` inclusive
    (revoked ones left out), oldest first."""
    certificates = (certificates_of(user=user).filter(revoked_at=None)
                    .filter(completed_at__date__gte=start, completed_at__date__lte=end)
                    .order_by("completed_at", "pk"))
    return [
        TranscriptRow(course_title=c.course_title, completed_on=timezone.localdate(c.completed_at),
                      cpd_credit_hours=c.cpd_credit_hours, public_id=c.public_id,
                      verification_url=verification_url(certificate=c))
        for c in certificates
    ]


def transcript(*, user, start: date, end: date) -> TranscriptContent:
    rows = tuple(transcript_rows(user=user, start=start, end=end))
    return TranscriptContent(learner_name=_learner_name(user), start=start, end=end, rows=rows,
                             total_hours=sum((row.cpd_credit_hours for row in rows), Decimal(0)))


def transcript_pdf(*, user, start: date, end: date) -> bytes | None:
    """Her CPD transcript as a PDF, or None while no renderer is installed."""
    try:
        from certificates import pdf
    except ImportError:
        logger.warning("certificates.pdf is not available: no transcript PDF")
        return None
    profile = get_profile(user=user)
    language = profile.preferred_language if profile else "en"
    return pdf.render_transcript_pdf(transcript(user=user, start=start, end=end),
                                     language=wording_language(language))


# --- Expiry reminders ------------------------------------------------------------------------


def _reminder_due(certificate: Certificate, now: datetime) -> bool:
    policy = CertificatePolicy.objects.filter(course_id=certificate.course_id).first()
    days = policy.reminder_days_before if policy else CertificatePolicy().reminder_days_before
    return certificate.expires_at <= now + timedelta(days=days)


def send_expiry_reminders(*, now: datetime | None = None) -> int:
    """E-mail each learner whose certificate expires within its course's reminder period,
    once per certificate. The reminder is recorded and sent in one transaction: a rerun
    (or a concurrent run) finds it recorded and sends none, and a send that fails, or a
    worker killed while sending, leaves no record, so the next run sends it. Returns how
    many were sent."""
    now = now or timezone.now()
    candidates = (Certificate.objects.filter(
        superseded_at=None, revoked_at=None, user__isnull=False, expires_at__gt=now)
        .exclude(actions__action=Kind.REMINDER_SENT).select_related("user"))
    sent = 0
    for certificate in candidates:
        if _reminder_due(certificate, now):
            sent += _remind_once(certificate, now)
    return sent


def _remind_once(certificate: Certificate, now: datetime) -> int:
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    CertificateAction.objects.create(certificate=certificate,
                                                     action=Kind.REMINDER_SENT, at=now)
            except IntegrityError:  # another run reminded her already
                return 0
            _send_reminder(certificate)  # raising rolls the record back: the next run retries
    except Exception:  # one unreachable address does not hold up the others
        logger.exception("Expiry reminder for certificate %s not sent", certificate.public_id)
        return 0
    return 1


def _send_reminder(certificate: Certificate) -> None:
    """The reminder in the learner's interface language, its date in that language's format."""
    profile = get_profile(user=certificate.user)
    with translation.override(profile.preferred_language if profile else None):
        expires = formats.date_format(timezone.localdate(certificate.expires_at), "DATE_FORMAT")
        send_mail(
            subject=_("Your certificate for “%(course)s” expires on %(date)s")
            % {"course": certificate.course_title, "date": expires},
            message=_("Dear %(name)s,\n\nYour certificate for “%(course)s” expires on %(date)s. "
                      "To keep it valid, take the course again before then.\n\n"
                      "Your certificates: %(link)s\n")
            % {"name": certificate.learner_name, "course": certificate.course_title,
               "date": expires,
               "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("certificates:list")},
            from_email=None, recipient_list=[certificate.user.email],
        )
