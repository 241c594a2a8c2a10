"""sign_in_links: one-time links that let a person in without a password (sign-in, set-password, personal)

Revision ID: 0011_sign_in_links
Revises: 0010_languages
Create Date: 2026-12-05 23:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_sign_in_links'
down_revision = '0010_languages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sign_in_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Enum('sign_in', 'set_password', 'personal', name='link_purpose', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('target', sa.String(length=500), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('expires_at > created_at', name=op.f('ck_sign_in_links_expires_after_creation')),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_sign_in_links_person_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_sign_in_links_token_hash'))
    )
    with op.batch_alter_table('sign_in_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_links_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_sign_in_links_person_id'), ['person_id'], unique=False)


def downgrade():
    with op.batch_alter_table('sign_in_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_links_person_id'))
        batch_op.drop_index(batch_op.f('ix_sign_in_links_expires_at'))

    op.drop_table('sign_in_links')
