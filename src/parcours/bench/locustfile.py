"""Scénario de charge (locust) : des AS de la démonstration sur un parcours mêlé.

Chaque utilisateur se connecte avec un compte d'AS de la démonstration, puis, entre deux pauses
de 0,5 à 2 s : ouvre « Mon activité » (son tableau de bord), cherche une personne, ouvre une
fiche, ouvre un accompagnement, enregistre un entretien. Lancé par
``python -m parcours.bench charge`` (``bench/load.py``), qui démarre gunicorn et lit les chiffres.
"""

import random
import re
import time

from locust import HttpUser, between, task

ACCOUNTS = ["as.ain", "as2.ain", "as.rhone", "as2.rhone", "as3.rhone"]
PASSWORD = "parcours-demo-2026"  # noqa: S105 (mot de passe public de la démonstration)
PREFIXES = ["Mar", "Ber", "Du", "Le", "Ro", "Fa", "Mo", "La", "Pe", "Ca", "Ma", "Ba", "Gi", "Ri"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE = re.compile(r'href="/accompagnements/(\d+)/"')
PERSON = re.compile(r'href="/personnes/(\d+)/"')
CONTACT_FORM = re.compile(
    r'<form[^>]*(?:action|hx-post)="/accompagnements/\d+/entretiens/"[^>]*>(.*?)</form>', re.S
)
HIDDEN = re.compile(r"<input[^>]*>")


def _token(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def _hidden_fields(form_html: str) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(form_html):
        if 'type="hidden"' not in tag:
            continue
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


class StaffUser(HttpUser):
    wait_time = between(0.5, 2)

    def on_start(self) -> None:
        page = self.client.get("/connexion/", name="connexion")
        self.client.post(
            "/connexion/",
            data={
                "username": random.choice(ACCOUNTS),
                "password": PASSWORD,
                "csrfmiddlewaretoken": _token(page.text),
            },
            name="connexion",
        )
        self.cases: list[str] = []
        self.people: list[str] = []
        self.dashboard()

    @task(2)
    def dashboard(self) -> None:
        page = self.client.get("/mon-activite/", name="tableau de bord (Mon activité)")
        self.cases = CASE.findall(page.text) or self.cases

    @task(3)
    def search(self) -> None:
        form = self.client.get("/personnes/", name="recherche (formulaire)")
        page = self.client.post(
            "/personnes/",
            data={"q": random.choice(PREFIXES), "csrfmiddlewaretoken": _token(form.text)},
            name="recherche",
        )
        self.people = PERSON.findall(page.text) or self.people

    @task(3)
    def person(self) -> None:
        if self.people:
            self.client.get(f"/personnes/{random.choice(self.people)}/", name="fiche personne")

    @task(3)
    def case(self) -> None:
        if self.cases:
            self.client.get(f"/accompagnements/{random.choice(self.cases)}/", name="accompagnement")

    @task(1)
    def record_contact(self) -> None:
        if not self.cases:
            return
        pk = random.choice(self.cases)
        page = self.client.get(f"/accompagnements/{pk}/", name="accompagnement")
        form = CONTACT_FORM.search(page.text)
        data = _hidden_fields(form.group(1)) if form else {}
        data.setdefault("csrfmiddlewaretoken", _token(page.text))
        data.update(
            {
                "on": time.strftime("%Y-%m-%d"),
                "mode": "TELEPHONE",
                "duration_minutes": "15",
                "note": f"Appel de suivi n°{random.randint(1, 10**9)}",
            }
        )
        self.client.post(
            f"/accompagnements/{pk}/entretiens/", data=data, name="enregistrer un entretien"
        )
