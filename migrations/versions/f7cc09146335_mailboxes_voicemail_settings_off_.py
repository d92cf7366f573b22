"""mailboxes: voicemail settings off extensions

Revision ID: f7cc09146335
Revises: 57d0263b8bc4
Create Date: 2026-12-01 13:25:26.430003

Voicemail boxes become their own rows (F5: general boxes have no extension). Every
extension gets the box it had, with its settings as they were (on or off, PIN,
address, e-mail only), the default length and key destinations; then the columns
leave `extensions`. Plain INSERT ... SELECT / UPDATE, the same on SQLite and
PostgreSQL. Downgrading copies an extension's box back and loses general boxes.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f7cc09146335'
down_revision = '57d0263b8bc4'
branch_labels = None
depends_on = None


def _rebuild() -> dict:
    """SQLite rebuilds the table to drop a column: keep it AUTOINCREMENT (bdf5747874c7)."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    return dict(recreate="always", table_kwargs={"sqlite_autoincrement": True}) if sqlite else {}


def upgrade():
    op.create_table('mailboxes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=6), nullable=False),
    sa.Column('extension_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('password', sa.String(length=10), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_only', sa.Boolean(), nullable=False),
    sa.Column('max_seconds', sa.Integer(), nullable=False),
    sa.Column('operator_kind', sa.Enum('none', 'login', 'extension', 'mailbox', 'hangup', name='keydestination', native_enum=False, length=16), nullable=False),
    sa.Column('operator_target', sa.String(length=6), nullable=False),
    sa.Column('star_kind', sa.Enum('none', 'login', 'extension', 'mailbox', 'hangup', name='keydestination', native_enum=False, length=16), nullable=False),
    sa.Column('star_target', sa.String(length=6), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_mailboxes_company_id_companies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['extension_id'], ['extensions.id'], name=op.f('fk_mailboxes_extension_id_extensions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailboxes')),
    sa.UniqueConstraint('company_id', 'number', name=op.f('uq_mailboxes_company_id')),
    sa.UniqueConstraint('extension_id', name=op.f('uq_mailboxes_extension_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailboxes_company_id'), ['company_id'], unique=False)

    op.execute(
        "INSERT INTO mailboxes (company_id, number, extension_id, name, enabled, password, email, email_only,"
        " max_seconds, operator_kind, operator_target, star_kind, star_target, created_at)"
        " SELECT company_id, number, id, name, voicemail_enabled, voicemail_password, voicemail_email,"
        " voicemail_email_only, 180, 'none', '', 'login', '', created_at FROM extensions")

    with op.batch_alter_table('extensions', schema=None, **_rebuild()) as batch_op:
        batch_op.drop_column('voicemail_password')
        batch_op.drop_column('voicemail_email')
        batch_op.drop_column('voicemail_email_only')
        batch_op.drop_column('voicemail_enabled')



def downgrade():
    with op.batch_alter_table('extensions', schema=None, **_rebuild()) as batch_op:
        batch_op.add_column(sa.Column('voicemail_enabled', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('voicemail_email_only', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('voicemail_email', sa.String(length=254), nullable=False, server_default=""))
        batch_op.add_column(sa.Column('voicemail_password', sa.String(length=10), nullable=False, server_default=""))
    for column, source in (("voicemail_enabled", "enabled"), ("voicemail_email_only", "email_only"),
                           ("voicemail_email", "email"), ("voicemail_password", "password")):
        op.execute(f"UPDATE extensions SET {column} = (SELECT {source} FROM mailboxes"
                   f" WHERE mailboxes.extension_id = extensions.id)"
                   f" WHERE EXISTS (SELECT 1 FROM mailboxes WHERE mailboxes.extension_id = extensions.id)")

    with op.batch_alter_table('mailboxes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailboxes_company_id'))

    op.drop_table('mailboxes')
