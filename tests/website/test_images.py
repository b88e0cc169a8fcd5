"""Every upload path stores images without EXIF or GPS, turned upright first: the admin's
upload form, the multiple upload (and the file it parks when the form needs more), and the
renditions the site serves from them; images stored before are cleaned by a command."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template
from django.urls import reverse
from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from wagtail.images import get_image_model
from wagtail.models import Collection, UploadedFile

from website.factories.website import UserFactory
from website.images import HARMLESS_INFO, strip_metadata

pytestmark = pytest.mark.django_db
RED, BLUE = (220, 30, 30), (30, 30, 220)
MAKER = "PhoneMakerXYZ"


def photo_with_gps(format: str = "JPEG") -> bytes:
    """300 by 200, red on the left and blue on the right, taken with the phone turned: EXIF
    orientation 6 says to turn it a quarter clockwise, and GPS says where it was taken."""
    image = Image.new("RGB", (300, 200), BLUE)
    image.paste(RED, (0, 0, 150, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKER
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 26.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 39.0)
    buffer = io.BytesIO()
    if format == "PNG":
        text = PngInfo()
        text.add_text("Location", "51.5072 N, 0.1276 W")
        image.save(buffer, format="PNG", exif=exif, pnginfo=text)
    else:
        image.save(buffer, format=format, exif=exif, quality=95)
    return buffer.getvalue()


def assert_clean_and_upright(data: bytes, size: tuple[int, int] = (200, 300)) -> None:
    image = Image.open(io.BytesIO(data))
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert not set(image.info) - HARMLESS_INFO
    assert b"Exif" not in data and MAKER.encode() not in data and b"Location" not in data
    assert image.size == size
    # Turned a quarter clockwise: what was on the left is now at the top.
    rgb = image.convert("RGB")
    top, bottom = (
        rgb.getpixel((size[0] // 2, size[1] // 6)),
        rgb.getpixel((size[0] // 2, 5 * size[1] // 6)),
    )
    assert top[0] > 150 and top[2] < 90, top
    assert bottom[2] > 150 and bottom[0] < 90, bottom


def test_the_test_photo_carries_gps_and_a_turn():
    image = Image.open(io.BytesIO(photo_with_gps()))
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert image.getexif()[ExifTags.Base.Orientation] == 6


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def served_rendition(image, spec: str) -> bytes:
    """The rendition as a page's {% image %} tag links it."""
    html = Template("{% load wagtailimages_tags %}{% image img " + spec + " %}").render(
        Context({"img": image})
    )
    src = re.search(r'src="([^"]+)"', html).group(1)
    from django.conf import settings

    with default_storage.open(src.removeprefix(settings.MEDIA_URL)) as stored:
        return stored.read()


def test_an_admin_uploaded_jpeg_is_stored_and_served_without_gps_and_upright(admin_client):
    upload = SimpleUploadedFile("holiday.jpg", photo_with_gps(), content_type="image/jpeg")
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "Holiday", "file": upload, "collection": Collection.get_first_root_node().pk},
    )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Holiday")
    assert (image.width, image.height) == (200, 300)
    with image.open_file() as stored:
        original = stored.read()
    assert_clean_and_upright(original)
    assert image.file_size == len(original)
    assert_clean_and_upright(served_rendition(image, "width-100"), (100, 150))
    assert_clean_and_upright(served_rendition(image, "fill-80x120 format-webp"), (80, 120))


def test_the_multiple_upload_stores_it_clean(admin_client):
    upload = SimpleUploadedFile("street.jpg", photo_with_gps(), content_type="image/jpeg")
    response = admin_client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload})
    assert response.json()["success"]
    image = get_image_model().objects.get(pk=response.json()["image_id"])
    with image.open_file() as stored:
        assert_clean_and_upright(stored.read())
    assert_clean_and_upright(served_rendition(image, "max-150x150"), (100, 150))


def test_a_file_parked_by_the_multiple_upload_is_clean_and_so_is_the_image_made_from_it(
    admin_client,
):
    upload = SimpleUploadedFile("parked.jpg", photo_with_gps(), content_type="image/jpeg")
    # A title too long for the form: the multiple upload keeps the file as an UploadedFile
    # and asks for the rest.
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload, "title": "x" * 300}
    )
    answer = response.json()
    assert answer["success"] and "uploaded_file_id" in answer
    parked = UploadedFile.objects.get(pk=answer["uploaded_file_id"])
    with parked.file.open() as stored:
        assert_clean_and_upright(stored.read())
    made = admin_client.post(
        reverse("wagtailimages:create_multiple_from_uploaded_image", args=[parked.pk]),
        {
            f"uploaded-image-{parked.pk}-title": "Parked",
            f"uploaded-image-{parked.pk}-collection": Collection.get_first_root_node().pk,
        },
    )
    assert made.json()["success"], made.json()
    image = get_image_model().objects.get(title="Parked")
    with image.open_file() as stored:
        assert_clean_and_upright(stored.read())


def test_png_and_webp_lose_their_metadata_too():
    for format in ("PNG", "WEBP"):
        cleaned = strip_metadata(photo_with_gps(format))
        assert cleaned is not None
        assert_clean_and_upright(cleaned.content)


def test_animations_keep_their_frames_and_lose_their_metadata():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = MAKER
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] = "N"
    frames = [Image.new("RGB", (20, 20), colour) for colour in (RED, BLUE, RED)]
    for format, options in [("WEBP", {"exif": exif}), ("GIF", {"comment": b"Location: here"})]:
        buffer = io.BytesIO()
        frames[0].save(
            buffer, format, save_all=True, append_images=frames[1:], duration=80, loop=0, **options
        )
        cleaned = strip_metadata(buffer.getvalue())
        assert cleaned is not None
        assert MAKER.encode() not in cleaned.content and b"Location" not in cleaned.content
        animation = Image.open(io.BytesIO(cleaned.content))
        assert animation.n_frames == 3 and not animation.getexif()


def test_a_clean_file_is_stored_as_it_came():
    image = Image.new("RGB", (40, 30), RED)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    assert strip_metadata(buffer.getvalue()) is None
    assert strip_metadata(b"not an image") is None


def test_images_stored_before_are_cleaned_by_the_command():
    model = get_image_model()
    # Stored as it was before uploads were cleaned: written straight to the storage.
    name = default_storage.save("original_images/old.jpg", ContentFile(photo_with_gps()))
    image = model(title="Old", width=300, height=200, collection=Collection.get_first_root_node())
    image.file.name = name
    model.objects.bulk_create([image])
    image = model.objects.get(title="Old")
    rendition = image.get_rendition("width-50")
    assert Image.open(rendition.file).getexif().get_ifd(ExifTags.IFD.GPSInfo)

    call_command("strip_image_metadata", stdout=io.StringIO())
    image = model.objects.get(pk=image.pk)
    with image.open_file() as stored:
        assert_clean_and_upright(stored.read())
    assert not image.renditions.exists()
    assert not default_storage.exists(name)
    assert_clean_and_upright(served_rendition(image, "width-50"), (50, 75))
