"""The mentoring app's operations. Views, admin screens and tasks call these; each runs in
one transaction and is safe to run again."""
