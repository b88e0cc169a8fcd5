"""An admin panel showing reviewers the photos a sender attached to a postcard, which are
private (and so not in the image library) until the postcard is published."""

from wagtail.admin.panels import Panel


class SubmittedPhotosPanel(Panel):
    class BoundPanel(Panel.BoundPanel):
        template_name = "postcards/panels/submitted_photos.html"

        def photos(self) -> list:
            if self.instance is None or not self.instance.pk:
                return []
            return [photo for photo in self.instance.photos.all() if photo.submitted_photo_id]

        def is_shown(self) -> bool:
            return bool(self.photos())

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["photos"] = self.photos()
            return context
