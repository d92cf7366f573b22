"""number behaviour: weekly hours, yearly exceptions, call restriction rules, greetings

Revision ID: e8aee4ce9a00
Revises: 1ce0262cbcf9
Create Date: 2026-12-01 13:24:19.749353

Issue 10. The numbers that exist keep answering as before the feature: open at all
hours (hours_on false), the system greeting, closed handling unused until hours are
set; the server defaults fill those columns for them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8aee4ce9a00'
down_revision = '1ce0262cbcf9'
branch_labels = None
depends_on = None

# Should SQLite rebuild a table to add columns, it stays AUTOINCREMENT (ids never reused).
AUTOINCREMENT = {'sqlite_autoincrement': True}


def upgrade():
    op.create_table('call_restrictions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('block', 'allow', name='restrictionkind', native_enum=False, length=16), nullable=False),
    sa.Column('match', sa.Enum('equals', 'starts_with', 'ends_with', 'contains', name='restrictionmatch', native_enum=False, length=16), nullable=False),
    sa.Column('digits', sa.String(length=15), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_call_restrictions_company_id_companies'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_call_restrictions')),
    sa.UniqueConstraint('company_id', 'kind', 'match', 'digits', name=op.f('uq_call_restrictions_company_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('call_restrictions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_call_restrictions_company_id'), ['company_id'], unique=False)

    op.create_table('number_exceptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('day', sa.Integer(), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('holiday', sa.String(length=80), nullable=True),
    sa.Column('holiday_region', sa.String(length=2), nullable=True),
    sa.Column('holiday_year', sa.Integer(), nullable=True),
    sa.Column('movable', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('month >= 1 AND month <= 12 AND day >= 1 AND day <= 31', name=op.f('ck_number_exceptions_date')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_number_exceptions_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['number_id'], ['phone_numbers.id'], name=op.f('fk_number_exceptions_number_id_phone_numbers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_exceptions')),
    sa.UniqueConstraint('number_id', 'month', 'day', name=op.f('uq_number_exceptions_number_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('number_exceptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_number_exceptions_number_id'), ['number_id'], unique=False)

    op.create_table('number_open_ranges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440', name=op.f('ck_number_open_ranges_ordered')),
    sa.CheckConstraint('weekday >= 0 AND weekday <= 6', name=op.f('ck_number_open_ranges_weekday')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_number_open_ranges_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['number_id'], ['phone_numbers.id'], name=op.f('fk_number_open_ranges_number_id_phone_numbers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_open_ranges')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('number_open_ranges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_number_open_ranges_number_id'), ['number_id'], unique=False)

    op.create_table('number_exception_ranges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('exception_id', sa.Integer(), nullable=False),
    sa.Column('start_minute', sa.Integer(), nullable=False),
    sa.Column('end_minute', sa.Integer(), nullable=False),
    sa.CheckConstraint('start_minute >= 0 AND start_minute < end_minute AND end_minute <= 1440', name=op.f('ck_number_exception_ranges_ordered')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_number_exception_ranges_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['exception_id'], ['number_exceptions.id'], name=op.f('fk_number_exception_ranges_exception_id_number_exceptions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_number_exception_ranges')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('number_exception_ranges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_number_exception_ranges_exception_id'), ['exception_id'], unique=False)

    with op.batch_alter_table('companies', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column('exception_password', sa.String(length=10), nullable=True))

    with op.batch_alter_table('phone_numbers', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column('hours_on', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('open_action', sa.Enum('greeting', 'extension', name='openaction', native_enum=False, length=16), nullable=False, server_default='greeting'))
        batch_op.add_column(sa.Column('open_extension', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('operator_extension', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('closed_action', sa.Enum('hangup', 'voicemail', name='closedaction', native_enum=False, length=16), nullable=False, server_default='hangup'))
        batch_op.add_column(sa.Column('closed_box', sa.String(length=6), nullable=True))
        batch_op.add_column(sa.Column('greeting_file', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('closed_greeting_file', sa.String(length=64), nullable=True))



def downgrade():
    with op.batch_alter_table('phone_numbers', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_column('closed_greeting_file')
        batch_op.drop_column('greeting_file')
        batch_op.drop_column('closed_box')
        batch_op.drop_column('closed_action')
        batch_op.drop_column('operator_extension')
        batch_op.drop_column('open_extension')
        batch_op.drop_column('open_action')
        batch_op.drop_column('hours_on')

    with op.batch_alter_table('companies', schema=None, table_kwargs=AUTOINCREMENT) as batch_op:
        batch_op.drop_column('exception_password')

    with op.batch_alter_table('number_exception_ranges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_number_exception_ranges_exception_id'))

    op.drop_table('number_exception_ranges')
    with op.batch_alter_table('number_open_ranges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_number_open_ranges_number_id'))

    op.drop_table('number_open_ranges')
    with op.batch_alter_table('number_exceptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_number_exceptions_number_id'))

    op.drop_table('number_exceptions')
    with op.batch_alter_table('call_restrictions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_call_restrictions_company_id'))

    op.drop_table('call_restrictions')
