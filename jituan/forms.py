from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from .models import Member, MemberContact, User
from .roles import Role


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "name",
            "short_name",
            "kind",
            "group_role",
            "location",
            "county",
            "ownership",
            "is_council_member",
            "address",
            "notes",
            "is_active",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


MemberContactFormSet = forms.inlineformset_factory(
    Member,
    MemberContact,
    fields=["name", "title", "phone", "email", "is_primary", "is_leadership"],
    extra=1,
    can_delete=True,
)


class UserForm(forms.ModelForm):
    role = forms.ChoiceField(label=_("role"), choices=Role.choices)
    password = forms.CharField(
        label=_("password"),
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=_("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["username", "name", "email", "phone", "role", "member", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.order_by("name")
        if self.instance.pk:
            self.fields["role"].initial = self.instance.role
        else:
            self.fields["password"].required = True
            self.fields["password"].help_text = ""

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            # Compare with what was typed, not the unsaved instance (still empty for a new user).
            candidate = User(
                username=cleaned.get("username", ""),
                name=cleaned.get("name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(password, candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned
