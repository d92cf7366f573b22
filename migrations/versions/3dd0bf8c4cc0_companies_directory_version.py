"""companies.directory_version

Revision ID: 3dd0bf8c4cc0
Revises: bdf5747874c7
Create Date: 2026-12-01 13:26:09.572143

The number an xml_curl process compares with before it serves a directory answer it
rendered earlier (app/directory_version.py, app/xml_curl/answer_cache.py). Adding a
column with a default is a plain ALTER TABLE on both databases: no table is rebuilt.
"""
from alembic import op
import sqlalchemy as sa


revision = '3dd0bf8c4cc0'
down_revision = 'bdf5747874c7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_version', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('companies', schema=None) as batch_op:
        batch_op.drop_column('directory_version')
