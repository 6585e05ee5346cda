"""Pages the browser benches open, and the learner who opens them signed in.

Shared by page_weight.py and first_paint.py; not a benchmark itself (make bench skips
files starting with an underscore).
"""

import argparse
import json
import shutil
import tempfile
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from _server import free_port, manage, prepare, production_env, start_gunicorn, stop

FIND_PAGES = (
    "from courses.pages import CoursePage, ModulePage\n"
    "for kind, model in (('course', CoursePage), ('module', ModulePage)):\n"
    "    for page in model.objects.live().public().order_by('path'):\n"
    "        print(kind, page.pk, page.get_url())\n"
)

# Run inside `manage.py shell` with the module's and the course's ids in the environment:
# a learner enrolled in both courses, every module before the measured one complete (so
# it is open to her) and the measured module already visited once (so the bench sees a
# returning learner, not the first visit that records her progress). Prints her session.
MAKE_LEARNER = """
import json, os
from django.contrib.auth import get_user_model
from django.test import Client
from courses import api
from courses.pages import CoursePage, ModulePage
from lms.core import api as core_api

module = ModulePage.objects.get(pk=int(os.environ["BENCH_MODULE_ID"]))
outline = api.module_outline(module=module)
courses = {outline.course, CoursePage.objects.get(pk=int(os.environ["BENCH_COURSE_ID"]))}
learner, _ = get_user_model().objects.get_or_create(
    username="weight-learner", defaults={"email": "weight@example.org"})
core_api.save_profile(user=learner, full_name="Bench Learner", profession="nurse",
                      country="KE")
for course in sorted(courses, key=lambda course: course.pk):
    if not api.course_progress(user=learner, course=course).is_enrolled:
        try:
            api.enroll(user=learner, course=course)
        except api.LearningError:
            api.enroll(user=learner, course=course, source=api.Enrollment.Source.ADMIN)
for earlier in outline.modules:
    if earlier.pk == module.pk:
        break
    api.complete_module(user=learner, module=earlier, source=earlier.completion_rule)
progress = api.course_progress(user=learner, course=outline.course, modules=outline.modules)
api.record_module_view(user=learner, module=module, progress=progress)
client = Client()
client.force_login(learner)
print(json.dumps({"sessionid": client.cookies["sessionid"].value}))
"""


@dataclass(frozen=True)
class Target:
    """A page to measure: its name in the tables, path, and why it was chosen."""

    name: str
    path: str
    note: str


@dataclass(frozen=True)
class Site:
    """The pages the browser benches open, and the signed-in learner's session cookie."""

    catalog: Target
    course: Target
    module: Target
    session: str


def pick_pages(env: dict[str, str], base: str) -> Site:
    """The catalog, the course and the module whose compressed HTML is largest (the
    budget's worst case), and a learner enrolled in that course and that module's."""
    found: dict[str, dict[str, int]] = {"course": {}, "module": {}}
    for line in manage(env, "shell", "--no-imports", "-c", FIND_PAGES).splitlines():
        kind, pk, url = [*line.split(" ", 2), "", ""][:3]
        if kind in found and url.startswith("/"):
            found[kind][url] = int(pk)
    if not found["course"] or not found["module"]:
        raise SystemExit("the demo catalog has no live course or module pages")
    picked = {}
    for kind, pages in found.items():
        sizes = {url: compressed_size(base + url) for url in pages}
        url = max(sizes, key=sizes.get)
        picked[kind] = (url, pages[url], f"heaviest HTML of {len(pages)} demo {kind}s")
    learner_env = {**env, "BENCH_MODULE_ID": str(picked["module"][1]),
                   "BENCH_COURSE_ID": str(picked["course"][1])}
    output = manage(learner_env, "shell", "--no-imports", "-c", MAKE_LEARNER)
    session = json.loads(output.strip().splitlines()[-1])["sessionid"]
    return Site(
        catalog=Target("catalog", "/", "catalog home"),
        course=Target("course", picked["course"][0], picked["course"][2]),
        module=Target("module", picked["module"][0], picked["module"][2]),
        session=session,
    )


def compressed_size(url: str) -> int:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, br"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return len(reply.read())


def sign_in(context, base: str, session: str) -> None:
    """Give a Playwright browser context the learner's session cookie."""
    context.add_cookies([{"name": "sessionid", "value": session, "url": base,
                          "httpOnly": True, "sameSite": "Lax"}])


def add_scratch_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument("--reuse", type=Path, metavar="DIR",
                        help="a scratch directory kept by --keep: skip migrate, demo, static")


@contextmanager
def demo_site(args: argparse.Namespace) -> Iterator[tuple[str, Site]]:
    """A production-like demo site in a scratch directory, served by gunicorn: yields its
    base URL and the pages to measure; stops the server and removes the directory after
    (unless --keep or --reuse)."""
    scratch = args.reuse or Path(tempfile.mkdtemp(prefix="allele-bench-"))
    env = production_env(scratch)
    server = None
    try:
        if not args.reuse:
            prepare(env)
        port = free_port()
        server = start_gunicorn(env, port, scratch / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        yield base, pick_pages(env, base)
    finally:
        if server is not None:
            stop(server)
        if args.keep or args.reuse:
            print(f"(scratch directory kept: {scratch})")
        else:
            shutil.rmtree(scratch, ignore_errors=True)
