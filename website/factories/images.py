"""Images made on the spot with Pillow for tests and the demo: gradients with shapes and a
caption, small JPEGs; nothing is downloaded."""

import io
import random

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

PALETTES = [
    ((11, 92, 173), (240, 165, 0)),
    ((29, 107, 55), (196, 230, 160)),
    ((164, 22, 26), (255, 214, 165)),
    ((63, 45, 118), (178, 223, 238)),
    ((0, 109, 119), (255, 221, 210)),
    ((64, 64, 64), (230, 230, 220)),
]


COLOUR_NAMES = [
    ("blue", "amber"),
    ("green", "pale green"),
    ("red", "peach"),
    ("purple", "light blue"),
    ("teal", "pink"),
    ("grey", "cream"),
]


def describe_illustration(seed: int, size: tuple[int, int] = (1200, 800)) -> str:
    """What `illustration` draws for this seed, in words: its alt text (the same random
    draws, so the words match the picture)."""
    rng = random.Random(seed)
    index = rng.randrange(len(PALETTES))
    start, end = COLOUR_NAMES[index]
    height = size[1]
    if rng.random() < 0.5:
        shelf_height = height // rng.randint(5, 8)
        shelves = len(range(shelf_height, height, shelf_height))
        return (
            f"A drawing of {shelves} shelves of coloured books on a background fading from "
            f"{start} to {end}"
        )
    circles = rng.randint(4, 9)
    return f"A drawing of {circles} pale circles on a background fading from {start} to {end}"


def illustration(seed: int, text: str = "", size: tuple[int, int] = (1200, 800)) -> bytes:
    """A JPEG: a diagonal gradient, a few shelves or circles, and a short caption."""
    rng = random.Random(seed)
    start, end = rng.choice(PALETTES)
    width, height = size
    small = Image.new("RGB", (2, 2))
    small.putdata([start, tuple((a + b) // 2 for a, b in zip(start, end, strict=True)), start, end])
    image = small.resize(size, Image.Resampling.BILINEAR)
    draw = ImageDraw.Draw(image, "RGBA")
    if rng.random() < 0.5:
        shelf_height = height // rng.randint(5, 8)
        for y in range(shelf_height, height, shelf_height):
            draw.rectangle((0, y, width, y + 8), fill=(255, 255, 255, 90))
            x = rng.randint(0, 40)
            while x < width - 30:
                book = rng.randint(14, 40)
                tall = rng.randint(shelf_height // 2, max(shelf_height // 2, shelf_height - 12))
                colour = (*rng.choice(PALETTES)[rng.randint(0, 1)], 200)
                draw.rectangle((x, y - tall, x + book, y), fill=colour)
                x += book + rng.randint(2, 10)
    else:
        for _n in range(rng.randint(4, 9)):
            r = rng.randint(height // 12, height // 3)
            cx, cy = rng.randint(0, width), rng.randint(0, height)
            draw.ellipse(
                (cx - r, cy - r, cx + r, cy + r), fill=(255, 255, 255, rng.randint(40, 110))
            )
    if text:
        font = ImageFont.load_default(size=max(24, height // 14))
        box = draw.textbbox((0, 0), text, font=font)
        pad = height // 30
        draw.rectangle(
            (pad, height - (box[3] - box[1]) - 3 * pad, pad * 3 + box[2] - box[0], height - pad),
            fill=(0, 0, 0, 140),
        )
        draw.text(
            (pad * 2, height - (box[3] - box[1]) - 2 * pad - box[1]), text, font=font, fill="white"
        )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=70, optimize=True)
    return buffer.getvalue()


class IllustrationFactory(wagtail_factories.ImageFactory):
    """A Wagtail image with a generated illustration (not a flat colour)."""

    class Params:
        seed = factory.Sequence(lambda n: n)
        caption = ""
        size = (1200, 800)

    title = factory.Sequence(lambda n: f"Illustration {n}")
    description = factory.LazyAttribute(lambda image: image.title)
    file = factory.LazyAttribute(
        lambda image: ContentFile(
            illustration(image.seed, image.caption, image.size),
            name=f"illustration-{image.seed}.jpg",
        )
    )
