def test_token_lists_leads(token_client):
    response = token_client.get("/api/v1/leads/")
    assert response.status_code == 200, response.content
    assert response.json()["count"] == 0
