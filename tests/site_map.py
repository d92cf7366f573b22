"""Every GET page of the portal, by role, with the data that makes pages long and tables wide
(labels and names at their maximum length). Shared by the page checks and the e2e crawl."""
from dataclasses import dataclass

from app.flask_extensions import db
from app.models.billing import BillableKind
from app.models.extension import MusicOnHold
from app.models.user import Role
from app.services import address_books, billing, phones
from app.services.address_books import ContactFields
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
    # Number behaviour (issue 10): hours, a partial exception, holidays with a movable one, a rule.
    from datetime import date

    from app.models.schedule import RestrictionKind, RestrictionMatch
    from app.services import holiday_presets, restrictions, schedules
    schedules.set_week(main, True, {d: [(540, 720), (780, 1020)] for d in range(5)})
    schedules.add_exceptions(main, [(7, 2)], [(720, 780), (960, 1020)])
    holiday_presets.add_region(main, "QC", date(2026, 12, 1))
    rule = restrictions.add_rule(company.id, RestrictionKind.BLOCK, RestrictionMatch.EQUALS, "514907340012345")
    general = factories.make_mailbox(company, "500", name="Boîte générale de la réception et du service à la client",
                                     password="8080", email="reception@demo.example")
    billing.record(mine, BillableKind.SOFTPHONE_LICENCE, admin.id, detail=softphone.username)
    book, _ = address_books.create_book(company.id, LONGEST_LABEL, [user.id])
    longest = ContactFields("123456789012345", "Marie-Ève-Geneviève-Stéphanie-Anne-Élisabeth-Rosie",
                            UNBROKEN_NAME[:50], "marie-eve.tremblay-longpre@service-a-la-clientele.example")
    shared_contact, = address_books.add_contact(admin, [book], longest)[0]
    admins_book, users_book = address_books.my_contacts(admin), address_books.my_contacts(user)
    own_contact, = address_books.add_contact(user, [users_book], ContactFields("5145550123", "Ann", "Lee"))[0]
    address_books.add_contact(admin, [admins_book], ContactFields("5145550124", "Bob", "Roy"))
    desk = phones.add_phone(company, "0004f2a1b2c3", LONGEST_LABEL, "vvx450")
    phones.assign(desk, mine, [1, 2], LONGEST_LABEL, "vvx450", "America/Toronto")
    phones.add_phone(company, "805ec0a1b2c3", UNBROKEN_NAME, "t46s")
    phones.add_company_book(desk)
    phones.add_contacts(desk, [shared_contact])
    db.session.commit()
    anonymous = [("login", "/login"), ("recover", "/recover"),
                 ("reset", f"/reset/{make_reset_token(invited)}"), ("reset-invalid", "/reset/not-a-token")]
    shared = [("home", "/"), ("account", "/account"), ("address-book", "/address-books/"),
              ("settings", f"/extensions/{mine.id}"),
              ("credentials", f"/extensions/{mine.id}/sip/{softphone.id}"),
              ("extension-status", "/extensions/status"),
              ("phone-directory", f"/phones/{desk.id}/directory"),
              ("company-book", "/address-books/company"), ("shared-book", f"/address-books/{book.id}"),
              ("new-contact", "/address-books/contacts/new"),
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
                               ("number-simulated", f"/numbers/{main.id}?caller=5149073400&day=2027-03-26&time=10:00"),
                               ("number-hours", f"/numbers/{main.id}/hours"),
                               ("call-restrictions", "/call-restrictions/"), ("call-restriction", f"/call-restrictions/{rule.id}"),
                               ("users", "/users/"), ("user", f"/users/{user.id}"), ("invite", "/users/invite"), ("not-found", "/nowhere"),
                               ("phones", "/phones/"), ("phone", f"/phones/{desk.id}"),
                               ("choose-phone", f"/phones/extension/{mine.id}/add"),
                               ("assign-phone", f"/phones/extension/{mine.id}/add/{desk.id}"),
                               ("my-contacts", f"/address-books/{admins_book.id}"), ("new-book", "/address-books/new"),
                               ("book-access-tab", "/address-books/access"),
                               ("book-access", f"/address-books/{book.id}/access"),
                               ("rename-book", f"/address-books/{book.id}/rename"),
                               ("delete-book", f"/address-books/{book.id}/delete"),
                               ("contact", f"/address-books/contacts/{shared_contact.id}/edit"),
                               ("delete-contact", f"/address-books/contacts/{shared_contact.id}/delete"),
                               ("import", f"/address-books/{book.id}/import"),
                               ("voicemail-boxes", "/voicemail/"), ("new-voicemail-box", "/voicemail/new"),
                               ("voicemail-box", f"/voicemail/{general.id}"),
                               ("empty-voicemail-box", f"/voicemail/{general.id}/empty"),
                               ("delete-voicemail-box", f"/voicemail/{general.id}/delete")],
            "user": shared + [("my-extensions", "/extensions/"), ("my-contacts", f"/address-books/{users_book.id}"),
                              ("my-contact", f"/address-books/contacts/{own_contact.id}/edit")],
        },
    )
