"""materials (files and links on events and agenda items) and material_blobs (file bytes kept in the database)

Revision ID: 0019_materials
Revises: 0018_answers_deleted_at
Create Date: 2026-12-06 05:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019_materials'
down_revision = '0018_answers_deleted_at'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'material_blobs',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_material_blobs')),
    )
    op.create_table(
        'materials',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('agenda_item_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.Enum('file', 'link', name='material_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('dated_on', sa.Date(), nullable=True),
        sa.Column('file_key', sa.String(length=64), nullable=True),
        sa.Column('file_name', sa.String(length=150), nullable=True),
        sa.Column('content_type', sa.String(length=100), nullable=True),
        sa.Column('size', sa.BigInteger(), nullable=True),
        sa.Column('url', sa.String(length=2000), nullable=True),
        sa.Column('added_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'file' AND file_key IS NOT NULL AND file_name IS NOT NULL AND content_type IS NOT NULL"
            " AND size IS NOT NULL AND url IS NULL)"
            " OR (kind = 'link' AND url IS NOT NULL AND file_key IS NULL)",
            name=op.f('ck_materials_file_or_link'),
        ),
        sa.CheckConstraint('size IS NULL OR size >= 0', name=op.f('ck_materials_size_not_negative')),
        sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_materials_added_by_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['agenda_item_id'], ['agenda_items.id'], name=op.f('fk_materials_agenda_item_id_agenda_items'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_materials_event_id_events'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_materials')),
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_agenda_item_id'), ['agenda_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_materials_file_key'), ['file_key'], unique=False)


def downgrade():
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_file_key'))
        batch_op.drop_index(batch_op.f('ix_materials_event_id'))
        batch_op.drop_index(batch_op.f('ix_materials_agenda_item_id'))
    op.drop_table('materials')
    op.drop_table('material_blobs')
