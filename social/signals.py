from wagtail.signals import page_published


def on_page_published(sender, instance, **kwargs) -> None:
    from social import services

    services.on_publish(instance)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="social.autopost")
