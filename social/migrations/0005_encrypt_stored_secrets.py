"""Encrypt the credentials stored in plain text before 0004 made them encrypted fields."""

from cryptography.fernet import InvalidToken
from django.db import migrations

from website.encryption import decrypt, encrypt

COLUMNS = [
    "x_access_token",
    "facebook_page_token",
    "linkedin_access_token",
    "mastodon_access_token",
    "bluesky_app_password",
]


def _rewrite(apps, schema_editor, change) -> None:
    model = apps.get_model("social", "SocialSettings")
    quote = schema_editor.quote_name
    table = quote(model._meta.db_table)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"SELECT id, {', '.join(quote(c) for c in COLUMNS)} FROM {table}")
        for row_id, *values in cursor.fetchall():
            for column, value in zip(COLUMNS, values, strict=True):
                new = change(value) if value else value
                if new != value:
                    cursor.execute(
                        f"UPDATE {table} SET {quote(column)} = %s WHERE id = %s", [new, row_id]
                    )


def _encrypt_plain(value: str) -> str:
    try:
        decrypt(value)
    except InvalidToken:
        return encrypt(value)
    return value


def _decrypt(value: str) -> str:
    try:
        return decrypt(value)
    except InvalidToken:
        return value


def encrypt_plain_values(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _encrypt_plain)


def decrypt_values(apps, schema_editor) -> None:
    _rewrite(apps, schema_editor, _decrypt)


class Migration(migrations.Migration):
    dependencies = [("social", "0004_secrets_encrypted_and_x_oauth2")]

    operations = [migrations.RunPython(encrypt_plain_values, decrypt_values)]
