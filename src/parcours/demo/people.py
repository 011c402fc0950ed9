"""Les personnes de démonstration : noms, prénoms, adresses, NIR valides, âge selon le programme.

Écrites en masse par les mêmes fonctions que les services (clés de recherche, chiffrement du
NIR), avec leur entrée d'audit.
"""

import datetime
import random
from dataclasses import dataclass

from parcours.core import clock
from parcours.core.models import AuditEntry, Organisation, User
from parcours.core.nomenclatures import Programme
from parcours.demo.common import pick as _pick
from parcours.people.models import Person
from parcours.people.services import derive_search_keys, set_nir
from parcours.rules import nir as nir_rules

LAST_NAMES = (
    "Martin,Bernard,Thomas,Petit,Robert,Richard,Durand,Dubois,Moreau,Laurent,Simon,Michel,"
    "Lefèvre,Leroy,Roux,David,Bertrand,Morel,Fournier,Girard,Bonnet,Dupont,Lambert,Fontaine,"
    "Rousseau,Vincent,Muller,Lefebvre,Faure,André,Mercier,Blanc,Guérin,Boyer,Garnier,Chevalier,"
    "François,Legrand,Gauthier,Garcia,Perrin,Robin,Clément,Morin,Nicolas,Henry,Roussel,Mathieu,"
    "Gautier,Masson,Marchand,Duval,Denis,Dumont,Marie,Lemaire,Noël,Meyer,Dufour,Meunier,Brun,"
    "Blanchard,Giraud,Joly,Rivière,Lucas,Brunet,Gaillard,Barbier,Arnaud,Martinez,Gérard,Roche,"
    "Renard,Schmitt,Roy,Leroux,Colin,Vidal,Caron,Picard,Roger,Fabre,Aubert,Lemoine,Renaud,Dumas,"
    "Lacroix,Olivier,Philippe,Bourgeois,Pierre,Benoît,Rey,Leclerc,Payet,Rolland,Leclercq,"
    "Guillaume,Lecomte,Lopez,Jean,Dupuy,Guillot,Hubert,Berger,Carpentier,Sanchez,Dupuis,Moulin,"
    "Louis,Deschamps,Huet,Vasseur,Perez,Boucher,Fleury,Royer,Klein,Jacquet,Adam,Paris,Poirier,"
    "Marty,Aubry,Guyot,Carré,Charles,Renault,Charpentier,Ménard,Maillard,Baron,Bertin,Bailly,"
    "Hervé,Schneider,Fernandez,Le Gall,Collet,Léger,Bouvier,Julien,Prévost,Millet,Perrot,Daniel,"
    "Le Roux,Cousin,Germain,Breton,Besson,Langlois,Rémy,Le Goff,Pelletier,Lévêque,Perrier,"
    "Benali,Haddad,Mansouri,Nguyen,Diallo,Traoré,Ferreira,Da Silva,Pereira,Rodrigues"
).split(",")
FIRST_F = (
    "Marie,Nathalie,Isabelle,Sylvie,Catherine,Françoise,Christine,Monique,Valérie,Sandrine,"
    "Hélène,Camille,Léa,Chloé,Zoé,Anne,Élodie,Julie,Sophie,Brigitte,Jeanne,Odile,Agnès,Josiane,"
    "Martine,Nicole,Danielle,Fatima,Aïcha,Inès,Manon,Laura,Céline,Aurélie,Émilie,Lucie,Yvette,"
    "Simone,Germaine,Colette"
).split(",")
FIRST_M = (
    "Jean,Pierre,Michel,Philippe,Alain,Nicolas,Christophe,Patrick,Daniel,Bernard,Éric,Laurent,"
    "Thomas,Hugo,Lucas,Louis,Gérard,René,Marcel,André,Jacques,Olivier,Stéphane,Mathieu,Karim,"
    "Mohamed,Youssef,Julien,David,Sébastien,Frédéric,Maurice,Roger,Henri,Georges,Lucien,Raymond,"
    "Antoine,Kevin"
).split(",")
STREETS = [
    "rue de la République",
    "avenue Jean Jaurès",
    "rue Victor Hugo",
    "place du Marché",
    "chemin des Vignes",
    "rue Pasteur",
    "boulevard Gambetta",
    "rue des Écoles",
    "allée des Tilleuls",
    "rue du Stade",
    "impasse des Lilas",
    "route de Lyon",
]

# Programmes : PDP > 50 % (Carsat), puis retour à domicile, bien vieillir, parcours santé…
PROGRAMMES = [
    (Programme.PDP, 52),
    (Programme.RETOUR_DOMICILE, 14),
    (Programme.BIEN_VIEILLIR, 13),
    (Programme.PARCOURS_SANTE, 11),
    (Programme.DEUIL, 6),
    (Programme.AUTRE, 4),
]


@dataclass(frozen=True)
class Profile:
    """Ce que la suite de la démonstration reprend du tirage d'une personne."""

    programme: str
    age: int


def people(
    organisation: Organisation,
    creator: User,
    count: int,
    rng: random.Random,
    today: datetime.date,
    communes: dict[str, list[tuple]],
) -> list[tuple[Person, Profile]]:
    """``count`` personnes (Rhône 60 %, Ain 40 %), chacune avec son programme et son âge
    (``Profile``) pour la suite de la démonstration."""
    persons, profiles = [], []
    for i in range(count):
        dep = "69" if i % 5 < 3 else "01"  # Rhône 60 %, Ain 40 %
        programme = _pick(rng, PROGRAMMES)
        if programme == Programme.PDP:
            age = rng.randint(24, 62)
        elif programme in (Programme.BIEN_VIEILLIR, Programme.RETOUR_DOMICILE):
            age = min(int(rng.triangular(60, 98, 80)), 99)
        else:
            age = rng.randint(25, 90)
        birth = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        sex = (
            rng.choice("FM")
            if programme != Programme.BIEN_VIEILLIR
            else rng.choices("FM", [65, 35])[0]
        )
        first = rng.choice(FIRST_F if sex == "F" else FIRST_M)
        if rng.random() < 0.25:
            first += " " + rng.choice(FIRST_F if sex == "F" else FIRST_M)
        last = rng.choice(LAST_NAMES)
        code, _, postal = rng.choices(communes[dep], [p for _, p, _ in communes[dep]])[0]
        phone = f"0{rng.choice('4466677')}{rng.randrange(10**8):08d}"
        person = Person(
            organisation=organisation,
            last_name=last,
            first_names=first,
            sex=sex,
            birth_date=birth,
            departement_id=dep,
            commune_id=code,
            postal_code=postal.split()[0] if postal else "",
            address=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            phone=phone if rng.random() < 0.9 else "",
            email=f"{first.split()[0].lower()}.{last.lower()}@exemple.fr".replace(" ", "")
            if rng.random() < 0.35
            else "",
            status="RETRAITE" if age >= 62 else "ASSURE",
            housing=_pick(rng, [("LOCATAIRE", 50), ("PROPRIETAIRE", 40), ("HEBERGE", 10)]),
            family_situation=_pick(
                rng, [("EN_COUPLE", 45), ("CELIBATAIRE", 20), ("SEPARE", 20), ("VEUF", 15)]
            ),
            employment="RETRAITE" if age >= 62 else "SALARIE",
            gir=rng.choice([4, 5, 5, 6, 6, 6]) if age >= 75 else None,
            created_by=creator,
        )
        profiles.append(Profile(programme=programme, age=age))
        derive_search_keys(person)
        if rng.random() < 0.8:
            base = (
                f"{'1' if sex == 'M' else '2'}{birth.year % 100:02d}{birth.month:02d}"
                f"{dep}{code[2:]}{rng.randint(1, 999):03d}"
            )
            set_nir(person, f"{base}{nir_rules.compute_key(base):02d}")
        persons.append(person)
    created = Person.objects.bulk_create(persons, batch_size=500)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                organisation=organisation,
                actor=creator,
                at=clock.now(),
                action=AuditEntry.Action.CREATE,
                object_type="person",
                object_id=str(p.pk),
                person_id=p.pk,
                summary="Création de la fiche (démonstration)",
            )
            for p in created
        ],
        batch_size=1000,
    )
    return list(zip(created, profiles, strict=True))
