"""Normal forms used to recognise the same person: emails and names."""

import unicodedata

DOTLESS_DOMAINS = {"gmail.com", "googlemail.com"}


def normalise_email(email: str) -> str:
    """Lower-case, without a "+tag", and without dots for Gmail, so that the variants one
    mailbox accepts count as one address."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not local:
        return email.strip().lower()
    local = local.split("+", 1)[0]
    if domain in DOTLESS_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"


def normalise_name(name: str) -> str:
    """Case, accents, punctuation and spacing removed: "José  María" == "jose maria"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())
