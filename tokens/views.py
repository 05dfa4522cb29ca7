"""Settings → API: a signed-in user's own applications and tokens."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tokens import services
from tokens.forms import NEW_APPLICATION, GenerateTokenForm
from tokens.models import Application, AuthToken
from tokens.scopes import grouped_scopes
from tokens.throttling import client_address


@login_required
@never_cache
def token_list(request):
    now = timezone.now()
    tokens = (
        AuthToken.objects.filter(user=request.user)
        .select_related("application", "revoked_by")
        .order_by("-created_at")
    )
    rows = [
        (token, token.status_at(now), grouped_scopes(token.scopes)) for token in tokens
    ]
    applications = Application.objects.filter(user=request.user).order_by("name")
    return render(
        request,
        "tokens/token_list.html",
        {"rows": rows, "applications": applications},
    )


def _new_form_key():
    return secrets.token_urlsafe(24)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_generate(request):
    if request.method == "GET":
        form = GenerateTokenForm(
            user=request.user, initial={"form_nonce": _new_form_key()}
        )
        return render(request, "tokens/token_generate.html", {"form": form})

    form = GenerateTokenForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            with transaction.atomic():
                application = _chosen_application(request.user, form.cleaned_data)
                token, clear = services.token_issue(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    application=application,
                    scopes=form.cleaned_data["scopes"],
                    lifetime_hours=form.cleaned_data["lifetime_hours"],
                    client_ip=client_address(request),
                    generation_key=form.cleaned_data["form_nonce"],
                )
        except services.TokenAlreadyGenerated:
            # A form is good for one token: a resubmission (reload, back, double
            # click) shows nothing.
            messages.info(
                request, "That form was already used. Each token is shown only once."
            )
            return redirect("tokens:settings")
        except ValidationError as error:
            form.apply_service_errors(error)
        else:
            return render(
                request,
                "tokens/token_created.html",
                {
                    "token": token,
                    "clear": clear,
                    "scope_groups": grouped_scopes(token.scopes),
                },
            )
    data = form.data.copy()
    data["form_nonce"] = _new_form_key()
    form.data = data
    return render(request, "tokens/token_generate.html", {"form": form}, status=400)


def _chosen_application(user, cleaned):
    if cleaned["application"] == NEW_APPLICATION:
        return services.application_get_or_create(
            user=user, name=cleaned["new_application"]
        )
    return cleaned["application_obj"]


@login_required
@never_cache
def token_detail(request, public_id):
    token = get_object_or_404(
        AuthToken.objects.select_related("application", "revoked_by"),
        user=request.user,
        public_id=public_id,
    )
    events = token.events.select_related("actor")
    return render(
        request,
        "tokens/token_detail.html",
        {
            "token": token,
            "status": token.status,
            "scope_groups": grouped_scopes(token.scopes),
            "events": events,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, public_id):
    token = get_object_or_404(AuthToken, user=request.user, public_id=public_id)
    if request.method == "GET":
        return render(request, "tokens/confirm_revoke.html", {"token": token})
    if services.token_revoke(
        token=token, actor=request.user, client_ip=client_address(request)
    ):
        messages.success(request, f"Token “{token.name}” was revoked.")
    return redirect("tokens:settings")


@login_required
@require_http_methods(["GET", "POST"])
def application_revoke(request, pk):
    application = get_object_or_404(Application, user=request.user, pk=pk)
    if request.method == "GET":
        live = application.tokens.filter(revoked_at__isnull=True).count()
        return render(
            request,
            "tokens/confirm_revoke_application.html",
            {"application": application, "live": live},
        )
    count = services.application_revoke_tokens(
        application=application, actor=request.user, client_ip=client_address(request)
    )
    messages.success(request, f"Revoked {count} token(s) of “{application.name}”.")
    return redirect("tokens:settings")
