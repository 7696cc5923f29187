"""Move DRF's plaintext tokens into ApiToken as their SHA-256, and delete the plaintext rows.

Existing clients keep working: they send the same token, which now matches by digest.
"""

import hashlib
from typing import Any

from django.db import migrations


def hash_tokens(apps: Any, schema_editor: Any) -> None:
    Token = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    for token in Token.objects.all():
        digest = hashlib.sha256(token.key.encode()).hexdigest()
        ApiToken.objects.create(digest=digest, user_id=token.user_id)
        # auto_now_add ignores a given value on create; keep the token's age.
        ApiToken.objects.filter(digest=digest).update(created_at=token.created)
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    # Irreversible in substance (a digest cannot give the token back): reversing keeps them.
    operations = [migrations.RunPython(hash_tokens, migrations.RunPython.noop)]
