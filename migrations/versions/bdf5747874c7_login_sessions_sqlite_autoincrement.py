"""login sessions, no throttle table or account lock, SQLite autoincrement

Revision ID: bdf5747874c7
Revises: 6b8499348703
Create Date: 2026-12-01 11:22:21.373939

Sessions are recorded server-side (login_sessions) so that they can be ended; rate
limits moved to Flask-Limiter's storage (throttle_hits and the users' lock columns go).
On SQLite every table is rebuilt as AUTOINCREMENT, so that a deleted row's id is never
given again (batch mode copies the rows; env.py turns foreign keys off meanwhile and
checks them afterwards). PostgreSQL's sequences already never reuse an id.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'bdf5747874c7'
down_revision = '6b8499348703'
branch_labels = None
depends_on = None

# Parents first; each is copied into an AUTOINCREMENT table of the same definition.
REBUILT_ON_SQLITE = ("companies", "music_on_hold", "phone_numbers", "users", "extensions", "sip_accounts",
                     "billable_events")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_sessions_token_hash')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_sessions_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('throttle_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_throttle_hits_key_at'))
    op.drop_table('throttle_hits')

    for table in REBUILT_ON_SQLITE:
        rebuild = dict(recreate="always", table_kwargs={"sqlite_autoincrement": True}) if _sqlite() else {}
        with op.batch_alter_table(table, schema=None, **rebuild) as batch_op:
            if table == "users":
                batch_op.drop_column('locked_until')
                batch_op.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.INTEGER(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))

    op.create_table('throttle_hits',
    sa.Column('id', sa.INTEGER(), nullable=False),
    sa.Column('key', sa.VARCHAR(length=300), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_throttle_hits'))
    )
    with op.batch_alter_table('throttle_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_throttle_hits_key_at'), ['key', 'at'], unique=False)

    with op.batch_alter_table('login_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_sessions_user_id'))

    op.drop_table('login_sessions')
