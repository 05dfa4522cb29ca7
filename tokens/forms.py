from django import forms
from django.core.exceptions import ValidationError

from tokens.models import Application
from tokens.scopes import ACTIONS, MODULES, scope_name, scopes_allowed_for
from tokens.settings import token_setting

NEW_APPLICATION = "__new__"
PRESET_HOURS = (1, 8, 24)


class GenerateTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100, help_text="What the token is for, e.g. “Nightly sync”."
    )
    application = forms.ChoiceField(
        help_text="The integration or device that will use it."
    )
    new_application = forms.CharField(
        max_length=100, required=False, label="New application name"
    )
    scopes = forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple)
    validity = forms.ChoiceField(label="Valid for")
    custom_hours = forms.IntegerField(required=False, min_value=1, label="Custom hours")
    form_nonce = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={
            "required": "This form is incomplete: reload the page and try again.",
            "max_length": "This form is damaged: reload the page and try again.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.max_hours = token_setting("MAX_LIFETIME_HOURS")
        self.fields["custom_hours"].max_value = self.max_hours
        self.fields["custom_hours"].widget.attrs.update(min=1, max=self.max_hours)
        applications = Application.objects.filter(user=user).order_by("name")
        self.fields["application"].choices = [
            *((str(app.pk), app.name) for app in applications),
            (NEW_APPLICATION, "New application…"),
        ]
        self.allowed_scopes = scopes_allowed_for(user)
        self.fields["scopes"].choices = [
            (scope, scope) for scope in self.allowed_scopes
        ]
        presets = [hours for hours in PRESET_HOURS if hours <= self.max_hours]
        self.fields["validity"].choices = [
            *(
                (str(hours), f"{hours} hour{'s' if hours > 1 else ''}")
                for hours in presets
            ),
            ("custom", f"Custom (1 to {self.max_hours} hours)"),
        ]
        self.fields["validity"].initial = str(presets[-1]) if presets else "custom"

    def scope_groups(self):
        """[(module, label, [(action, scope, checked)])] for the grouped checkboxes."""
        chosen = set(self["scopes"].value() or [])
        groups = []
        for module in MODULES:
            actions = [
                (
                    action,
                    scope_name(module, action),
                    scope_name(module, action) in chosen,
                )
                for action in ACTIONS
                if scope_name(module, action) in self.allowed_scopes
            ]
            if actions:
                groups.append((module, module.replace("_", " ").capitalize(), actions))
        return groups

    def clean(self):
        cleaned = super().clean()
        application = cleaned.get("application")
        if application == NEW_APPLICATION:
            if not cleaned.get("new_application", "").strip():
                self.add_error("new_application", "Name the new application.")
        elif application is not None:
            cleaned["application_obj"] = Application.objects.filter(
                user=self.user, pk=application
            ).first()
            if cleaned["application_obj"] is None:
                self.add_error("application", "Choose one of your applications.")
        validity = cleaned.get("validity")
        if validity == "custom":
            hours = cleaned.get("custom_hours")
            if hours is None:
                self.add_error(
                    "custom_hours",
                    f"Enter a number of hours from 1 to {self.max_hours}.",
                )
            cleaned["lifetime_hours"] = hours
        elif validity:
            cleaned["lifetime_hours"] = int(validity)
        return cleaned

    def apply_service_errors(self, error: ValidationError):
        field_map = {"lifetime_hours": "custom_hours"}
        for field, messages in error.message_dict.items():
            target = field_map.get(field, field)
            self.add_error(target if target in self.fields else None, messages)
