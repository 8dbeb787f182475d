"""Sign-in accounts for the locust run (bench/locustfile.py), on data from generate_load_data.

    DATABASE_URL=postgres://… python bench/load_users.py --officers 40 --provincial 20 --leaders 20

Creates (or resets) synthetic accounts `load-xa-N` (commune officers, one per commune that has
people), `load-tinh-N` (provincial officers, each with its own authenticator: one-time codes
cannot be reused, so each simulated user needs its own) and `load-lanhdao-N`, with one random
password. Writes what locust needs to bench/load_users.json (git-ignored): passwords, the
authenticators' keys and a few file ids per commune.
"""

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from bench.generate import FIRST_PROVINCE_CODE  # noqa: E402
from casefiles.models import Person  # noqa: E402
from communes.models import Commune, Province  # noqa: E402

OUT = Path(__file__).with_name("load_users.json")


def account(username: str, password: str, **fields) -> User:
    user, _ = User.objects.update_or_create(
        username=username, defaults={**fields, "is_active": True}
    )
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def authenticator(user: User) -> str:
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="load test", confirmed=True)
    return device.key


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=40)
    parser.add_argument("--provincial", type=int, default=20)
    parser.add_argument("--leaders", type=int, default=20)
    args = parser.parse_args()

    province = Province.objects.get(code=FIRST_PROVINCE_CODE)
    password = secrets.token_urlsafe(16)
    communes = list(
        Commune.objects.filter(province=province, persons__isnull=False)
        .distinct()
        .order_by("pk")[: args.officers]
    )
    officers = []
    for number, commune in enumerate(communes, start=1):
        username = f"load-xa-{number}"
        account(username, password, role=Role.COMMUNE_OFFICER, province=province, commune=commune)
        people = list(
            Person.objects.filter(commune=commune).order_by("pk").values_list("pk", flat=True)[:20]
        )
        officers.append({"username": username, "commune": commune.pk, "people": people})
    provincial = []
    for number in range(1, args.provincial + 1):
        username = f"load-tinh-{number}"
        user = account(username, password, role=Role.PROVINCIAL_OFFICER, province=province)
        provincial.append({"username": username, "totp_key": authenticator(user)})
    leaders = []
    for number in range(1, args.leaders + 1):
        username = f"load-lanhdao-{number}"
        account(username, password, role=Role.LEADER, province=province)
        leaders.append({"username": username})
    data = {
        "password": password,
        "officers": officers,
        "provincial": provincial,
        "leaders": leaders,
    }
    OUT.write_text(json.dumps(data, indent=1))
    print(
        f"{len(officers)} commune officers, {len(provincial)} provincial officers, "
        f"{len(leaders)} leaders → {OUT}"
    )


if __name__ == "__main__":
    main()
