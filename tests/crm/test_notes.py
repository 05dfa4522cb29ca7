from crm.models import Note
from crm.serializers.records import RELATED_TO_NONE_MESSAGE
from tests.factories import DealFactory, NoteFactory, TicketFactory


def test_note_create_on_a_ticket(token_client, user):
    ticket = TicketFactory(owner=user)

    response = token_client.post(
        "/api/v1/notes/",
        {"body": "Customer called.", "ticket": ticket.pk},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert Note.objects.get().ticket == ticket


def test_note_without_a_record_is_rejected_with_400(token_client):
    response = token_client.post("/api/v1/notes/", {"body": "Orphan"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"non_field_errors": [RELATED_TO_NONE_MESSAGE]}


def test_note_update_changes_its_body(token_client, user):
    note = NoteFactory(owner=user)

    response = token_client.patch(
        f"/api/v1/notes/{note.pk}/", {"body": "Edited"}, format="json"
    )

    assert response.status_code == 200
    note.refresh_from_db()
    assert note.body == "Edited"


def test_note_delete_removes_it(token_client, user):
    note = NoteFactory(owner=user)

    response = token_client.delete(f"/api/v1/notes/{note.pk}/")

    assert response.status_code == 204
    assert not Note.objects.exists()


def test_note_list_filters_by_deal(token_client, user):
    deal = DealFactory(owner=user)
    on_deal = NoteFactory(owner=user, deal=deal)
    NoteFactory(owner=user)

    body = token_client.get(f"/api/v1/notes/?deal={deal.pk}").json()

    assert [row["id"] for row in body["results"]] == [on_deal.pk]


def test_note_list_bad_deal_id_is_rejected_with_400_naming_it(token_client):
    response = token_client.get("/api/v1/notes/?deal=abc")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["deal"]


def test_deleting_a_deal_deletes_its_notes(db):
    note = NoteFactory(deal=DealFactory())

    note.deal.delete()

    assert not Note.objects.exists()
