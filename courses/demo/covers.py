"""Cover images for the demo courses, drawn with Pillow so the repository ships no binaries.

Each cover is a flat, light pattern (a double helix over soft circles) in its
domain's colour. Flat colours and a small palette keep each PNG to a few KB.
Covers are Wagtail images matched by title, so a second run reuses them.
"""

import hashlib
import io
import math

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw
from wagtail.images import get_image_model

WIDTH, HEIGHT = 1200, 675
TITLE_PREFIX = "Allele demo cover: "

DOMAIN_COLOURS = {
    "communications": (0x1F, 0x7A, 0x8C),
    "education": (0xB5, 0x6A, 0x00),
    "evidence": (0x3D, 0x4E, 0xB8),
    "it-bioinformatics": (0x2F, 0x5D, 0x7C),
    "pharmacogenomics": (0x0B, 0x6E, 0x4F),
    "policy": (0x7B, 0x3F, 0x8C),
}


def _tint(colour: tuple[int, int, int], amount: float) -> tuple[int, int, int]:
    """Mix ``colour`` with white; ``amount`` 0 is the colour, 1 is white."""
    return tuple(round(c + (255 - c) * amount) for c in colour)


def _numbers(seed: str, count: int) -> list[float]:
    """Deterministic numbers in [0, 1) derived from ``seed`` (no random module needed)."""
    digest = b""
    counter = 0
    while len(digest) < count * 2:
        digest += hashlib.sha256(f"{seed}:{counter}".encode()).digest()
        counter += 1
    return [int.from_bytes(digest[i * 2 : i * 2 + 2], "big") / 65536 for i in range(count)]


def draw_cover(*, seed: str, colour: tuple[int, int, int]) -> bytes:
    """A 1200x675 PNG for ``seed`` (the course slug) in ``colour``."""
    numbers = _numbers(seed, 40)
    image = Image.new("RGB", (WIDTH, HEIGHT), _tint(colour, 0.92))
    draw = ImageDraw.Draw(image)
    for index in range(6):
        x, y, r = numbers[index * 3 : index * 3 + 3]
        radius = 80 + r * 220
        centre = (x * WIDTH, y * HEIGHT)
        draw.ellipse(
            [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius],
            fill=_tint(colour, 0.84 - 0.05 * (index % 3)),
        )
    phase = numbers[20] * math.tau
    wavelength = 360 + numbers[21] * 200
    mid, amplitude = HEIGHT * (0.4 + numbers[22] * 0.2), 110 + numbers[23] * 50
    strand_a, strand_b = [], []
    for x in range(-20, WIDTH + 21, 10):
        angle = x / wavelength * math.tau + phase
        strand_a.append((x, mid + amplitude * math.sin(angle)))
        strand_b.append((x, mid + amplitude * math.sin(angle + math.pi)))
    for x in range(0, WIDTH, 40):
        angle = x / wavelength * math.tau + phase
        draw.line(
            [(x, mid + amplitude * math.sin(angle)), (x, mid - amplitude * math.sin(angle))],
            fill=_tint(colour, 0.55), width=6,
        )
    draw.line(strand_a, fill=_tint(colour, 0.15), width=14, joint="curve")
    draw.line(strand_b, fill=_tint(colour, 0.35), width=14, joint="curve")
    buffer = io.BytesIO()
    image.quantize(colors=12).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def ensure_cover(*, slug: str, domain: str, title: str):
    """The Wagtail image for a course's cover, created on first use. Returns (image, created)."""
    image_model = get_image_model()
    full_title = f"{TITLE_PREFIX}{title}"
    existing = image_model.objects.filter(title=full_title).order_by("pk").first()
    if existing is not None:
        return existing, False
    data = draw_cover(seed=slug, colour=DOMAIN_COLOURS[domain])
    image = image_model(title=full_title)
    image.file = ImageFile(io.BytesIO(data), name=f"demo-cover-{slug}.png")
    image.save()
    return image, True
