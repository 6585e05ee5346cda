"""Generate a realistic large cohort for benchmarks and demos.

    manage.py generate_cohort [--learners 10000] [--courses 10] [--modules 10]
                              [--seed 7] [--name "Benchmark cohort"] [--replace]
                              [--manager someone@example.org]

Creates (or reuses, by slug) ``--courses`` published courses of ``--modules`` modules,
each with a pre-test and a final assessment; ``--learners`` learners whose names come
from several scripts, with professions and countries; one cohort holding them all,
assigned every course. Then, per learner and course, a realistic path over the last six
months: about 8 % never start, about 37 % are part-way (some modules completed, more
opened), about 55 % complete (every module, the final passed, most with a certificate),
completions spread over months. The same ``--seed`` (and day) gives the same figures.

Rows are bulk-inserted (COPY-sized batches), not written through the apps' use cases:
that would take hours for a million progress rows and send thousands of e-mails. So no
learning events or e-mails are made, and generated learners cannot sign in (unusable
passwords) until they reset their password. ``--replace`` deletes a cohort of the same
name and its generated learners first; without it an existing cohort is an error.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.signal_handlers import disable_reference_index_auto_update

from assessments import api as assessments_api
from certificates import api as certificates_api
from cohorts.models import Cohort, CohortMembership
from courses import api as courses_api
from lms.core.models import LearnerProfile, Profession

BATCH = 5000
DAY = timedelta(days=1)
GIVEN = {
    "latin": ["Amina", "Grace", "Joseph", "Wanjiru", "Kwame", "Fatima", "Lucía", "João",
              "Olga", "Thabo", "Chinedu", "Nomvula", "Mateo", "Achieng", "Ibrahim"],
    "arabic": ["أمينة", "محمد", "فاطمة", "يوسف", "ليلى", "عمر"],
    "devanagari": ["अनन्या", "राहुल", "प्रिया", "अमित", "सुनीता"],
    "han": ["王芳", "李娜", "张伟", "刘洋", "陈静"],
    "cyrillic": ["Ольга", "Иван", "Наталья", "Дмитрий"],
    "ethiopic": ["አበበ", "ትዕግሥት", "ሰላም"],
}
FAMILY = {
    "latin": ["Otieno", "Mensah", "Okafor", "Dlamini", "García", "Silva", "Kamau",
              "Mwangi", "Nkosi", "Haddad", "O'Neil", "Van der Berg"],
    "arabic": ["الحسن", "المصري", "خليل", "حداد"],
    "devanagari": ["शर्मा", "वर्मा", "पटेल", "सिंह"],
    "han": [""],
    "cyrillic": ["Петрова", "Смирнов", "Иванова"],
    "ethiopic": ["ተስፋዬ", "በቀለ", "ገብሬ"],
}
SCRIPTS = ["latin"] * 10 + ["arabic"] * 3 + ["devanagari"] * 2 + ["han", "cyrillic", "ethiopic"]
COUNTRIES = ["KE"] * 6 + ["UG"] * 3 + ["TZ"] * 3 + ["RW", "ET", "NG", "GH", "ZA", "EG", "IN"]
PROFESSIONS = ([Profession.NURSE] * 5 + [Profession.PHARMACIST] * 3 + [Profession.PHYSICIAN] * 3
               + [Profession.MIDWIFE, Profession.GENETIC_COUNSELLOR,
                  Profession.LABORATORY_SCIENTIST, Profession.STUDENT])


@dataclass
class Plan:
    learners: int
    courses: int
    modules: int
    seed: int
    name: str


class Command(BaseCommand):
    help = "Generate a large, realistic cohort (learners, progress, quizzes, certificates)."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=10_000)
        parser.add_argument("--courses", type=int, default=10)
        parser.add_argument("--modules", type=int, default=10)
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument("--name", default="Benchmark cohort")
        parser.add_argument("--manager", default="", help="e-mail of a user who manages it")
        parser.add_argument("--replace", action="store_true")

    def handle(self, *args, **options):
        plan = Plan(learners=options["learners"], courses=options["courses"],
                    modules=options["modules"], seed=options["seed"], name=options["name"])
        if min(plan.learners, plan.courses, plan.modules) < 1:
            raise CommandError("--learners, --courses and --modules must be at least 1.")
        manager = self._manager(options["manager"])
        started = time.monotonic()
        if Cohort.objects.filter(name=plan.name).exists():
            if not options["replace"]:
                raise CommandError(f"A cohort named {plan.name!r} exists; pass --replace.")
            self._delete(plan.name)
        courses = self._courses(plan)
        self.stdout.write(f"Courses ready ({time.monotonic() - started:.0f}s)")
        with transaction.atomic():
            counts = Generator(plan=plan, courses=courses, stdout=self.stdout).run(manager)
        self.stdout.write(self.style.SUCCESS(
            f"Cohort {plan.name!r}: " + ", ".join(f"{n:,} {what}" for what, n in counts.items())
            + f" in {time.monotonic() - started:.0f}s"))

    def _manager(self, email: str):
        if not email:
            return None
        manager = get_user_model().objects.filter(email__iexact=email).first()
        if manager is None:
            raise CommandError(f"No user with the e-mail {email!r}.")
        return manager

    def _delete(self, name: str) -> None:
        for cohort in Cohort.objects.filter(name=name):
            domain = _email_domain(cohort.name)
            with transaction.atomic():
                get_user_model().objects.filter(email__endswith=f"@{domain}").delete()
                cohort.delete()

    def _courses(self, plan: Plan) -> list[tuple]:
        """(course, [module ids], pre-test, final) for each generated course."""
        parent = courses_api.DomainPage.objects.live().order_by("path").first()
        if parent is None:
            raise CommandError("No domain page to put the courses in: run load_demo first.")
        made = []
        with disable_reference_index_auto_update():
            for number in range(1, plan.courses + 1):
                course = _course(parent, number, plan.modules)
                modules = list(courses_api.ModulePage.objects.child_of(course).live()
                               .order_by("path").values_list("pk", flat=True))
                made.append((course, modules, *_quizzes(course)))
        return made


def _email_domain(name: str) -> str:
    return f"{slugify(name) or 'cohort'}.generated.example"


def _course(parent, number: int, modules: int):
    slug = f"generated-course-{number}"
    course = courses_api.CoursePage.objects.filter(slug=slug).first()
    if course is None:
        course = courses_api.CoursePage(
            title=f"Genomic medicine essentials {number}", slug=slug,
            summary="Generated for benchmarks and demos.")
        parent.add_child(instance=course)
        course.save_revision().publish()
    have = courses_api.ModulePage.objects.child_of(course).count()
    for index in range(have + 1, modules + 1):
        module = courses_api.ModulePage(
            title=f"Module {index}", slug=f"module-{index}",
            body=[("rich_text", f"<p>Module {index}.</p>")])
        course.add_child(instance=module)
        module.save_revision().publish()
    return course


def _quizzes(course):
    Quiz = assessments_api.Quiz
    pre, _ = Quiz.objects.get_or_create(course=course, is_pretest=True,
                                        defaults={"title": f"{course.title}: pre-test"})
    final, _ = Quiz.objects.get_or_create(
        course=course, is_final_assessment=True, is_pretest=False,
        defaults={"title": f"{course.title}: final assessment", "pass_mark": 70})
    return pre, final


class Generator:
    """Builds and bulk-inserts the rows of one cohort, deterministically from the seed."""

    def __init__(self, *, plan: Plan, courses: list, stdout):
        self.plan, self.courses, self.stdout = plan, courses, stdout
        self.rng = random.Random(plan.seed)  # noqa: S311 -- test data, not secrets
        self.now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
        self.start = self.now - timedelta(days=180)
        self.queues: dict[type, list] = {}
        self.counts: dict[str, int] = {}

    def run(self, manager) -> dict[str, int]:
        cohort = Cohort.objects.create(name=self.plan.name, organisation="Generated",
                                       country="KE", starts_on=self.start.date())
        cohort.courses.set([course for course, *_ in self.courses])
        if manager is not None:
            cohort.managers.add(manager)
        users = self._learners()
        CohortMembership.objects.bulk_create(
            [CohortMembership(cohort=cohort, user_id=pk, source="csv") for pk, _ in users],
            batch_size=BATCH)
        began = time.monotonic()
        for number, (user_id, name) in enumerate(users, start=1):
            for course, modules, pre, final in self.courses:
                self._queue(self._path(user_id, name, course, modules, pre, final, cohort))
            if number % 1000 == 0:
                self.stdout.write(f"  {number:,} learners ({time.monotonic() - began:.0f}s)")
        for model in list(self.queues):
            self._flush(model)
        return {"learners": len(users), **self.counts}

    def _queue(self, row) -> None:
        queue = self.queues.setdefault(type(row), [])
        queue.append(row)
        if len(queue) >= BATCH:
            self._flush(type(row))

    def _flush(self, model) -> None:
        rows, self.queues[model] = self.queues[model], []
        model.objects.bulk_create(rows)
        label = str(model._meta.verbose_name_plural)
        self.counts[label] = self.counts.get(label, 0) + len(rows)

    def _learners(self) -> list[tuple[int, str]]:
        User = get_user_model()
        domain = _email_domain(self.plan.name)
        password = make_password(None)
        prefix = slugify(self.plan.name)[:60] or "cohort"
        people = [self._person() for _ in range(self.plan.learners)]
        User.objects.bulk_create(
            [User(username=f"{prefix}-{n}", email=f"learner{n}@{domain}", password=password,
                  first_name=name[:150], date_joined=self.start)
             for n, (name, *_rest) in enumerate(people)], batch_size=BATCH)
        ids = dict(User.objects.filter(email__endswith=f"@{domain}")
                   .values_list("username", "pk"))
        users = [(ids[f"{prefix}-{n}"], person[0]) for n, person in enumerate(people)]
        LearnerProfile.objects.bulk_create(
            [LearnerProfile(user_id=pk, full_name=name, profession=profession, country=country,
                            institution=institution)
             for (pk, name), (_, profession, country, institution) in zip(users, people,
                                                                          strict=True)],
            batch_size=BATCH)
        return users

    def _person(self) -> tuple[str, str, str, str]:
        script = self.rng.choice(SCRIPTS)
        given, family = self.rng.choice(GIVEN[script]), self.rng.choice(FAMILY[script])
        name = f"{family}{given}" if script == "han" else f"{given} {family}".strip()
        country = self.rng.choice(COUNTRIES)
        institution = f"{country} District Hospital {self.rng.randint(1, 40)}"
        return name, self.rng.choice(PROFESSIONS), country, institution

    def _path(self, user_id, name, course, modules, pre, final, cohort):
        """One learner's enrollment in one course, queuing her progress, attempts and
        certificate rows; the enrollment carries their summary (courses/summary.py)."""
        rng = self.rng
        enrolled = self.start + timedelta(days=rng.uniform(0, 60), hours=rng.uniform(0, 10))
        roll = rng.random()
        completed = started = None
        scores = courses_api.AssessmentScores()
        if roll < 0.55:
            days = min(rng.lognormvariate(3.2, 0.6), (self.now - enrolled).days - 1)
            completed = enrolled + timedelta(days=max(1.0, days))
            started = self._progress(user_id, course, modules, enrolled, completed,
                                     len(modules), len(modules))
        elif roll < 0.92:
            done = rng.randint(0, len(modules) - 1)
            opened = rng.randint(done + 1, len(modules))
            latest = enrolled + timedelta(days=rng.uniform(1, (self.now - enrolled).days))
            started = self._progress(user_id, course, modules, enrolled, latest, done, opened)
        if roll < 0.92:
            scores = self._attempts(user_id, pre, final, enrolled, completed, name, course)
        return courses_api.Enrollment(
            user_id=user_id, course=course, source="cohort", context={"cohort": cohort.pk},
            enrolled_at=enrolled, completed_at=completed, started_at=started,
            first_pretest_score=scores.first_pretest, first_final_score=scores.first_final,
            best_final_score=scores.best_final)

    def _progress(self, user_id, course, modules, begin, end, done: int, opened: int
                  ) -> datetime | None:
        """Queue her progress in the first ``opened`` modules; return her first view."""
        span = (end - begin) / max(1, opened)
        for index, module_id in enumerate(modules[:opened]):
            viewed = begin + span * index + timedelta(minutes=5)
            finished = begin + span * (index + 1) if index < done else None
            self._queue(courses_api.ModuleProgress(
                user_id=user_id, module_id=module_id, course=course, first_viewed_at=viewed,
                last_viewed_at=finished or viewed, completed_at=finished))
        return begin + timedelta(minutes=5) if opened else None

    def _attempts(self, user_id, pre, final, enrolled, completed, name, course
                  ) -> courses_api.AssessmentScores:
        """Queue her pre-test and final attempts (and certificate); return her summary
        scores: her one pre-test, her first final and her last (best) final."""
        rng = self.rng
        pre_score = max(0.0, min(100.0, rng.gauss(45, 15)))
        first_pre = self._attempt(user_id, pre, 1, pre_score, enrolled + timedelta(hours=1))
        if completed is None and rng.random() < 0.7:
            return courses_api.AssessmentScores(first_pretest=first_pre)
        end = completed or self.now - DAY
        score = max(0.0, min(100.0, rng.gauss(pre_score + 28, 12)))
        number, finals = 1, []
        if completed is not None:
            while score < 70:  # a completed course means the final was passed
                finals.append(self._attempt(user_id, final, number, score,
                                            end - timedelta(days=2)))
                number, score = number + 1, min(100.0, score + rng.uniform(8, 25))
        finals.append(self._attempt(user_id, final, number, score, end - timedelta(hours=1)))
        if completed is not None and rng.random() < 0.8:
            self._queue(certificates_api.Certificate(
                user_id=user_id, learner_name=name, course=course, course_title=course.title,
                tier="participation", completed_at=completed, issued_at=completed,
                issuer_name="Allele"))
        return courses_api.AssessmentScores(first_pretest=first_pre, first_final=finals[0],
                                            best_final=max(finals))

    def _attempt(self, user_id, quiz, number, score, at: datetime) -> Decimal:
        score = Decimal(f"{score:.2f}")
        self._queue(assessments_api.Attempt(
            user_id=user_id, quiz=quiz, number=number, state="submitted",
            started_at=at - timedelta(minutes=15), submitted_at=at, questions=[],
            is_pretest=quiz.is_pretest, pass_mark=quiz.pass_mark, score_percent=score,
            points=score / 10, max_points=Decimal(10), passed=score >= quiz.pass_mark))
        return score
