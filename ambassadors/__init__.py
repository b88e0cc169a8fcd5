"""Country ambassadors, their profiles and the translated promotional pages."""
