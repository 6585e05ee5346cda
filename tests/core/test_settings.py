"""Production defaults: with real values set, `check --deploy` reports nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SECRET_KEY": "k3v#q9-production-like-secret-0b1f6e4a7c2d8f5e9a3b6c1d4e7f0a2b5c8d",
    "ALLOWED_HOSTS": "learn.allele.example",
    "DATABASE_URL": "sqlite:///:memory:",
    "ALLELE_CREDENTIAL_KEYS": '{"prod-1": "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE"}',
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Only what a process needs to run: nothing from this test session leaks in.
    clean = {key: os.environ[key] for key in ("PATH", "HOME", "LANG") if key in os.environ}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**clean, **env},
        capture_output=True, text=True, timeout=120, check=False,
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_a_secret_key_production_refuses_to_start():
    env = {key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_each_https_setting_can_be_switched_off_for_a_plain_http_run():
    variables = ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"]
    code = "from django.conf import settings as s; print(" + ", ".join(
        f"s.{name}" for name in variables) + ")"
    result = _manage("shell", "-c", code, env={**PRODUCTION, **dict.fromkeys(variables, "false")})
    assert result.stdout.strip().splitlines()[-1] == "False False False", result.stderr


def test_https_redirect_hsts_and_secure_cookies_are_on_by_default():
    code = ("from django.conf import settings as s; "
            "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_HSTS_SECONDS > 0, s.DEBUG)")
    result = _manage("shell", "-c", code, env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "True True True True False", result.stderr


def test_check_deploy_is_clean_with_hsts_preload_opted_in():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     env={**PRODUCTION, "SECURE_HSTS_PRELOAD": "true"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_headers_and_cookies_by_default():
    code = ("from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
            "s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECURE_REFERRER_POLICY, s.X_FRAME_OPTIONS, "
            "s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SAMESITE, "
            "s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_AGE)")
    result = _manage("shell", "-c", code, env=PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == (
        "31536000 True False True same-origin DENY True Lax Lax True 1209600"
    ), result.stderr


def test_the_session_age_is_configurable():
    code = "from django.conf import settings as s; print(s.SESSION_COOKIE_AGE)"
    result = _manage("shell", "-c", code, env={**PRODUCTION, "SESSION_COOKIE_AGE": "3600"})
    assert result.stdout.strip().splitlines()[-1] == "3600", result.stderr
