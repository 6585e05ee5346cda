"""The system check that keeps package files out of the public media directory."""

from packages.checks import package_dir_is_private


def test_package_files_beside_media_pass(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLELE_PACKAGE_DIR = None
    assert package_dir_is_private() == []


def test_package_files_inside_media_are_flagged(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ALLELE_PACKAGE_DIR = str(tmp_path / "media" / "packages")
    (warning,) = package_dir_is_private()
    assert warning.id == "packages.W001"
