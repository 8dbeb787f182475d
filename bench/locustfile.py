"""Signed-in officers, provincial officers and leaders using the portal (locust).

Run through bench/load.sh (`make load`), which creates the accounts (bench/load_users.py),
starts gunicorn and summarises the figures. Each simulated user signs in through the real
pages once (password, then the one-time code for provincial officers) and then opens the pages
of its role with a short think time. Any status other than 200 counts as an error.
"""

import itertools
import json
import random
import re
from pathlib import Path

from django_otp.oath import totp
from locust import HttpUser, between, task

ACCOUNTS = json.loads(Path(__file__).with_name("load_users.json").read_text())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_next_account = {role: itertools.count() for role in ("officers", "provincial", "leaders")}


def take_account(role: str) -> dict:
    """Each simulated user gets an account of its own (codes and sessions are per account)."""
    accounts = ACCOUNTS[role]
    return accounts[next(_next_account[role]) % len(accounts)]


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(1, 3)
    role = ""

    def on_start(self):
        self.account = take_account(self.role)
        self.post_form(
            "/accounts/login/",
            {"username": self.account["username"], "password": ACCOUNTS["password"]},
            name="sign in",
        )

    def post_form(self, path: str, data: dict, *, name: str):
        page = self.client.get(path, name=f"{name} (form)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            path,
            {**data, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}{path}"},
            name=name,
            catch_response=True,
        ) as response:
            # A refused form comes back as 200 with the form again: not signed in.
            if "csrfmiddlewaretoken" in response.text and response.url.endswith(path):
                response.failure(f"{name} refused")
        return response

    def page(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 0:  # no HTTP answer: say what the connection did
                response.failure(f"no answer: {response.error!r}")
            elif response.status_code != 200 or response.history and "login" in response.url:
                response.failure(f"{response.status_code} at {response.url}")


class CommuneOfficer(PortalUser):
    weight = 6
    role = "officers"

    @task(3)
    def commune_home(self):
        self.page(f"/communes/{self.account['commune']}/", "commune home")

    @task(3)
    def people_list(self):
        self.page("/people/", "people list")

    @task(4)
    def person_detail(self):
        if self.account["people"]:
            self.page(f"/people/{random.choice(self.account['people'])}/", "people detail")

    @task(2)
    def hotspots(self):
        self.page("/communes/registers/hotspots/", "hotspot list")

    @task(2)
    def pledges(self):
        self.page(f"/communes/{self.account['commune']}/pledges/", "pledge coverage")


class ProvincialOfficer(PortalUser):
    weight = 2
    role = "provincial"

    def on_start(self):
        super().on_start()
        code = totp(bytes.fromhex(self.account["totp_key"]))
        self.post_form("/accounts/two-factor/", {"code": f"{code:06d}"}, name="one-time code")

    @task(2)
    def province_table(self):
        self.page("/assessments/", "province table")

    @task(2)
    def recognition_admin(self):
        self.page("/admin/assessments/recognitioncase/", "admin recognition list")

    @task(1)
    def communes(self):
        self.page("/communes/", "commune list")

    @task(1)
    def people(self):
        self.page("/people/", "people list (province)")


class Leader(PortalUser):
    weight = 2
    role = "leaders"

    @task(3)
    def dashboard(self):
        self.page("/reports/", "province dashboard")

    @task(1)
    def roadmap(self):
        self.page("/assessments/roadmap/", "roadmap")
