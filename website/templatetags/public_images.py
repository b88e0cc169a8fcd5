"""Wagtail's `image`, `picture` and `srcset_image` tags for the public templates, which never
make a rendition during a visitor's request: a rendition not made yet is stood in for by the
original at its own width and height, and the worker is asked for it (website/renditions.py).
Same syntax as `wagtailimages_tags`; load this library instead of it in public templates."""

from django import template
from wagtail.images.models import Picture, ResponsiveImage
from wagtail.images.templatetags import wagtailimages_tags as wagtail_tags

from website.renditions import ready_renditions

register = template.Library()


def _attrs(node, context) -> dict:
    return {key: value.resolve(context) for key, value in node.attrs.items()}


class ImageNode(wagtail_tags.ImageNode):
    def render(self, context) -> str:
        image = self.validate_image(context)
        if not image:
            return ""
        renditions, _complete = ready_renditions(image, [self.get_filter()])
        rendition = next(iter(renditions.values()))
        if self.output_var_name:
            context[self.output_var_name] = rendition
            return ""
        return rendition.img_tag(_attrs(self, context))


class SrcsetImageNode(wagtail_tags.SrcsetImageNode):
    wrapper = ResponsiveImage

    def render(self, context) -> str:
        image = self.validate_image(context)
        if not image:
            return ""
        # All the renditions, or one <img> of the original while they are being made.
        renditions, _complete = ready_renditions(image, self.get_filters())
        if self.output_var_name:
            context[self.output_var_name] = self.wrapper(renditions)
            return ""
        return self.wrapper(renditions, _attrs(self, context)).__html__()


class PictureNode(SrcsetImageNode):
    wrapper = Picture


def image(parser, token):
    node = wagtail_tags.image(parser, token)
    ours = {
        wagtail_tags.PictureNode: PictureNode,
        wagtail_tags.SrcsetImageNode: SrcsetImageNode,
        wagtail_tags.ImageNode: ImageNode,
    }[type(node)]
    return ours(node.image_expr, node.filter_specs, node.output_var_name, node.attrs)


register.tag("image", image)
register.tag("srcset_image", image)
register.tag("picture", image)
