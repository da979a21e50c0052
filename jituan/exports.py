"""The member list as an Excel file, in the columns the secretariat keeps in its own sheet."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from . import xlsx
from .models import Member, MemberContact

MEMBER_FIELDS = ["name", "short_name", "kind", "group_role", "location", "county", "ownership"]
CONTACT_FIELDS = ["name", "title", "phone", "email"]


def members_workbook(members) -> bytes:
    """One row per member with its primary contact; members in the order given."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Members"))
    field = Member._meta.get_field
    contact_field = MemberContact._meta.get_field
    xlsx.append(
        sheet,
        [str(field(name).verbose_name) for name in MEMBER_FIELDS]
        + [str(field("is_council_member").verbose_name)]
        + [f"{_('primary contact')}·{contact_field(name).verbose_name}" for name in CONTACT_FIELDS]
        + [str(field("address").verbose_name), str(field("is_active").verbose_name)],
    )
    for member in members.prefetch_related("contacts"):
        contact = next(iter(member.contacts.all()), None)  # primary first (Meta.ordering)
        row = [
            member.name,
            member.short_name,
            member.get_kind_display(),
            member.get_group_role_display(),
            member.get_location_display(),
            member.county,
            member.get_ownership_display(),
            _("Yes") if member.is_council_member else _("No"),
        ]
        row += [getattr(contact, name, "") if contact else "" for name in CONTACT_FIELDS]
        row += [member.address, _("Yes") if member.is_active else _("No")]
        xlsx.append(sheet, row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
