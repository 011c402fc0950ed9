"""Le panneau des purges dans le navigateur : le DPO voit la dernière et la prochaine purge, lance
l'essai à blanc (htmx) et lit ce que ferait la purge, par catégorie ; rien n'est modifié."""

import re
import subprocess
import sys

from playwright.sync_api import expect

from tests.e2e.conftest import SERVER_ENV, check_page, create_admins, login, login_admin

DPO = "dpo.purge"
TOTP_KEY = "3132333435363738393031323334353637383933"


def shell(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "parcours.cli", "shell", "-c", code],
        env=SERVER_ENV,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def test_the_dpo_previews_the_purge(page):
    create_admins([DPO], key=TOTP_KEY, first_name="Dominique", last_name="Protection", dpo=True)
    before = shell(
        "from parcours.people.models import Person; "
        "print(Person.objects.filter(anonymised_on__isnull=False).count())"
    )
    login_admin(page, DPO, TOTP_KEY)
    page.goto("/protection-donnees/purges/")
    assert page.get_by_role("heading", name="Purges de conservation", level=1).is_visible()
    assert page.get_by_text("Aucune purge réelle encore.").is_visible()
    page.get_by_role("button", name="Essai à blanc").click()
    page.get_by_text("rien n'a été modifié").first.wait_for()
    # la durée elle-même dépend des essais d'avant sur le même serveur (un autre parcours
    # change les durées de l'organisme) : la ligne est là, quelle que soit la durée
    expect(page.get_by_text(re.compile(r"Dossiers clos depuis plus de \d+ ans"))).to_be_visible()
    check_page(page, "rgpd-purges")
    after = shell(
        "from parcours.people.models import Person; "
        "print(Person.objects.filter(anonymised_on__isnull=False).count())"
    )
    assert before == after


def test_a_social_worker_gets_404(page):
    login(page, "as.ain")
    response = page.goto("/protection-donnees/purges/")
    assert response.status == 404
