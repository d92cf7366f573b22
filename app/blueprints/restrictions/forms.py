from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.validators import ValidationError

from app.blueprints.forms_common import PortalForm, choices
from app.models.schedule import RestrictionKind, RestrictionMatch
from app.services import restrictions

RESTRICTION_KINDS = {RestrictionKind.BLOCK: _l("Block"), RestrictionKind.ALLOW: _l("Allow")}
RESTRICTION_MATCHES = {
    RestrictionMatch.EQUALS: _l("Equals (strongly recommended)"),
    RestrictionMatch.STARTS_WITH: _l("Starts with"),
    RestrictionMatch.ENDS_WITH: _l("Ends with"),
    RestrictionMatch.CONTAINS: _l("Contains"),
}


class RuleForm(PortalForm):
    kind = RadioField(_l("Type"), default=RestrictionKind.BLOCK.value,
                      choices=choices([(k.value, label) for k, label in RESTRICTION_KINDS.items()]))
    match = SelectField(_l("Match"), default=RestrictionMatch.EQUALS.value,
                        choices=choices([(m.value, label) for m, label in RESTRICTION_MATCHES.items()]))
    digits = StringField(_l("Digits"), description=_l("The caller's number, digits only: 5149073400."))
    submit = SubmitField(_l("Confirm"))

    def __init__(self, *args, company_id: int, rule_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._company_id, self._rule_id = company_id, rule_id

    def validate_digits(self, field):
        problem = restrictions.digits_problem(field.data or "")
        if problem == "digits":
            raise ValidationError(_l("Digits only, no spaces or dashes: 514 907-3400 is written 5149073400."))
        if problem == "length":
            raise ValidationError(_l("%(max)d digits at most.", max=restrictions.MAX_DIGITS))
        if self.kind.data in {k.value for k in RestrictionKind} and self.match.data in {m.value for m in RestrictionMatch}:
            if restrictions.exists(self._company_id, RestrictionKind(self.kind.data), RestrictionMatch(self.match.data),
                                   field.data, except_id=self._rule_id):
                raise ValidationError(_l("This rule already exists."))
