"""Signing in to the admin: the second factor (TOTP and recovery codes, django-otp), its
enforcement for the roles that hold personal data, idle expiry of signed-in sessions, the
admin's Content-Security-Policy and the lockout page of django-axes."""
