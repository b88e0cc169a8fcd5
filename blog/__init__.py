"""The blog: posts by volunteers and guest articles from the community."""
