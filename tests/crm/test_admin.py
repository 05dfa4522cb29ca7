"""The admin lists every model, and keeps deal amounts in line with line items."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.test import RequestFactory

from crm import services
from crm.admin import (
    LEAD_ALREADY_CONVERTED_MESSAGE,
    LEAD_CONVERTED_MESSAGE,
    LEAD_NOT_CONVERTED_MESSAGE,
)
from crm.models import Contact, Deal, Lead
from tests.factories import (
    CallFactory,
    DealFactory,
    DealLineItemFactory,
    LeadFactory,
    MeetingFactory,
    NoteFactory,
    ProductFactory,
    TagFactory,
    TaskFactory,
    TicketFactory,
    UserFactory,
)

CHANGELISTS = {
    "tag": TagFactory,
    "ticket": TicketFactory,
    "product": ProductFactory,
    "deallineitem": DealLineItemFactory,
    "task": TaskFactory,
    "call": CallFactory,
    "meeting": MeetingFactory,
    "note": NoteFactory,
}


def form_data(form):
    """What the browser would send back for an unchanged form."""
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [getattr(item, "pk", item) for item in value]
        else:
            data[name] = getattr(value, "pk", value)
    return data


def amount_of(deal):
    deal.refresh_from_db()
    return deal.amount


@pytest.mark.parametrize("model_name", list(CHANGELISTS))
def test_changelist_lists_records(admin_client, model_name):
    CHANGELISTS[model_name]()

    response = admin_client.get(f"/admin/crm/{model_name}/?q=a")

    assert response.status_code == 200


def test_adding_a_line_item_in_the_admin_recomputes_the_amount(admin_client):
    deal = DealFactory(amount=Decimal("1.00"))
    product = ProductFactory()

    response = admin_client.post(
        "/admin/crm/deallineitem/add/",
        {
            "deal": deal.pk,
            "product": product.pk,
            "quantity": "3",
            "unit_price": "10.00",
            "discount_percent": "0",
        },
    )

    assert response.status_code == 302
    assert amount_of(deal) == Decimal("30.00")


def test_deleting_line_items_in_the_admin_recomputes_the_amount(admin_client):
    item = DealLineItemFactory(unit_price=Decimal("10.00"))
    services.deal_recompute_amount(deal=item.deal)

    admin_client.post(
        "/admin/crm/deallineitem/",
        {"action": "delete_selected", "_selected_action": [item.pk], "post": "yes"},
    )

    assert amount_of(item.deal) == Decimal("0.00")


def test_adding_an_inline_line_item_on_a_deal_recomputes_the_amount(admin_client):
    deal = DealFactory(amount=Decimal("1.00"))
    url = f"/admin/crm/deal/{deal.pk}/change/"
    data = form_data(admin_client.get(url).context["adminform"].form)
    data.update(
        {
            "line_items-TOTAL_FORMS": "1",
            "line_items-INITIAL_FORMS": "0",
            "line_items-0-product": ProductFactory().pk,
            "line_items-0-quantity": "2",
            "line_items-0-unit_price": "7.50",
            "line_items-0-discount_percent": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert amount_of(deal) == Decimal("15.00")


def test_changelist_holds_only_the_records_the_staff_user_may_see(db, client):
    staff = UserFactory(is_staff=True, permissions=["crm.view_lead"])
    mine = LeadFactory(owner=staff)
    LeadFactory()
    client.force_login(staff)

    response = client.get("/admin/crm/lead/")

    assert list(response.context["cl"].result_list) == [mine]


def test_change_page_of_a_hidden_record_is_not_shown(db, client):
    staff = UserFactory(is_staff=True, permissions=["crm.view_lead"])
    client.force_login(staff)

    response = client.get(f"/admin/crm/lead/{LeadFactory().pk}/change/")

    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def convert_in_admin(client, *leads):
    response = client.post(
        "/admin/crm/lead/",
        {"action": "convert_leads", "_selected_action": [lead.pk for lead in leads]},
        follow=True,
    )
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_admin_action_converts_each_selected_lead_without_a_deal(admin_client):
    leads = LeadFactory.create_batch(2)

    convert_in_admin(admin_client, *leads)

    assert Lead.objects.filter(converted_at__isnull=False).count() == 2
    assert Contact.objects.count() == 2
    assert not Deal.objects.exists()


def test_admin_action_reports_each_lead(admin_client):
    converted = LeadFactory(converted=True)
    without_company = LeadFactory(company="")
    fresh = LeadFactory()

    reports = convert_in_admin(admin_client, converted, without_company, fresh)

    contact = Contact.objects.get()
    assert sorted(reports) == sorted(
        [
            LEAD_ALREADY_CONVERTED_MESSAGE.format(lead=converted),
            LEAD_NOT_CONVERTED_MESSAGE.format(
                lead=without_company, reason=services.LEAD_WITHOUT_COMPANY_MESSAGE
            ),
            LEAD_CONVERTED_MESSAGE.format(
                lead=fresh, contact=contact, account=contact.account
            ),
        ]
    )


def lead_actions_for(user):
    request = RequestFactory().get("/admin/crm/lead/")
    request.user = user
    return admin.site._registry[Lead].get_actions(request)


def test_admin_offers_conversion_to_a_user_who_may_make_contacts_and_accounts(db):
    staff = UserFactory(
        is_staff=True,
        permissions=[
            "crm.view_lead",
            "crm.change_lead",
            "crm.add_contact",
            "crm.add_account",
        ],
    )

    assert "convert_leads" in lead_actions_for(staff)


def test_admin_does_not_offer_conversion_without_the_account_permission(db):
    staff = UserFactory(
        is_staff=True,
        permissions=["crm.view_lead", "crm.change_lead", "crm.add_contact"],
    )

    assert "convert_leads" not in lead_actions_for(staff)


def test_converted_lead_is_read_only_in_the_admin(admin_client):
    lead = LeadFactory(converted=True, title="CTO")

    admin_client.post(
        f"/admin/crm/lead/{lead.pk}/change/", {"title": "CEO", "last_name": "X"}
    )

    lead.refresh_from_db()
    assert lead.title == "CTO"


def test_an_inline_line_item_too_large_for_the_deal_is_a_form_error(admin_client):
    deal = DealFactory(amount=Decimal("1.00"))
    url = f"/admin/crm/deal/{deal.pk}/change/"
    data = form_data(admin_client.get(url).context["adminform"].form)
    data.update(
        {
            "line_items-TOTAL_FORMS": "1",
            "line_items-INITIAL_FORMS": "0",
            "line_items-0-product": ProductFactory().pk,
            "line_items-0-quantity": "9999999999.99",
            "line_items-0-unit_price": "999999999999.99",
            "line_items-0-discount_percent": "0",
        }
    )

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert "more than the largest amount a deal holds" in response.content.decode()
    assert amount_of(deal) == Decimal("1.00")


def test_a_line_item_too_large_for_its_deal_is_a_form_error(admin_client):
    deal = DealFactory(amount=Decimal("1.00"))

    response = admin_client.post(
        "/admin/crm/deallineitem/add/",
        {
            "deal": deal.pk,
            "product": ProductFactory().pk,
            "quantity": "9999999999.99",
            "unit_price": "999999999999.99",
            "discount_percent": "0",
        },
    )

    assert response.status_code == 200
    assert "more than the largest amount a deal holds" in response.content.decode()
    assert not deal.line_items.exists()
