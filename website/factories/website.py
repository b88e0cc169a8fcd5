"""Factories for the site shell: users and the program's text pages."""

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from website.models import HomePage, StandardPage

DEMO_PASSWORD = "demo-password"
# The authenticator key of every demo and test volunteer whose role needs a second step
# (hex, as django-otp stores it; DEMO_TOTP_SECRET is the same key in base32, as apps take it).
DEMO_TOTP_KEY = "64656d6f2d746f74702d6b65792d666f722d696c"
DEMO_TOTP_SECRET = "MRSW23ZNORXXI4BNNNSXSLLGN5ZC22LM"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"volunteer{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def groups(self, create, names, **kwargs):
        if create and names:
            self.groups.set(Group.objects.filter(name__in=names))

    @factory.post_generation
    def authenticator(self, create, enabled, **kwargs):
        """Volunteers whose role needs a second step get an authenticator with the demo key
        (pass authenticator=False for one who has not set it up yet)."""
        from website.signin.services import second_factor_required

        if not create or enabled is False:
            return
        if enabled or second_factor_required(self):
            give_authenticator(self)


def give_authenticator(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "Authenticator app", "key": DEMO_TOTP_KEY}
    )
    return device


def pass_second_step(client, user) -> None:
    """Mark a test client's session as past the second sign-in step, as if the code had been
    typed; a user whose role needs an authenticator is given one with the demo key."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from website.signin.services import second_factor_required

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None and second_factor_required(user):
        device = give_authenticator(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def demo_totp_code(at: float | None = None) -> str:
    """The code an authenticator with the demo key shows now (or at a given Unix time)."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(bytes.fromhex(DEMO_TOTP_KEY))
    totp.time = at if at is not None else time.time()
    return f"{totp.token():06d}"


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Home"
    hero_heading = factory.Faker("sentence", nb_words=6)


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = factory.Faker("sentence", nb_words=4)
    intro = factory.Faker("paragraph")
