from app import create_app


def test_healthz_is_ok_with_the_database_reachable(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(app_config, tmp_path):
    broken = dict(app_config, SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none"
                  "?connect_timeout=1")
    response = create_app(broken).test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"
