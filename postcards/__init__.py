"""Postcards: photos of libraries and workplaces sent by the community."""
