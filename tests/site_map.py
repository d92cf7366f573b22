"""Every GET page of the portal, by role, with the data that makes pages long and tables wide
(labels and names at their maximum length). Shared by the page checks and the e2e crawl."""
from dataclasses import dataclass

from app.flask_extensions import db
from app.models.billing import BillableKind
from app.models.extension import MusicOnHold
from app.models.user import Role
from app.services import billing
from app.services.passwords import make_reset_token
from tests import factories

LONGEST_LABEL = "Ligne de la réception principale et du service à la clientèle 7j"  # 64 characters
UNBROKEN_NAME = "Musique_d_attente_sans_espace_pour_voir_si_le_tableau_tient_bon_"  # 64 characters


@dataclass
class Portal:
    operator: str
    admin: str
    user: str
    pages: dict  # role -> [(name, path)]


def populate(language: str = "en") -> Portal:
    """A company with what makes pages long and tables wide: maximum-length labels and names.
    Everyone speaks `language`."""
    assert len(LONGEST_LABEL) == len(UNBROKEN_NAME) == 64
    company = factories.make_company("Démo inc.", "demo.voice.example")
    factories.make_user(None, Role.OPERATOR, email="ops@provider.example", language=language)
    admin = factories.make_user(company, Role.ADMIN, email="alice@demo.example", first_name="Alice",
                               language=language)
    user = factories.make_user(company, Role.USER, email="bruno@demo.example", first_name="Bruno",
                              language=language)
    invited = factories.make_user(company, Role.USER, email="claire.tremblay-longpre@demo.example",
                                  first_name="Claire", last_name="Tremblay-Longpré", password=None,
                                  language=language)
    main = factories.make_number(company, "+15145550100", LONGEST_LABEL)
    factories.make_number(company, "+15145550101", "Télécopieur")
    db.session.add_all([MusicOnHold(name="Jazz", source="local_stream://jazz"),
                        MusicOnHold(name=UNBROKEN_NAME, source="/var/lib/freeswitch/sounds/" + UNBROKEN_NAME + ".wav")])
    factories.make_extension(company, "101", admin, voicemail_password="4321")
    mine = factories.make_extension(company, "102", user, voicemail_password="1234", voicemail_enabled=True)
    factories.make_extension(company, "103", None, name="Salle de conférence du troisième étage, côté fleuve")
    factories.make_extension(company, "104", invited)
    softphone = factories.sip_softphone(mine, LONGEST_LABEL)
    general = factories.make_mailbox(company, "500", name="Boîte générale de la réception et du service à la client",
                                     password="8080", email="reception@demo.example")
    billing.record(mine, BillableKind.SOFTPHONE_LICENCE, admin.id, detail=softphone.username)
    db.session.commit()
    anonymous = [("login", "/login"), ("recover", "/recover"),
                 ("reset", f"/reset/{make_reset_token(invited)}"), ("reset-invalid", "/reset/not-a-token")]
    shared = [("home", "/"), ("account", "/account"), ("address-book", "/address-books/"),
              ("settings", f"/extensions/{mine.id}"),
              ("credentials", f"/extensions/{mine.id}/sip/{softphone.id}"),
              ("extension-status", "/extensions/status"),
              ("voicemail-inbox", "/voicemail/inbox"), ("voicemail-messages", f"/voicemail/{mine.mailbox.id}/messages")]
    return Portal(
        operator="ops@provider.example", admin=admin.email, user=user.email,
        pages={
            "anonymous": anonymous,
            "operator": [("companies", "/operator/"), ("new-company", "/operator/companies/new"),
                         ("company", f"/operator/companies/{company.id}"),
                         ("edit-company", f"/operator/companies/{company.id}/edit"), ("music-on-hold", "/operator/music-on-hold")],
            "admin": shared + [("grid", "/extensions/grid"), ("new-extension", "/extensions/new"),
                               ("numbers", "/numbers/"), ("number", f"/numbers/{main.id}"),
                               ("users", "/users/"), ("user", f"/users/{user.id}"), ("invite", "/users/invite"), ("not-found", "/nowhere"),
                               ("voicemail-boxes", "/voicemail/"), ("new-voicemail-box", "/voicemail/new"),
                               ("voicemail-box", f"/voicemail/{general.id}"),
                               ("empty-voicemail-box", f"/voicemail/{general.id}/empty"),
                               ("delete-voicemail-box", f"/voicemail/{general.id}/delete")],
            "user": shared + [("my-extensions", "/extensions/")],
        },
    )
