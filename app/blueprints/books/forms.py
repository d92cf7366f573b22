"""The address-book forms. Contact fields carry no validator of their own: the rules (and their
messages) are address_books.ContactFields.problems(), which the CSV import applies too."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, EmailField, SelectMultipleField, StringField, SubmitField, TextAreaField, widgets

from app.blueprints.forms_common import PortalForm, choices
from app.services.address_books import ContactFields


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes (people, books) posting their ids; an id not offered is refused."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, coerce=int, **kwargs)


class ContactForm(PortalForm):
    first_name = StringField(_l("First name"))
    last_name = StringField(_l("Last name"))
    phone = StringField(_l("Phone"), description=_l("Digits only, no spaces or dashes."))
    email = EmailField(_l("Email address (optional)"))
    submit = SubmitField(_l("Save"))

    def fields_(self) -> ContactFields:
        return ContactFields.cleaned(self.phone.data, self.first_name.data, self.last_name.data, self.email.data)

    def show(self, errors: dict) -> None:
        """Put the service's messages next to their fields."""
        for name, message in errors.items():
            getattr(self, name).errors = [*getattr(self, name).errors, message]


class NewContactForm(ContactForm):
    """"Add a contact" into one or several books (F8.8)."""

    books = CheckboxesField(_l("Add to these address books"))
    submit = SubmitField(_l("Add"))

    def __init__(self, *args, books, **kwargs):
        super().__init__(*args, **kwargs)
        self.books.choices = choices((b.id, b.title) for b in books)


class InlineContactForm(ContactForm):
    """The row atop a book that adds a contact to it alone (F8.8)."""

    submit = SubmitField(_l("Add"))


class AccessFields:
    members = CheckboxesField(_l("Who sees this address book"),
                              description=_l("People created later are not added: tick them here when they arrive."))
    select_all = BooleanField(_l("Select all"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.members.choices = choices((p.id, f"{p.full_name} ({p.email})") for p in people)

    def chosen_ids(self) -> list[int]:
        if self.select_all.data:
            return [choice.value for choice in self.members.choices]
        return list(self.members.data or [])


class NewBookForm(AccessFields, PortalForm):
    name = StringField(_l("Name"))
    submit = SubmitField(_l("Add"))


class AccessForm(AccessFields, PortalForm):
    submit = SubmitField(_l("Save"))


class RenameForm(PortalForm):
    name = StringField(_l("Name"))
    submit = SubmitField(_l("Save"))


class ImportForm(PortalForm):
    file = FileField(_l("CSV file"), validators=[FileRequired(_l("Choose a CSV file."))],
                     description=_l("A first line naming the columns (first name, last name, phone, email); "
                                    "UTF-8 or Windows-1252; commas or semicolons."))
    submit = SubmitField(_l("Preview"))


class ImportConfirmForm(PortalForm):
    # The decoded file, posted back as it was previewed: checked again before anything is added.
    csv_text = TextAreaField()
    submit = SubmitField(_l("Import the good rows"))
