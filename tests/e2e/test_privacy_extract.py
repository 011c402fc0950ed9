"""L'extrait pseudonymisé dans Chromium : la ou le DPO lance un extrait de l'année, il est prêt
dans la liste (tâche de fond) et se télécharge ; page contrôlée par axe-core."""

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import check_page, create_admins, login_admin

DPO = "dpo.extrait"
TOTP_KEY = "3132333435363738393031323334353637383934"


def test_dpo_launches_and_downloads_an_extract(page, e2e_server):
    create_admins([DPO], key=TOTP_KEY, first_name="Dominique", last_name="Extrait", dpo=True)
    login_admin(page, DPO, TOTP_KEY)
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
