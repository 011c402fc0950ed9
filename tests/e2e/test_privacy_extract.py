"""L'extrait pseudonymisé dans Chromium : la ou le DPO lance un extrait de l'année, il est prêt
dans la liste (tâche de fond) et se télécharge ; page contrôlée par axe-core."""

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import SERVER_ENV, check_page, login

PASSWORD = "mot-de-passe-du-dpo-2026"


def shell(code: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", code],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
        text=True,
    )


def test_dpo_launches_and_downloads_an_extract(page, e2e_server):
    shell(
        "from parcours.core.models import Organisation, User; "
        "u, _ = User.objects.get_or_create(username='dpo.e2e', defaults={'organisation': "
        "Organisation.objects.get(code='carsat-demo'), 'first_name': 'Dominique', "
        "'last_name': 'Protection', 'function': 'CHARGE_MISSION', 'is_dpo': True}); "
        f"u.set_password('{PASSWORD}'); u.save()"
    )
    login(page, "dpo.e2e", PASSWORD)
    page.goto("/protection-donnees/extraits/")
    expect(page.get_by_role("heading", name="Extraits pseudonymisés", level=1)).to_be_visible()
    check_page(page, "rgpd-extraits")
    page.get_by_text("Département", exact=True).click()
    page.get_by_text("Programme", exact=True).click()
    page.get_by_role("button", name="Lancer l'extrait").click()
    expect(page.get_by_text("Extrait lancé")).to_be_visible()
    expect(page.get_by_role("link", name="Télécharger")).to_be_visible()
    check_page(page, "rgpd-extraits-pret")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "departement;programme;personnes;entretiens;secret"
