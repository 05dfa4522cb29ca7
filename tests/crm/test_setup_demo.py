import re

from django.core.management import call_command
from django.test import Client

from crm.models import Account, Contact, Deal, Lead
from tokens.models import AuthToken

TOKEN = re.compile(r"crm_pat_[0-9A-Za-z]{12}_[0-9A-Za-z]{36}")


def run_setup(capsys):
    call_command("setup_demo", "--generated", "--base-url", "http://127.0.0.1:9000")
    return capsys.readouterr().out


def test_demo_setup_prints_a_login_and_a_working_token(db, capsys):
    output = run_setup(capsys)

    password = re.search(r"password: (\S+)", output).group(1)
    token = TOKEN.search(output).group()
    assert Client().login(username="demo", password=password)
    response = Client().get("/api/v1/leads/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert response.json()["count"] == Lead.objects.count() > 0
    assert "http://127.0.0.1:9000/api/v1/leads/" in output


def test_demo_setup_twice_keeps_one_copy_of_the_data(db, capsys):
    run_setup(capsys)
    counts = (Account.objects.count(), Lead.objects.count(), Deal.objects.count())

    run_setup(capsys)

    assert (
        Account.objects.count(),
        Lead.objects.count(),
        Deal.objects.count(),
    ) == counts
    assert AuthToken.objects.filter(user__username="demo").count() == 2


def test_demo_data_is_the_same_on_every_machine(db, capsys):
    run_setup(capsys)

    first = list(
        Lead.objects.order_by("external_id").values_list("email", "status")[:5]
    )
    for model in (Deal, Lead, Contact, Account):
        model.objects.all().delete()
    run_setup(capsys)

    assert (
        list(Lead.objects.order_by("external_id").values_list("email", "status")[:5])
        == first
    )
